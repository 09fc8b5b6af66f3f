// The targets of the bench, measured or modelled, as a closing table.
import { ratio, table } from "./_table.ts";

/** A ratio the bench is expected to reach, or one reported beside it. */
export interface Target {
  ratio: string;
  value: number;
  /** The kernel's own ratio, where it has one. */
  kernel: number | null;
  /** The bound, e.g. "≤ 2.5×", or "-" for a figure reported only. */
  target: string;
  /** Whether the bound is met; null for a figure reported only. */
  met: boolean | null;
  /**
   * Whether the figure comes from the run's own sizes, too small to judge
   * in a `--quick` run (the model and the minimum run at full size).
   */
  quickSized: boolean;
}

/** A target: `value` compared with `bound`. */
export function target(
  name: string,
  value: number,
  kernel: number | null,
  comparison: ">=" | "<=",
  bound: number,
  quickSized = false,
): Target {
  return {
    ratio: name,
    value,
    kernel,
    target: `${comparison === ">=" ? "≥" : "≤"} ${bound}×`,
    met: comparison === ">=" ? value >= bound : value <= bound,
    quickSized,
  };
}

/** A target: `value` within a factor `factor` of `of`, either way. */
export function within(
  name: string,
  value: number,
  kernel: number,
  factor: number,
): Target {
  return {
    ratio: name,
    value,
    kernel,
    target: `${ratio(kernel / factor)}..${ratio(kernel * factor)}`,
    met: value >= kernel / factor && value <= kernel * factor,
    quickSized: false,
  };
}

/** A ratio reported beside the kernel's, with no bound. */
export function reported(
  name: string,
  value: number,
  kernel: number | null,
  quickSized = false,
): Target {
  return { ratio: name, value, kernel, target: "-", met: null, quickSized };
}

/** The targets, met or not; `quick` runs are too small to judge some. */
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
      t.met === null
        ? "-"
        : quick && t.quickSized
        ? "n/a (--quick)"
        : t.met
        ? "yes"
        : "NO",
    ]),
  ], new Set([1, 2]));
}
