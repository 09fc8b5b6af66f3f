// The closing tables of bench/main.ts: the model beside the kernel.

/** One line of SPEC §7b, with the model's counterpart. */
export interface KernelRow {
  /** The kernel's stage, or "" for a model-only row. */
  stage: string;
  kernelSeconds: number | null;
  kernelUsecsPerOp: number | null;
  /** The model's bench name: strategy and index. */
  model: string;
  /** Mean seconds per run of the model, or null where it has no counterpart. */
  seconds: number | null;
  /** How the model's number was taken. */
  timedBy: string;
  /** Index entries visited in one run's timed region (deterministic). */
  entriesVisited: number | null;
}

/** A target of issue #4, measured. */
export interface Target {
  ratio: string;
  value: number;
  kernel: number | null;
  target: string;
  met: boolean;
}

export function target(
  ratio: string,
  value: number,
  kernel: number | null,
  comparison: ">=" | "<=",
  bound: number,
): Target {
  return {
    ratio,
    value,
    kernel,
    target: `${comparison} ${bound}×`,
    met: comparison === ">=" ? value >= bound : value <= bound,
  };
}

/** Renders rows as an aligned text table, the given columns right-aligned. */
function table(rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = rows[0]!.map((_, c) =>
    Math.max(...rows.map((r) => r[c]!.length))
  );
  return rows.map((row) =>
    row.map((cell, c) =>
      rightAligned.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)
    ).join("  ").trimEnd()
  ).join("\n");
}

/** The kernel's totals, as perf prints them. */
function kernelSeconds(value: number | null): string {
  return value === null ? "" : `${value.toFixed(3)} s`;
}

/** The model's totals, in a unit that keeps three significant digits. */
function seconds(value: number | null): string {
  if (value === null) return "";
  if (value >= 1) return `${value.toFixed(3)} s`;
  if (value >= 1e-3) return `${(value * 1e3).toFixed(3)} ms`;
  return `${(value * 1e6).toFixed(3)} µs`;
}

function usecs(value: number | null): string {
  if (value === null) return "";
  return value >= 1 ? value.toFixed(2) : value.toPrecision(3);
}

function count(value: number | null): string {
  return value === null ? "" : value.toLocaleString("en-US");
}

function ratio(value: number): string {
  if (value >= 100) return `${Math.round(value).toLocaleString("en-US")}×`;
  if (value >= 0.1) return `${value.toFixed(2)}×`;
  return `${value.toPrecision(2)}×`;
}

/**
 * The kernel's stages and the model's runs side by side; `ops` is the
 * threads created (repeat × threads) that usecs/op divides by. Ratios are
 * to the final stage, and to the model's current + rhltable.
 */
export function kernelTable(rows: KernelRow[], ops: number): string {
  const final = rows.find((r) => r.model === "current + rhltable")!;
  const kernelFinal = final.kernelUsecsPerOp!;
  const body = rows.map((r) => [
    r.stage,
    kernelSeconds(r.kernelSeconds),
    usecs(r.kernelUsecsPerOp),
    r.kernelUsecsPerOp === null ? "" : ratio(r.kernelUsecsPerOp / kernelFinal),
    r.model,
    seconds(r.seconds),
    usecs(r.seconds === null ? null : r.seconds * 1e6 / ops),
    r.seconds === null ? "" : ratio(r.seconds / final.seconds!),
    count(r.entriesVisited),
    r.timedBy,
  ]);
  return table([
    [
      "kernel stage",
      "kernel",
      "usecs/op",
      "ratio",
      "hwbp model",
      "hwbp",
      "usecs/op",
      "ratio",
      "entries visited",
      "timed by",
    ],
    ...body,
  ], new Set([1, 2, 3, 5, 6, 7, 8]));
}

/** The targets, met or not; `quick` runs are too small to judge. */
export function targetTable(targets: Target[], quick: boolean): string {
  return table([
    ["ratio", "hwbp", "kernel", "target", "met"],
    ...targets.map((t) => [
      t.ratio,
      ratio(t.value),
      t.kernel === null ? "-" : ratio(t.kernel),
      t.target,
      quick ? "n/a (--quick)" : t.met ? "yes" : "NO",
    ]),
  ], new Set([1, 2]));
}
