// The targets of the bench, measured, as a closing table.
import { ratio, table } from "./_table.ts";

/** A ratio the model is expected to reach, measured. */
export interface Target {
  ratio: string;
  value: number;
  /** The kernel's own ratio, where it has one. */
  kernel: number | null;
  target: string;
  met: boolean;
}

/** A target: `value` compared with `bound`. */
export function target(
  name: string,
  value: number,
  kernel: number | null,
  comparison: ">=" | "<=",
  bound: number,
): Target {
  return {
    ratio: name,
    value,
    kernel,
    target: `${comparison === ">=" ? "≥" : "≤"} ${bound}×`,
    met: comparison === ">=" ? value >= bound : value <= bound,
  };
}

/** The targets, met or not; `quick` runs are too small to judge. */
export function targetTable(
  targets: readonly Target[],
  quick: boolean,
): string {
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
