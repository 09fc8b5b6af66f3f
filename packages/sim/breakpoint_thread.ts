/**
 * The `perf bench breakpoint thread` workload, driving a
 * `BreakpointConstraints` engine instead of the kernel.
 *
 * @module
 */
import {
  type AccountingStrategy,
  ARCH_PROFILES,
  BreakpointConstraints,
  type BreakpointHandle,
  type BreakpointSpec,
} from "@hwbp/core";
import {
  createTaskIndex,
  INDEX_NAMES,
  type IndexName,
} from "./task_indexes.ts";

/**
 * How the simulated kernel accounts breakpoint slots:
 * - `"current"`: Linux v6.1 and later (global histograms, fast paths);
 * - `"legacy"`: Linux v5.19 and earlier (a loop over every CPU);
 * - `"none"`: accounting disabled, the kernel's "ideal" floor. The
 *   simulator does all its own bookkeeping but never calls an engine.
 *
 * @example Usage
 * ```ts
 * import { type SimStrategy, simulateBreakpointThread } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * const floor: SimStrategy = "none";
 * const result = simulateBreakpointThread({ cpus: 4, strategy: floor });
 * assert.equal(result.lookups, 0); // no engine, no index
 * ```
 */
export type SimStrategy = AccountingStrategy | "none";

/**
 * Every {@linkcode SimStrategy}.
 *
 * @example Usage
 * ```ts
 * import { SIM_STRATEGIES } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(SIM_STRATEGIES, ["current", "legacy", "none"]);
 * ```
 */
export const SIM_STRATEGIES: readonly SimStrategy[] = Object.freeze([
  "current",
  "legacy",
  "none",
]);

/**
 * Options of {@linkcode simulateBreakpointThread}. The first five are the
 * parameters of `perf bench [-r repeat] breakpoint thread -b -p -t`, with
 * the same defaults.
 *
 * @example Usage
 * ```ts
 * import type { BreakpointThreadOptions } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * // The kernel's anchor run: perf bench -r 30 breakpoint thread -b 4 -p 64 -t 64
 * const kernel: BreakpointThreadOptions = { repeat: 30, breakpoints: 4, parallelism: 64, threads: 64 };
 * assert.equal(kernel.cpus, undefined); // 256 by default
 * ```
 */
export interface BreakpointThreadOptions {
  /** Possible CPUs, from 1 to 65,536 (default 256). */
  cpus?: number;
  /**
   * `-b`: inheritable breakpoints the main task creates, from 0 to 65,536
   * (default 1). They take data slots of an x86_64 layout (4 shared
   * slots), so more than 4 fail with `ENOSPC` unless `strategy` is
   * `"none"` or `constraints` has more slots.
   */
  breakpoints?: number;
  /** `-p`: spawner threads sharing the batches, from 1 to 16,777,216 (default 1). */
  parallelism?: number;
  /** `-t`: threads per batch, from 1 to 16,777,216 (default 1). */
  threads?: number;
  /** `-r`: batches, perf bench's repeat count, from 1 to 2³¹ − 1 (default 10). */
  repeat?: number;
  /** The accounting algorithm (default `"current"`). */
  strategy?: SimStrategy;
  /** The task index (default `"rhltable"`); unused with `"none"`. */
  index?: IndexName;
  /**
   * An engine to drive instead of building one from `cpus`, `strategy` and
   * `index`, which must then be left out. It must hold no task
   * breakpoints (the workload's task ids start at 0); CPU-pinned ones may
   * stay. Its index's work counters are reset.
   */
  constraints?: BreakpointConstraints;
  /**
   * Called after every thread start and exit with the number done so far
   * and the total, `2 × repeat × threads`. It runs inside the timed region:
   * keep it cheap.
   */
  onProgress?: (done: number, total: number) => void;
  /** The clock, in milliseconds (default `performance.now`). */
  now?: () => number;
}

/**
 * What {@linkcode simulateBreakpointThread} measured and counted, with the
 * parameters it ran. Plain data, ready for `JSON.stringify`.
 *
 * @example Usage
 * ```ts
 * import { type BreakpointThreadResult, simulateBreakpointThread } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * const result: BreakpointThreadResult = simulateBreakpointThread({ cpus: 4 });
 * assert.equal(result.reserves, 10); // 10 batches of 1 thread with 1 breakpoint
 * assert.equal(result.releases, result.reserves);
 * ```
 */
