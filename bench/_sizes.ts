// The sizes of a full bench run and of a --quick one, and the nominal
// duration of each step, from which the progress line estimates the time
// left.
import type { BreakpointThreadOptions } from "@hwbp/sim";
import type { PlannedStep } from "./_progress.ts";
import { BREAKPOINTS } from "./_workloads.ts";

/** What one bench run measures, and how long each step should take. */
export interface Sizes {
  /** `perf bench -r 30 breakpoint thread -b 4 -p 64 -t 64` on 256 CPUs. */
  kernel: Required<
    Pick<
      BreakpointThreadOptions,
      "cpus" | "repeat" | "breakpoints" | "parallelism" | "threads"
    >
  >;
  /** Wall-clock budget for the list + legacy baseline's runs. */
  baselineBudgetSeconds: number;
  baselineMaxRuns: number;
  /** Live tasks (lo, hi, multiplier), every index. */
  tasksAll: [number, number, number];
  /** Live tasks (lo, hi, multiplier), the hash indexes. */
  tasksHash: [number, number, number];
  /** CPUs of the live-task benches. */
  tasksCpus: number;
  /** CPUs (lo, hi, multiplier) of the CPU bench. */
  cpus: [number, number, number];
  /** Live tasks of the CPU bench. */
  cpusLiveTasks: number;
  /** Nominal seconds of each step, for the estimate of the time left. */
  plan: PlannedStep[];
}

export const FULL: Sizes = {
  kernel: {
    cpus: 256,
    repeat: 30,
    breakpoints: BREAKPOINTS,
    parallelism: 64,
    threads: 64,
  },
  // One run takes 45 to 60 s here (the last full run: 58.6, 55.2 and
  // 45.5 s), so mitata's warmup and 12+ samples cannot fit: the baseline
  // gets as many whole runs as fit in three minutes (three).
  baselineBudgetSeconds: 180,
  baselineMaxRuns: 5,
  // Building n tasks through the list costs O(n²) entry visits: 64k tasks
  // would take ~16× what 16k take. The list stops at 16k.
  tasksAll: [1024, 16384, 2],
  tasksHash: [1024, 65536, 2],
  tasksCpus: 256,
  cpus: [16, 4096, 4],
  cpusLiveTasks: 1024,
  plan: [
    { name: "calibrating mitata", seconds: 3 },
    { name: "kernel's table", seconds: 20 },
    { name: "live tasks, every index", seconds: 50 },
    { name: "live tasks, hash indexes", seconds: 20 },
    { name: "CPUs", seconds: 15 },
    { name: "baseline", seconds: 155 },
    { name: "RhlTable vs Map", seconds: 35 },
    { name: "model", seconds: 28 },
    { name: "engine vs minimum", seconds: 10 },
    { name: "charts", seconds: 2 },
  ],
};

export const QUICK: Sizes = {
  kernel: {
    cpus: 16,
    repeat: 4,
    breakpoints: BREAKPOINTS,
    parallelism: 4,
    threads: 8,
  },
  baselineBudgetSeconds: 0,
  baselineMaxRuns: 1,
  tasksAll: [64, 256, 4],
  tasksHash: [64, 1024, 16],
  tasksCpus: 16,
  cpus: [4, 64, 16],
  cpusLiveTasks: 64,
  plan: [
    { name: "calibrating mitata", seconds: 3 },
    { name: "kernel's table", seconds: 8 },
    { name: "live tasks, every index", seconds: 6 },
    { name: "live tasks, hash indexes", seconds: 4 },
    { name: "CPUs", seconds: 4 },
    { name: "baseline", seconds: 1 },
    { name: "RhlTable vs Map", seconds: 12 },
    { name: "model", seconds: 3 },
    { name: "engine vs minimum", seconds: 4 },
    { name: "charts", seconds: 2 },
  ],
};
