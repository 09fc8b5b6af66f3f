// What the engine benches time: whole perf runs, and one thread's start and
// exit beside many live tasks.
import { type B, bench, do_not_optimize } from "mitata";
import {
  type AccountingStrategy,
  ARCH_PROFILES,
  BreakpointConstraints,
  type BreakpointHandle,
} from "@hwbp/core";
import {
  type BreakpointThreadOptions,
  createTaskIndex,
  type IndexName,
  simulateBreakpointThread,
} from "@hwbp/sim";

/** The inheritable breakpoints of every simulated thread, as in the kernel's runs. */
export const BREAKPOINTS = 4;
/** Task id of the thread the per-thread benches start and stop. */
const PROBE_TASK = 2 ** 30;

/** Called from long loops so the bench can report progress. */
export type Tick = (detail?: string) => void;

/**
 * A bench of one whole `perf bench breakpoint thread` run. mitata's manual
 * timing takes each sample from the simulator's own clock, so a sample is
 * exactly perf's timed region (spawners created, batches run, spawners
 * joined), without building the engine or the main task's breakpoints.
 */
export function perfBench(
  name: string,
  options: BreakpointThreadOptions,
  tick: Tick,
): B {
  return bench(name, function* () {
    tick(name);
    yield manual(() => {
      tick(name);
      return simulateBreakpointThread(options).totalSeconds * 1e9;
    });
  });
}

/**
 * mitata's manual-timing yield: `fn` runs once per sample and returns the
 * sample in nanoseconds. mitata's types only describe plain functions.
 */
function manual(fn: () => number): () => number {
  return { manual: fn } as unknown as () => number;
}

/** An x86_64 engine of `cpus` CPUs over a fresh index. */
export function engine(
  cpus: number,
  index: IndexName,
  strategy: AccountingStrategy,
): BreakpointConstraints {
  return new BreakpointConstraints({
    cpus,
    ...ARCH_PROFILES.x86_64,
    index: createTaskIndex(index),
    strategy,
  });
}

/**
 * An engine with `tasks` live tasks of four all-CPU breakpoints each, grown
 * incrementally across a bench's ascending range so every size is built
 * once. Building through a list is O(n²), so it ticks as it goes.
 */
export class LiveTasks {
  readonly #make: () => BreakpointConstraints;
  readonly #tick: Tick;
  #hw: BreakpointConstraints | null = null;
  #tasks = 0;

  constructor(make: () => BreakpointConstraints, tick: Tick) {
    this.#make = make;
    this.#tick = tick;
  }

  grow(tasks: number): BreakpointConstraints {
    if (this.#hw === null || this.#tasks > tasks) {
      this.#hw = this.#make();
      this.#tasks = 0;
    }
    const hw = this.#hw;
    const spec = { type: "rw" as const, cpu: -1, task: 0 };
    for (; this.#tasks < tasks; this.#tasks++) {
      if ((this.#tasks & 255) === 0) {
        this.#tick(`building ${this.#tasks} of ${tasks} tasks`);
      }
      spec.task = this.#tasks + 1;
      for (let i = 0; i < BREAKPOINTS; i++) hw.reserve(spec);
    }
    return hw;
  }

  drop(): void {
    this.#hw = null;
    this.#tasks = 0;
  }
}

/**
 * The work of one thread start and exit: the probe task inherits four
 * breakpoints, then releases them. The engine ends as it began.
 */
export function threadStartExit(hw: BreakpointConstraints): () => void {
  const spec = { type: "rw" as const, cpu: -1, task: PROBE_TASK };
  const handles: (BreakpointHandle | null)[] = new Array(BREAKPOINTS).fill(
    null,
  );
  return () => {
    for (let i = 0; i < BREAKPOINTS; i++) handles[i] = hw.reserve(spec);
    for (let i = 0; i < BREAKPOINTS; i++) hw.release(handles[i]!);
    do_not_optimize(handles);
  };
}