export interface BreakpointThreadResult {
  /** Possible CPUs. */
  cpus: number;
  /** `-b`: breakpoints of the main task. */
  breakpoints: number;
  /** `-p`: spawner threads. */
  parallelism: number;
  /** `-t`: threads per batch. */
  threads: number;
  /** `-r`: batches. */
  repeat: number;
  /** The accounting algorithm. */
  strategy: SimStrategy;
  /** The task index's name (the requested one, though unused, with `"none"`). */
  index: string;
  /** Wall time of the timed region, in seconds. */
  totalSeconds: number;
  /** Microseconds per thread: total µs / repeat / threads. */
  usecsPerOp: number;
  /** `usecsPerOp × parallelism`, perf's "usecs/op/cpu". */
  usecsPerOpPerCpu: number;
  /** Breakpoints the batch threads inherited: repeat × threads × breakpoints. */
  reserves: number;
  /** Breakpoints released as batch threads exited; equals `reserves`. */
  releases: number;
  /** Breakpoints the spawner threads inherited: parallelism × breakpoints. */
  spawnerReserves: number;
  /** Breakpoints released as spawner threads exited; equals `spawnerReserves`. */
  spawnerReleases: number;
  /**
   * Most batch-thread breakpoints live at once:
   * min(parallelism, repeat) × threads × breakpoints.
   */
  peakLive: number;
  /** Index lookups in the timed region (0 with `"none"`). */
  lookups: number;
  /** Index entries examined in the timed region. */
  entriesVisited: number;
  /** Index buckets or list heads touched in the timed region. */
  bucketsTouched: number;
}

const CONTEXT = "Cannot simulate breakpoint thread";
const MAIN_TASK = 0;
const MAX_CPUS = 65_536;
const MAX_BREAKPOINTS = 65_536;
const MAX_THREADS = 16_777_216;
const MAX_REPEAT = 2 ** 31 - 1;
/** Bound on handles held at once, so a typo cannot exhaust memory. */
const MAX_LIVE = 16_777_216;
const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  "cpus",
  "breakpoints",
  "parallelism",
  "threads",
  "repeat",
  "strategy",
  "index",
  "constraints",
  "onProgress",
  "now",
]);

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
 * Concurrency is simulated deterministically: round by round, each running
 * spawner claims a batch and starts its threads, then the threads of every
 * batch of the round exit. So up to min(parallelism, repeat) × threads ×
 * breakpoints batch-thread breakpoints are live at once (`peakLive`), and
 * with `repeat < parallelism` only `repeat` spawners do any work.
 *
 * The loop allocates nothing itself: handles go to tables sized before the
 * clock starts, and every reserve reuses one spec object.
 *
 * @param options The workload, the machine and the engine.
 * @returns Times, counts and the index's work counters.
 * @throws {TypeError} If an option has the wrong type, is unknown, or
 * `constraints` is combined with `cpus`, `strategy` or `index`.
 * @throws {RangeError} If a number is out of range or not an integer, a
 * name is unknown, or the workload would hold too many handles at once.
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
  const { breakpoints: b, parallelism: p, threads: t, repeat: r } = o;
  const engine = o.strategy === "none" ? null : o.constraints ??
    new BreakpointConstraints({
      cpus: o.cpus,
      ...ARCH_PROFILES.x86_64,
      index: createTaskIndex(o.index),
      strategy: o.strategy,
    });
  const index = engine === null ? null : engine.index;
  const spec: BreakpointSpec & { task: number } = {
    type: "rw",
    cpu: -1,
    task: MAIN_TASK,
  };

  // The main task's breakpoints (perf_event_open() with inherit = 1),
  // before the clock starts.
  const mainHandles = handleTable(b);
  for (let i = 0; i < b; i++) {
    mainHandles[i] = engine === null ? null : engine.reserve(spec);
  }

  // Every table the loop needs, sized up front.
  const spawnerHandles = handleTable(p * b);
  const threadHandles = handleTable(Math.min(p, r) * t * b);
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
  index?.resetWork();

  const start = o.now();

  // pthread_create() of the spawners: each inherits the main task's
  // breakpoints.
  for (let s = 0; s < p; s++) {
    spec.task = nextTask++;
    const base = s * b;
    for (let i = 0; i < b; i++) {
      spawnerHandles[base + i] = engine === null ? null : engine.reserve(spec);
      spawnerReserves++;
    }
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
        for (let j = started; j < started + t; j++) {
          spec.task = nextTask++;
          const base = j * b;
          for (let i = 0; i < b; i++) {
            threadHandles[base + i] = engine === null
              ? null
              : engine.reserve(spec);
            reserves++;
          }
          live += b;
          if (onProgress !== undefined) onProgress(++progress, progressTotal);
        }
        started += t;
      } else {
        const base = s * b;
        for (let i = 0; i < b; i++) {
          if (engine !== null) engine.release(spawnerHandles[base + i]!);
          spawnerHandles[base + i] = null;
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
        if (engine !== null) engine.release(threadHandles[base + i]!);
        threadHandles[base + i] = null;
        releases++;
      }
      live -= b;
      if (onProgress !== undefined) onProgress(++progress, progressTotal);
    }
  }

  const elapsedMs = o.now() - start;
  const work = index === null ? null : index.work;
  const lookups = work === null ? 0 : work.lookups;
  const entriesVisited = work === null ? 0 : work.entriesVisited;
  const bucketsTouched = work === null ? 0 : work.bucketsTouched;

  // close() of the main task's breakpoints, after the clock stopped.
  if (engine !== null) {
    for (let i = 0; i < b; i++) engine.release(mainHandles[i]!);
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
    totalSeconds: elapsedMs / 1000,
    usecsPerOp,
    usecsPerOpPerCpu: usecsPerOp * p,
    reserves,
    releases,
    spawnerReserves,
    spawnerReleases,
    peakLive,
    lookups,
    entriesVisited,
    bucketsTouched,
  };
}

