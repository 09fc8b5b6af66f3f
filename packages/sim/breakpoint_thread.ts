/**
 * The `perf bench breakpoint thread` workload, driving a
 * `BreakpointConstraints` engine instead of the kernel.
 *
 * @module
 */
import type {
  BreakpointConstraints,
  BreakpointHandle,
  BreakpointSpec,
} from "@hwbp/core";
import {
  engineFor,
  releaseAll,
  validate,
  type ValidOptions,
} from "./_validate.ts";
import type {
  BreakpointThreadOptions,
  BreakpointThreadResult,
} from "./options.ts";
import { modelBreakpointThread } from "./_virtual_time.ts";

const MAIN_TASK = 0;

/**
 * Runs `perf bench breakpoint thread` against the slot-accounting model, as
 * `tools/perf/bench/breakpoint.c` runs it against the kernel:
 *
 * 1. the main task (task 0) creates `breakpoints` inheritable breakpoints
 *    on every CPU (type `"rw"`), before the clock starts;
 * 2. the clock starts and the main task creates `parallelism` spawner
 *    threads; `pthread_create()` copies every inheritable breakpoint into
 *    each of them (`spawnerReserves`);
 * 3. the spawners share one counter of `repeat` batches. A batch creates
 *    `threads` threads (new task ids), each inheriting every breakpoint
 *    (`reserves`), then all of them exit (`releases`). A spawner that finds
 *    no batch left exits, releasing its own copies;
 * 4. the clock stops once every spawner is joined; the main task's
 *    breakpoints are closed after that.
 *
 * With `clock: "wall"` (the default), concurrency is simulated round by
 * round: each running spawner claims a batch and starts its threads, then
 * the threads of every batch of the round exit. So up to min(parallelism,
 * repeat) × threads × breakpoints batch-thread breakpoints are live at once
 * (`peakLive`), and with `repeat < parallelism` only `repeat` spawners do
 * any work. The loop allocates nothing itself: handles go to tables sized
 * before the clock starts, and every reserve reuses one spec object.
 *
 * With `clock: "model"`, the virtual-time model runs instead: each spawner
 * on its own CPU, the engine called in virtual-time order under simulated
 * locks, every step costed from `costs` (default `DEFAULT_COST_TABLE`); the
 * result carries a `breakdown`. It reads no clock: the same inputs give the
 * same result everywhere.
 *
 * Every exit, a failure included, leaves `constraints` holding exactly
 * what it held before.
 *
 * @param options The workload, the machine and the engine.
 * @returns Times, counts and the index's work counters.
 * @throws {TypeError} If an option has the wrong type, is unknown,
 * `constraints` is combined with `cpus`, `strategy`, `index`, `locking` or
 * `seed`, or `costs` comes without `clock: "model"`.
 * @throws {RangeError} If a number is out of range or not an integer, a
 * name is unknown, a cost is negative, or the workload would hold too many
 * handles at once.
 * @throws {ConstraintError} `ENOSPC` (from `@hwbp/core`) if the breakpoints
 * do not fit in the engine's slots, as `perf_event_open()` would fail.
 *
 * @example Usage
 * ```ts
 * import { simulateBreakpointThread } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * // perf bench -r 4 breakpoint thread -b 2 -p 3 -t 5, on 16 CPUs
 * const result = simulateBreakpointThread({
 *   cpus: 16,
 *   repeat: 4,
 *   breakpoints: 2,
 *   parallelism: 3,
 *   threads: 5,
 *   strategy: "legacy",
 *   index: "list",
 * });
 * assert.equal(result.reserves, 4 * 5 * 2);
 * assert.equal(result.spawnerReserves, 3 * 2);
 * assert.equal(result.peakLive, 3 * 5 * 2); // three spawners at once
 * assert.ok(result.entriesVisited > 0);
 * ```
 */
export function simulateBreakpointThread(
  options: BreakpointThreadOptions = {},
): BreakpointThreadResult {
  const o = validate(options);
  if (o.clock === "model") return modelBreakpointThread(o);
  return wallRun(o);
}

/** The handles a run holds, so that any exit can give them back. */
interface Tables {
  main: (BreakpointHandle | null)[];
  spawners: (BreakpointHandle | null)[];
  threads: (BreakpointHandle | null)[];
}

function wallRun(o: ValidOptions): BreakpointThreadResult {
  const { breakpoints: b, parallelism: p, threads: t, repeat: r } = o;
  const engine = engineFor(o, false);
  // Every table the loop needs, sized before the clock starts.
  const tables: Tables = {
    main: handleTable(b),
    spawners: handleTable(p * b),
    threads: handleTable(Math.min(p, r) * t * b),
  };
  try {
    return wallLoop(o, engine, tables);
  } catch (error) {
    // Whatever failed (a breakpoint that does not fit, a throwing
    // onProgress), give the caller's engine back as it was.
    if (engine !== null) {
      releaseAll(engine, [tables.threads, tables.spawners, tables.main]);
    }
    throw error;
  }
}

