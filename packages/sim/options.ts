/**
 * Options and results of the `perf bench breakpoint thread` simulation.
 *
 * @module
 */
import {
  ACCOUNTING_STRATEGIES,
  type AccountingStrategy,
  type BreakpointConstraints,
  type LockingDiscipline,
} from "@hwbp/core";
import type { CostTable } from "./cost_table.ts";
import type { IndexName } from "./task_indexes.ts";

/**
 * How the simulated kernel accounts breakpoint slots:
 * - `"current"`: Linux v6.1 and later (global histograms, fast paths);
 * - `"reserve-fastpath"`: the series' patch 13 alone (the reserve fast
 *   path, but per-CPU loops on every update);
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
 * Every {@linkcode SimStrategy}: the engine's strategies, then `"none"`.
 *
 * @example Usage
 * ```ts
 * import { SIM_STRATEGIES } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * assert.ok(SIM_STRATEGIES.includes("legacy"));
 * assert.equal(SIM_STRATEGIES.at(-1), "none");
 * ```
 */
export const SIM_STRATEGIES: readonly SimStrategy[] = Object.freeze([
  ...ACCOUNTING_STRATEGIES,
  "none",
]);

/**
 * Which clock times a run:
 * - `"wall"`: the time this JavaScript thread takes to do every accounting
 *   call one after the other, measured;
 * - `"model"`: the virtual-time model, in which the spawners run in
 *   parallel on their own CPUs, locks serialise what they protect, and
 *   every step costs what the cost table says. Identical on every run and
 *   every machine.
 *
 * @example Usage
 * ```ts
 * import { type SimClock, simulateBreakpointThread } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * const clock: SimClock = "model";
 * const a = simulateBreakpointThread({ cpus: 8, clock });
 * const b = simulateBreakpointThread({ cpus: 8, clock });
 * assert.equal(a.totalSeconds, b.totalSeconds);
 * ```
 */
export type SimClock = "wall" | "model";

/**
 * Every {@linkcode SimClock}.
 *
 * @example Usage
 * ```ts
 * import { SIM_CLOCKS } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(SIM_CLOCKS, ["wall", "model"]);
 * ```
 */
export const SIM_CLOCKS: readonly SimClock[] = Object.freeze([
  "wall",
  "model",
]);

/**
 * The seed every rhltable of the simulator gets unless told otherwise, so
 * that the work counters of a run are the same in every process.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_SEED, simulateBreakpointThread } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * assert.equal(simulateBreakpointThread({ cpus: 4 }).seed, DEFAULT_SEED);
 * ```
 */
export const DEFAULT_SEED = 1;

/**
 * Options of `simulateBreakpointThread()`. The first five are the
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
   * What serialises the accounting (default `"rwsem"`): `"mutex"` is the
   * one global `nr_bp_mutex` of Linux ≤ v5.19; `"rwsem"` the task's
   * `perf_event_mutex` plus the `bp_cpuinfo_sem` percpu-rwsem of v6.1.
   * Only the `"model"` clock sees the difference.
   */
  locking?: LockingDiscipline;
  /**
   * Seed of the rhltable index, an integer from 0 to 2³² − 1 (default
   * {@linkcode DEFAULT_SEED}): with it pinned, every work counter is the
   * same in every run, process and machine.
   */
  seed?: number;
  /** Which clock times the run (default `"wall"`). */
  clock?: SimClock;
  /**
   * The virtual-time model's costs (default `DEFAULT_COST_TABLE`); only
   * with `clock: "model"`.
   */
  costs?: CostTable;
  /**
   * An engine to drive instead of building one from `cpus`, `strategy`,
   * `index`, `locking` and `seed`, which must then be left out. It must
   * hold no task breakpoints (the workload's task ids start at 0);
   * CPU-pinned ones may stay. Every exit, error or not, leaves it holding
   * exactly what it held before.
   */
  constraints?: BreakpointConstraints;
  /**
   * Called after every thread start and exit with the number done so far
   * and the total, `2 × repeat × threads`. With the wall clock it runs
   * inside the timed region: keep it cheap.
   */
  onProgress?: (done: number, total: number) => void;
  /** The wall clock, in milliseconds (default `performance.now`). */
  now?: () => number;
}

/**
 * Where the modelled time went, along the path that ends last (the main
 * task creating spawners, then the spawner joined last). The parts add up
 * to the total. Seconds of virtual time.
 *
 * @example Usage
 * ```ts
 * import { simulateBreakpointThread } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * const { breakdown, totalSeconds } = simulateBreakpointThread({ cpus: 8, clock: "model" });
 * const sum = breakdown!.threads + breakdown!.events + breakdown!.accounting +
 *   breakdown!.locks + breakdown!.waiting;
 * assert.ok(Math.abs(sum - totalSeconds) < 1e-12);
 * ```
 */
export interface ModelBreakdown {
  /** Creating and joining threads. */
  threads: number;
  /** Inheriting and freeing perf events, apart from their accounting. */
  events: number;
  /** The accounting calls themselves, from the engine's work counters. */
  accounting: number;
  /** Taking and dropping locks nobody else held. */
  locks: number;
  /** Waiting for locks others held, wake-up included. */
  waiting: number;
}

/**
 * What `simulateBreakpointThread()` measured or modelled and counted, with
 * the parameters it ran. Plain data, ready for `JSON.stringify`.
 *
 * @example Usage
 * ```ts
 * import { type BreakpointThreadResult, simulateBreakpointThread } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * const result: BreakpointThreadResult = simulateBreakpointThread({ cpus: 4 });
 * assert.equal(result.reserves, 10); // 10 batches of 1 thread with 1 breakpoint
 * assert.equal(result.releases, result.reserves);
 * assert.equal(result.clock, "wall");
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
  /** The locking discipline. */
  locking: LockingDiscipline;
  /** The rhltable seed (reported whatever the index). */
  seed: number;
  /** Which clock `totalSeconds` is on. */
  clock: SimClock;
  /** Time of the timed region, in seconds: measured, or modelled. */
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
   * Most batch-thread breakpoints live at once. With the wall clock,
   * min(parallelism, repeat) × threads × breakpoints; the model's
   * interleaving can differ.
   */
  peakLive: number;
  /** Index lookups in the timed region (0 with `"none"`). */
  lookups: number;
  /** Index entries examined in the timed region. */
  entriesVisited: number;
  /** Index buckets or list heads touched in the timed region. */
  bucketsTouched: number;
  /** With the `"model"` clock: where the modelled time went. */
  breakdown?: ModelBreakdown;
}
