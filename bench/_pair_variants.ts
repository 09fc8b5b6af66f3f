/**
 * The two sides of every engine-against-minimum timing (`engine_vs_minimum.ts`
 * and its `--floor` half, `_index_floor.ts`): the workload of `perf bench
 * breakpoint thread`, run through the engine over any index, or through the
 * practical minimum. Each variant keeps the perf bench's long-lived
 * breakpoints (the main task's and the spawners') and, per wave, reserves
 * then releases the short-lived threads' breakpoints, a new task id each.
 *
 * @module
 */
import {
  type AccountingStrategy,
  ARCH_PROFILES,
  BreakpointConstraints,
  type BreakpointHandle,
  type TaskIndex,
} from "@hwbp/core";
import { PracticalMinimum } from "./practical_minimum.ts";

/** perf's `-r 30 -b 4 -p 64 -t 64` on 256 CPUs, the bench's set A. */
export const SET_A: Readonly<Workload> = {
  cpus: 256,
  repeat: 30,
  breakpoints: 4,
  parallelism: 64,
  threads: 64,
};

/** The workload: CPUs and perf's `-r`, `-b`, `-p` and `-t`. */
export interface Workload {
  cpus: number;
  repeat: number;
  breakpoints: number;
  parallelism: number;
  threads: number;
}

/** A variant: persistent state and a function that runs one wave. */
export interface Variant {
  name: string;
  /** Runs `reps` repetitions of the round's waves; returns the pairs. */
  run(reps: number): number;
}

/** x86_64's one shared pool of 4 debug registers, as `ARCH_PROFILES.x86_64`. */
const X86_SLOTS = 4;

/** First task id of the short-lived threads; below are main and spawners. */
export const FIRST_THREAD_TASK = 1 << 16;

/** The engine (any index), holding the perf bench's long-lived breakpoints. */
export function engineVariant(
  name: string,
  w: Workload,
  strategy: AccountingStrategy,
  index: TaskIndex,
  backgroundTasks = 0,
): Variant {
  const hw = new BreakpointConstraints({
    cpus: w.cpus,
    ...ARCH_PROFILES.x86_64,
    index,
    strategy,
  });
  // Other live tasks, one all-CPU breakpoint each, with ids far above
  // the bench's.
  for (let task = 0; task < backgroundTasks; task++) {
    hw.reserve({ task: 2 ** 30 + task, type: "w" });
  }
  // The main task and its spawners, live throughout.
  for (let task = 0; task <= w.parallelism; task++) {
    for (let i = 0; i < w.breakpoints; i++) hw.reserve({ task, type: "rw" });
  }
  const spec = { task: 0, cpu: -1, type: "rw" as const };
  const handles: BreakpointHandle[] = new Array(
    Math.min(w.parallelism, w.repeat) * w.threads * w.breakpoints,
  ).fill(null);
  let nextTask = FIRST_THREAD_TASK;
  return {
    name,
    run(reps: number): number {
      let pairs = 0;
      for (let rep = 0; rep < reps; rep++) {
        let remaining = w.repeat;
        while (remaining > 0) {
          const batches = Math.min(w.parallelism, remaining);
          remaining -= batches;
          const threads = batches * w.threads;
          let k = 0;
          for (let j = 0; j < threads; j++) {
            spec.task = nextTask++;
            for (let i = 0; i < w.breakpoints; i++) {
              handles[k++] = hw.reserve(spec);
            }
          }
          for (let x = 0; x < k; x++) hw.release(handles[x]!);
          pairs += k;
        }
      }
      return pairs;
    },
  };
}

/** The practical minimum on the same operations. */
export function minimumVariant(w: Workload, backgroundTasks = 0): Variant {
  const min = new PracticalMinimum(w.cpus, [X86_SLOTS]);
  for (let task = 0; task < backgroundTasks; task++) {
    min.reserveTask(2 ** 30 + task, 0, 1);
  }
  for (let task = 0; task <= w.parallelism; task++) {
    for (let i = 0; i < w.breakpoints; i++) min.reserveTask(task, 0, 1);
  }
  const tasks = new Int32Array(
    Math.min(w.parallelism, w.repeat) * w.threads * w.breakpoints,
  );
  let nextTask = FIRST_THREAD_TASK;
  return {
    name: "minimum",
    run(reps: number): number {
      let pairs = 0;
      for (let rep = 0; rep < reps; rep++) {
        let remaining = w.repeat;
        while (remaining > 0) {
          const batches = Math.min(w.parallelism, remaining);
          remaining -= batches;
          const threads = batches * w.threads;
          let k = 0;
          for (let j = 0; j < threads; j++) {
            const task = nextTask++;
            for (let i = 0; i < w.breakpoints; i++) {
              if (!min.reserveTask(task, 0, 1)) throw new Error("ENOSPC");
              tasks[k++] = task;
            }
          }
          for (let x = 0; x < k; x++) min.releaseTask(tasks[x]!, 0, 1);
          pairs += k;
        }
      }
      return pairs;
    },
  };
}