interface ValidOptions {
  cpus: number;
  breakpoints: number;
  parallelism: number;
  threads: number;
  repeat: number;
  strategy: SimStrategy;
  index: IndexName;
  constraints: BreakpointConstraints | null;
  onProgress: ((done: number, total: number) => void) | undefined;
  now: () => number;
}

function validate(options: BreakpointThreadOptions): ValidOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `${CONTEXT}: options must be an object, got ${describe(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw new TypeError(`${CONTEXT}: unknown option ${JSON.stringify(key)}`);
    }
  }
  const breakpoints = integer(options, "breakpoints", 1, 0, MAX_BREAKPOINTS);
  const parallelism = integer(options, "parallelism", 1, 1, MAX_THREADS);
  const threads = integer(options, "threads", 1, 1, MAX_THREADS);
  const repeat = integer(options, "repeat", 10, 1, MAX_REPEAT);
  const cpus = integer(options, "cpus", 256, 1, MAX_CPUS);
  const strategy = oneOf(options, "strategy", "current", SIM_STRATEGIES);
  const index = oneOf(options, "index", "rhltable", INDEX_NAMES);
  const onProgress = options.onProgress;
  if (onProgress !== undefined && typeof onProgress !== "function") {
    throw new TypeError(
      `${CONTEXT}: onProgress must be a function, got ${describe(onProgress)}`,
    );
  }
  const now = options.now ?? defaultNow;
  if (typeof now !== "function") {
    throw new TypeError(
      `${CONTEXT}: now must be a function, got ${describe(now)}`,
    );
  }

  const constraints = options.constraints ?? null;
  if (constraints !== null) {
    if (!(constraints instanceof BreakpointConstraints)) {
      throw new TypeError(
        `${CONTEXT}: constraints must be a BreakpointConstraints, got ${
          describe(constraints)
        }`,
      );
    }
    for (const key of ["cpus", "strategy", "index"] as const) {
      if (options[key] !== undefined) {
        throw new TypeError(
          `${CONTEXT}: ${key} cannot be combined with constraints, which has its own`,
        );
      }
    }
    const held = constraints.index.size;
    if (held !== 0) {
      throw new RangeError(
        `${CONTEXT}: constraints must hold no task breakpoints, got ${held}`,
      );
    }
  }

  // Bound the handle tables before allocating them.
  const batchLive = Math.min(parallelism, repeat) * threads * breakpoints;
  if (batchLive > MAX_LIVE || parallelism * breakpoints > MAX_LIVE) {
    throw new RangeError(
      `${CONTEXT}: ${
        Math.max(batchLive, parallelism * breakpoints)
      } breakpoints would be live at once (at most ${MAX_LIVE})`,
    );
  }
  if (parallelism + repeat * threads > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(
      `${CONTEXT}: repeat ${repeat} × threads ${threads} threads is too many task ids`,
    );
  }
  return {
    cpus: constraints === null ? cpus : constraints.cpus,
    breakpoints,
    parallelism,
    threads,
    repeat,
    strategy: constraints === null ? strategy : constraints.strategy,
    index,
    constraints,
    onProgress,
    now,
  };
}

function integer(
  options: BreakpointThreadOptions,
  name: "cpus" | "breakpoints" | "parallelism" | "threads" | "repeat",
  fallback: number,
  min: number,
  max: number,
): number {
  const value: unknown = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== "number") {
    throw new TypeError(
      `${CONTEXT}: ${name} must be a number, got ${describe(value)}`,
    );
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `${CONTEXT}: ${name} ${value} must be an integer from ${min} to ${max}`,
    );
  }
  return value;
}

function oneOf<T extends string>(
  options: BreakpointThreadOptions,
  name: "strategy" | "index",
  fallback: T,
  allowed: readonly T[],
): T {
  const value: unknown = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== "string") {
    throw new TypeError(
      `${CONTEXT}: ${name} must be a string, got ${describe(value)}`,
    );
  }
  if (!(allowed as readonly string[]).includes(value)) {
    throw new RangeError(
      `${CONTEXT}: unknown ${name} ${JSON.stringify(value)} (expected ${
        allowed.map((a) => JSON.stringify(a)).join(", ")
      })`,
    );
  }
  return value as T;
}

function handleTable(length: number): (BreakpointHandle | null)[] {
  // Filled, so the array starts packed and stays so.
  return new Array<BreakpointHandle | null>(length).fill(null);
}

function defaultNow(): number {
  return performance.now();
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return "a function";
  if (value === null || typeof value !== "object") return String(value);
  if (Array.isArray(value)) return "an array";
  return "an object";
}