function wallLoop(
  o: ValidOptions,
  engine: BreakpointConstraints | null,
  tables: Tables,
): BreakpointThreadResult {
  const { breakpoints: b, parallelism: p, threads: t, repeat: r } = o;
  const { main: mainHandles, spawners: spawnerHandles } = tables;
  const threadHandles = tables.threads;
  const index = engine === null ? null : engine.index;
  const spec: BreakpointSpec = {
    type: "rw",
    cpu: -1,
    task: MAIN_TASK,
    inherit: true,
  };

  // The main task's breakpoints (perf_event_open() with inherit = 1),
  // before the clock starts.
  for (let i = 0; i < b; i++) {
    mainHandles[i] = engine === null ? null : engine.reserve(spec);
  }

  const exited = new Uint8Array(p);
  const onProgress = o.onProgress;
  const progressTotal = 2 * r * t;
  let progress = 0;
  let nextTask = MAIN_TASK + 1;
  let reserves = 0;
  let releases = 0;
  let spawnerReserves = 0;
  let spawnerReleases = 0;
  let live = 0;
  let peakLive = 0;
  // The caller's counters are read, never reset: the result is the
  // difference.
  const work0 = index === null ? null : { ...index.work };

  const start = o.now();

  // pthread_create() of the spawners: copy_process() gives each a copy of
  // every inheritable breakpoint of the main task (perf_event_init_task()).
  for (let s = 0; s < p; s++) {
    const task = nextTask++;
    if (engine !== null) {
      keep(engine.inherit(MAIN_TASK, task), spawnerHandles, s * b);
    }
    spawnerReserves += b;
  }

  let remaining = r;
  let running = p;
  while (running > 0) {
    // Each running spawner, in order, claims a batch (the tool's
    // __atomic_fetch_sub() on the shared counter) and starts its threads,
    // or finds none left and exits.
    let started = 0;
    for (let s = 0; s < p; s++) {
      if (exited[s] !== 0) continue;
      if (remaining > 0) {
        remaining--;
        // The spawner's threads inherit the spawner's own copies.
        const parent = MAIN_TASK + 1 + s;
        for (let j = started; j < started + t; j++) {
          const task = nextTask++;
          if (engine !== null) {
            keep(engine.inherit(parent, task), threadHandles, j * b);
          }
          reserves += b;
          live += b;
          if (onProgress !== undefined) onProgress(++progress, progressTotal);
        }
        started += t;
      } else {
        const base = s * b;
        for (let i = 0; i < b; i++) {
          const handle = spawnerHandles[base + i]!;
          spawnerHandles[base + i] = null;
          if (engine !== null) engine.release(handle);
          spawnerReleases++;
        }
        exited[s] = 1;
        running--;
      }
    }
    if (live > peakLive) peakLive = live;

    // Every thread started this round exits, dropping its breakpoints, and
    // its spawner joins it.
    for (let j = 0; j < started; j++) {
      const base = j * b;
      for (let i = 0; i < b; i++) {
        const handle = threadHandles[base + i]!;
        threadHandles[base + i] = null;
        if (engine !== null) engine.release(handle);
        releases++;
      }
      live -= b;
      if (onProgress !== undefined) onProgress(++progress, progressTotal);
    }
  }

  const elapsedMs = o.now() - start;
  const work = index === null ? null : { ...index.work };

  // close() of the main task's breakpoints, after the clock stopped.
  for (let i = 0; i < b; i++) {
    const handle = mainHandles[i]!;
    mainHandles[i] = null;
    if (engine !== null) engine.release(handle);
  }

  const usecsPerOp = elapsedMs * 1000 / r / t;
  return {
    cpus: engine === null ? o.cpus : engine.cpus,
    breakpoints: b,
    parallelism: p,
    threads: t,
    repeat: r,
    strategy: engine === null ? "none" : engine.strategy,
    index: engine === null ? o.index : engine.index.name,
    locking: o.locking,
    seed: o.seed,
    clock: "wall",
    totalSeconds: elapsedMs / 1000,
    usecsPerOp,
    usecsPerOpPerCpu: usecsPerOp * p,
    reserves,
    releases,
    spawnerReserves,
    spawnerReleases,
    peakLive,
    lookups: work === null ? 0 : work.lookups - work0!.lookups,
    entriesVisited: work === null
      ? 0
      : work.entriesVisited - work0!.entriesVisited,
    bucketsTouched: work === null
      ? 0
      : work.bucketsTouched - work0!.bucketsTouched,
  };
}

/** Stores a new thread's inherited handles at `base` of its table. */
function keep(
  handles: readonly BreakpointHandle[],
  table: (BreakpointHandle | null)[],
  base: number,
): void {
  for (let i = 0; i < handles.length; i++) table[base + i] = handles[i]!;
}

function handleTable(length: number): (BreakpointHandle | null)[] {
  // Filled, so the array starts packed and stays so.
  return new Array<BreakpointHandle | null>(length).fill(null);
}
