// The kernel's table: the totals Marco Elver's series "perf/hw_breakpoint:
// Optimize for thousands of tasks" (Linux 6.1) reported for
// `perf bench -r 30 breakpoint thread -b 4 -p 64 -t 64` on 256 CPUs, stage
// by stage, beside the model's runs of the same workload.
//
// Columns are a list, so more can join: a row's `modelSeconds` (the
// virtual-time model's prediction for the stage) shows as a "modelled"
// column and as a third bar in the chart as soon as any row has one.
import type { StageBar } from "./_charts.ts";
import { ratio, seconds, table } from "./_table.ts";

/** One stage of the kernel's series, with the model's counterpart. */
export interface KernelRow {
  /** The kernel's stage, or "" for a model-only row. */
  stage: string;
  /** The kernel's total, as perf printed it, or null for a model-only row. */
  kernelSeconds: number | null;
  kernelUsecsPerOp: number | null;
  /** The model's bench name (strategy + index), or a note where it has none. */
  model: string;
  /** Mean seconds of one run of the model, measured here, or null. */
  seconds: number | null;
  /** How the model's number was taken. */
  timedBy: string;
  /** Index entries visited in one run's timed region (deterministic). */
  entriesVisited: number | null;
  /** The virtual-time model's seconds for this stage, where it has one. */
  modelSeconds?: number | null;
}

/** The kernel's numbers, from the series' commit messages. */
export const KERNEL_STAGES: readonly {
  stage: string;
  seconds: number;
  usecsPerOp: number;
  /** The model's bench that plays the stage, or null (no locks modelled). */
  model: string | null;
}[] = [
  {
    stage: "list + global mutex",
    seconds: 236.418,
    usecsPerOp: 123134.79,
    model: "legacy + list",
  },
  {
    stage: "rhltable (the seed patch)",
    seconds: 0.208,
    usecsPerOp: 108.42,
    model: "legacy + rhltable",
  },
  { stage: "+ finer locking", seconds: 0.077, usecsPerOp: 40.2, model: null },
  {
    stage: "+ histograms, fast paths (final)",
    seconds: 0.067,
    usecsPerOp: 35.29,
    model: "current + rhltable",
  },
  {
    stage: "accounting disabled (ideal)",
    seconds: 0.067,
    usecsPerOp: 35.29,
    model: "none (no accounting)",
  },
  {
    stage: "no breakpoints",
    seconds: 0.06,
    usecsPerOp: 31.37,
    model: "no breakpoints (-b 0)",
  },
];

/** The model's final stage, which ratios are taken against. */
export const FINAL_MODEL = "current + rhltable";

function finalRow(rows: readonly KernelRow[]): KernelRow {
  const final = rows.find((r) => r.model === FINAL_MODEL);
  if (final === undefined) throw new Error(`No row for ${FINAL_MODEL}`);
  return final;
}

interface Column {
  header: string;
  right: boolean;
  cell(row: KernelRow): string;
}

function ratioTo(
  value: number | null | undefined,
  base: number | null | undefined,
): string {
  return value == null || base == null ? "" : ratio(value / base);
}

/**
 * The kernel's stages beside the model's measured (and, where given,
 * modelled) totals. Ratios are to each column's final stage.
 */
export function stageTable(rows: readonly KernelRow[]): string {
  const final = finalRow(rows);
  const columns: Column[] = [
    { header: "kernel stage", right: false, cell: (r) => r.stage },
    { header: "kernel", right: true, cell: (r) => seconds(r.kernelSeconds) },
    {
      header: "ratio",
      right: true,
      cell: (r) => ratioTo(r.kernelSeconds, final.kernelSeconds),
    },
    { header: "hwbp, here", right: true, cell: (r) => seconds(r.seconds) },
    {
      header: "ratio",
      right: true,
      cell: (r) => ratioTo(r.seconds, final.seconds),
    },
  ];
  if (rows.some((r) => r.modelSeconds != null)) {
    columns.push(
      {
        header: "modelled",
        right: true,
        cell: (r) => seconds(r.modelSeconds ?? null),
      },
      {
        header: "ratio",
        right: true,
        cell: (r) => ratioTo(r.modelSeconds, final.modelSeconds),
      },
    );
  }
  return render(columns, rows.filter((r) => r.stage !== ""));
}

/** Every model run of the workload: time, work and how it was timed. */
export function modelTable(rows: readonly KernelRow[], ops: number): string {
  const final = finalRow(rows);
  const columns: Column[] = [
    { header: "hwbp model", right: false, cell: (r) => r.model },
    { header: "mean", right: true, cell: (r) => seconds(r.seconds) },
    {
      header: "µs/thread",
      right: true,
      cell: (r) => r.seconds === null ? "" : usecs(r.seconds * 1e6 / ops),
    },
    {
      header: "ratio",
      right: true,
      cell: (r) => ratioTo(r.seconds, final.seconds),
    },
    {
      header: "entries visited",
      right: true,
      cell: (r) => r.entriesVisited?.toLocaleString("en-US") ?? "",
    },
    { header: "timed by", right: false, cell: (r) => r.timedBy },
  ];
  return render(columns, rows.filter((r) => r.seconds !== null));
}

function usecs(value: number): string {
  return value >= 1 ? value.toFixed(2) : value.toPrecision(3);
}

function render(
  columns: readonly Column[],
  rows: readonly KernelRow[],
): string {
  const right = new Set<number>();
  columns.forEach((c, i) => c.right && right.add(i));
  return table([
    columns.map((c) => c.header),
    ...rows.map((r) => columns.map((c) => c.cell(r))),
  ], right);
}

/** The chart's bars: the kernel's total, the model's, and the modelled one. */
export function stageBars(rows: readonly KernelRow[]): StageBar[] {
  const bars: StageBar[] = [];
  for (const r of rows) {
    if (r.stage === "") continue;
    if (r.kernelSeconds !== null) {
      bars.push({
        stage: r.stage,
        source: "kernel (measured, Linux 6.1 series)",
        seconds: r.kernelSeconds,
      });
    }
    if (r.seconds !== null) {
      bars.push({
        stage: r.stage,
        source: "hwbp (measured here)",
        seconds: r.seconds,
      });
    }
    if (r.modelSeconds != null) {
      bars.push({
        stage: r.stage,
        source: "hwbp (modelled)",
        seconds: r.modelSeconds,
      });
    }
  }
  return bars;
}
