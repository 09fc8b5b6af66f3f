// The kernel's table: the totals Marco Elver's series "perf/hw_breakpoint:
// Optimize for thousands of tasks" (Linux 6.1) reported for `perf bench
// breakpoint thread` on 256 CPUs, row by row, beside the virtual-time
// model's prediction of each row (bench/_model.ts) and the simulator's
// wall-clock runs here. The model is what answers the kernel: one
// JavaScript thread cannot run 64 spawners at once, so the measured column
// is only what it is, one thread's wall clock.
import type { ModelRow, ModelTable, StepRow } from "./_model.ts";
import {
  KERNEL_SOURCE,
  MEASURED_SOURCE,
  MODELLED_SOURCE,
  type StageBar,
} from "./_charts.ts";
import { ratio, seconds, table } from "./_table.ts";

/** A configuration run here on the wall clock, and how it was timed. */
export interface MeasuredRun {
  /** The bench's name, `strategy + index`. */
  name: string;
  /** Mean seconds of one whole run. */
  seconds: number;
  /** How it was timed: mitata samples, or whole runs. */
  timedBy: string;
  /** Index entries visited in one run's timed region (deterministic). */
  entriesVisited: number | null;
}

/**
 * The measured bench that plays each row of the kernel's table (set A's
 * workload only), or null: the wall-clock runs take no locks, so the
 * locking stages have no counterpart.
 */
export const MEASURED_STAGE: Readonly<Record<string, string | null>> = Object
  .freeze({
    "v5.19": "legacy + list",
    patch04: "legacy + rhltable",
    "patch05-10": "legacy + rhltable",
    patch11: null,
    patch12: null,
    patch13: "reserve-fastpath + rhltable",
    "v6.1": "current + rhltable",
    disabled: "none (no accounting)",
    "no-bp": "no breakpoints (-b 0)",
  });

/** The stage every ratio is taken against: the series' final one. */
export const FINAL_STAGE = "v6.1";

/** One row of the kernel's table at one parameter set. */
export interface KernelRow extends ModelRow {
  /** The measured bench of the row, or null. */
  measured: string | null;
  /** Its mean seconds, or null. */
  measuredSeconds: number | null;
}

/** The model's rows, each with its measured counterpart (set A only). */
export function kernelRows(
  model: ModelTable,
  measured: readonly MeasuredRun[],
): KernelRow[] {
  return model.rows.map((row) => {
    const name = row.set === "A" ? MEASURED_STAGE[row.stage] ?? null : null;
    const run = measured.find((m) => m.name === name);
    return {
      ...row,
      measured: run === undefined ? null : name,
      measuredSeconds: run?.seconds ?? null,
    };
  });
}

/** `index, strategy, locking` of a row, or the floor it is. */
function configuration(row: ModelRow): string {
  if (row.strategy === "none") {
    return row.stage === "no-bp" ? "no breakpoints (-b 0)" : "no accounting";
  }
  return `${row.index}, ${row.strategy}, ${row.locking}`;
}

function ratioTo(value: number | null, base: number | null): string {
  return value === null || base === null ? "" : ratio(value / base);
}

/**
 * The kernel's rows at parameter set `set`: the kernel's total, the
 * modelled one, and (set A) the measured one, with ratios to the final
 * stage. A kernel total marked `*` is one of the model's two inputs.
 */
export function kernelTable(
  rows: readonly KernelRow[],
  set: string,
  measuredHeader: string,
): string {
  const these = rows.filter((r) => r.set === set);
  const final = these.find((r) => r.stage === FINAL_STAGE);
  if (final === undefined) throw new Error(`No ${FINAL_STAGE} row in ${set}`);
  const withMeasured = these.some((r) => r.measuredSeconds !== null);
  const header = [
    "stage",
    "index, strategy, locking",
    "kernel s",
    "ratio",
    "modelled s",
    "ratio",
  ];
  if (withMeasured) header.push(measuredHeader);
  return table([
    header,
    ...these.map((r) => {
      const cells = [
        r.stage,
        configuration(r),
        r.kernelSeconds === null
          ? "-"
          : `${secs(r.kernelSeconds)}${r.input ? "*" : " "}`,
        ratioTo(r.kernelSeconds, final.kernelSeconds),
        secs(r.modelSeconds),
        ratio(r.modelSeconds / final.modelSeconds),
      ];
      if (withMeasured) cells.push(seconds(r.measuredSeconds) || "-");
      return cells;
    }),
  ], new Set([2, 3, 4, 5, 6]));
}

/** Seconds as the series prints them: three decimals, four below 1 s. */
function secs(value: number): string {
  return value >= 100 ? value.toFixed(1) : value.toFixed(value >= 1 ? 3 : 4);
}

/** The series' steps: the kernel's ratio (quoted, and its own numbers) beside the model's. */
export function stepTable(steps: readonly StepRow[]): string {
  return table([
    ["step", "rows", "set", "kernel quoted", "kernel's numbers", "modelled"],
    ...steps.map((s) => [
      s.step,
      s.rows,
      s.set,
      s.kernelQuoted === null ? "-" : ratio(s.kernelQuoted),
      s.kernelRatio === null ? "-" : ratio(s.kernelRatio),
      ratio(s.modelRatio),
    ]),
  ], new Set([3, 4, 5]));
}

/** Every measured run of the workload: time, work and how it was timed. */
export function measuredTable(
  runs: readonly MeasuredRun[],
  threads: number,
): string {
  const final = runs.find((r) => r.name === MEASURED_STAGE[FINAL_STAGE]);
  return table([
    [
      "configuration",
      "mean",
      "µs/thread",
      "ratio",
      "entries visited",
      "timed by",
    ],
    ...runs.map((r) => [
      r.name,
      seconds(r.seconds),
      usecs(r.seconds * 1e6 / threads),
      final === undefined ? "" : ratio(r.seconds / final.seconds),
      r.entriesVisited?.toLocaleString("en-US") ?? "",
      r.timedBy,
    ]),
  ], new Set([1, 2, 3, 4]));
}

function usecs(value: number): string {
  return value >= 1 ? value.toFixed(2) : value.toPrecision(3);
}

/**
 * The chart's points: per row, the kernel's total, the modelled one and
 * the measured one, where each exists. Set A's rows, then set B's rows
 * that the kernel gives a total for.
 */
export function stageBars(rows: readonly KernelRow[]): StageBar[] {
  const bars: StageBar[] = [];
  for (const r of rows) {
    if (r.set !== "A" && r.kernelSeconds === null) continue;
    if (r.kernelSeconds === null && r.measuredSeconds === null) continue;
    const stage = `${r.set}  ${r.stage}: ${configuration(r)}`;
    if (r.kernelSeconds !== null) {
      bars.push({ stage, source: KERNEL_SOURCE, seconds: r.kernelSeconds });
    }
    bars.push({ stage, source: MODELLED_SOURCE, seconds: r.modelSeconds });
    if (r.measuredSeconds !== null) {
      bars.push({ stage, source: MEASURED_SOURCE, seconds: r.measuredSeconds });
    }
  }
  return bars;
}
