/**
 * The cost table of the virtual-time model: what each step of
 * `perf bench breakpoint thread` costs, in nanoseconds of virtual time.
 *
 * @module
 */

/**
 * Virtual nanoseconds per unit of each engine work counter, summed per
 * accounting call: `calls` is the fixed cost of one reserve or release,
 * the rest are per CPU-loop iteration, histogram cell read or written,
 * index lookup, index entry examined, bucket or list head touched, index
 * insert and index remove.
 *
 * @example Usage
 * ```ts
 * import { type AccountingCosts, DEFAULT_COST_TABLE } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * const costs: AccountingCosts = DEFAULT_COST_TABLE.accounting;
 * assert.ok(costs.entriesVisited > 0);
 * ```
 */
export interface AccountingCosts {
  /** Per accounting call (`reserve_bp_slot()` or `release_bp_slot()`). */
  calls: number;
  /** Per iteration of a loop over CPUs. */
  cpuLoopIterations: number;
  /** Per slot-histogram cell read or written. */
  histogramCells: number;
  /** Per task lookup in the index (`task_bp_pinned()`). */
  lookups: number;
  /** Per index entry examined. */
  entriesVisited: number;
  /** Per hash bucket or list head touched. */
  bucketsTouched: number;
  /** Per breakpoint stored in the index. */
  inserts: number;
  /** Per breakpoint removed from the index. */
  removes: number;
}

/**
 * Every cost the virtual-time model charges, in nanoseconds.
 *
 * - `threadCreate`, `threadExit`, `perEvent`: a thread's creation and exit,
 *   and the work of inheriting (or freeing) one perf event apart from its
 *   slot accounting. The defaults are solved from the kernel's two floor
 *   rows by {@linkcode deriveFloorCosts}.
 * - `accounting`, `indexAccounting`: per-unit costs of the engine's work
 *   counters, fitted on a real engine by the repository's calibration
 *   command, over every index and for each index.
 * - `lockAcquire`: taking and dropping one uncontended lock; `lockWakeup`:
 *   the delay between a lock's release and its sleeping waiter running.
 *   Measured by the same command.
 *
 * @example Usage
 * ```ts
 * import { type CostTable, DEFAULT_COST_TABLE } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * // The defaults, with free locks.
 * const costs: CostTable = { ...DEFAULT_COST_TABLE, lockAcquire: 0, lockWakeup: 0 };
 * assert.equal(costs.threadCreate, DEFAULT_COST_TABLE.threadCreate);
 * ```
 */
export interface CostTable {
  /** Creating one thread, in the parent's context (`copy_process()`). */
  threadCreate: number;
  /** One thread's exit and join. */
  threadExit: number;
  /** Inheriting or freeing one perf event, without its slot accounting. */
  perEvent: number;
  /**
   * Per-unit costs of one accounting call, for an index without an entry
   * in `indexAccounting`.
   */
  accounting: AccountingCosts;
  /**
   * Per-unit costs by index name (`TaskIndex.name`, such as `"list"`):
   * a lookup or an entry costs what it costs in that data structure.
   */
  indexAccounting?: { readonly [index: string]: AccountingCosts };
  /** Taking and dropping one lock nobody else holds. */
  lockAcquire: number;
  /** From a lock's release to its woken waiter running (a hand-off). */
  lockWakeup: number;
}

/**
 * The kernel's two floor rows, the only kernel measurements the model
 * takes as inputs (from the commit messages of the 2022 series
 * "perf/hw_breakpoint: Optimize for thousands of tasks", 256 CPUs,
 * `perf bench -r 30 breakpoint thread -b 4 -p 64 -t 64`):
 * `noBreakpoints` is the `-b 0` run, `accountingDisabled` the run with the
 * slot accounting compiled out. Seconds.
 *
 * @example Usage
 * ```ts
 * import { KERNEL_FLOOR_ROWS } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * assert.equal(KERNEL_FLOOR_ROWS.noBreakpoints, 0.060);
 * assert.equal(KERNEL_FLOOR_ROWS.workload.parallelism, 64);
 * ```
 */
export const KERNEL_FLOOR_ROWS: {
  readonly workload: {
    readonly cpus: number;
    readonly repeat: number;
    readonly breakpoints: number;
    readonly parallelism: number;
    readonly threads: number;
  };
  readonly noBreakpoints: number;
  readonly accountingDisabled: number;
} = Object.freeze({
  workload: Object.freeze({
    cpus: 256,
    repeat: 30,
    breakpoints: 4,
    parallelism: 64,
    threads: 64,
  }),
  noBreakpoints: 0.060,
  accountingDisabled: 0.067,
});

/**
 * Share of a thread's cost charged to its creation; the rest is its exit.
 * No kernel row tells the two apart: the model splits a thread evenly.
 */
export const THREAD_CREATE_SHARE = 0.5;

/**
 * The default cost table.
 *
 * - `threadCreate`, `threadExit`, `perEvent`: `deriveFloorCosts()` of
 *   {@linkcode KERNEL_FLOOR_ROWS}, with {@linkcode THREAD_CREATE_SHARE}
 *   (a test checks these literals against it).
 * - `accounting`, `lockAcquire`, `lockWakeup`: measured by the
 *   repository's `deno task calibrate` (bench/calibrate.ts) on the machine
 *   and date noted beside them. `lockWakeup` is a futex hand-off between
 *   two workers (`Atomics.wait` / `Atomics.notify`), half a round trip.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_COST_TABLE } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * assert.ok(Object.isFrozen(DEFAULT_COST_TABLE));
 * assert.ok(DEFAULT_COST_TABLE.threadCreate > DEFAULT_COST_TABLE.perEvent);
 * ```
 */
export const DEFAULT_COST_TABLE: Readonly<CostTable> = Object.freeze({
  // deriveFloorCosts() of the kernel's -b 0 and accounting-disabled rows.
  threadCreate: 377358.4905660377,
  threadExit: 377358.4905660377,
  perEvent: 11006.289308177315,
  // CALIBRATION START
  // deno task calibrate, 2026-11-27, 2 × AMD EPYC, Linux 6.18.44-fc-v669, Deno 2.9.6
  accounting: Object.freeze({
    calls: 67.73,
    cpuLoopIterations: 1.432,
    histogramCells: 0.1868,
    lookups: 13.33,
    entriesVisited: 1.611,
    bucketsTouched: 0,
    inserts: 0,
    removes: 0,
  }),
  indexAccounting: Object.freeze({
    "list": Object.freeze({
      calls: 66.15,
      cpuLoopIterations: 1.047,
      histogramCells: 0.5051,
      lookups: 4.102,
      entriesVisited: 1.671,
      bucketsTouched: 0,
      inserts: 0,
      removes: 0,
    }),
    "chained-hash": Object.freeze({
      calls: 73.34,
      cpuLoopIterations: 1.57,
      histogramCells: 0,
      lookups: 10.25,
      entriesVisited: 4.399,
      bucketsTouched: 0,
      inserts: 0,
      removes: 0,
    }),
    "rhltable": Object.freeze({
      calls: 63.96,
      cpuLoopIterations: 1.403,
      histogramCells: 0.2748,
      lookups: 10.07,
      entriesVisited: 5.093,
      bucketsTouched: 0,
      inserts: 0,
      removes: 0,
    }),
  }),
  lockAcquire: 17.54,
  lockWakeup: 2329,
  // CALIBRATION END
});

/**
 * Checks that `costs` is a complete cost table of finite, non-negative
 * numbers.
 *
 * @param costs The table to check.
 * @returns `costs`, typed.
 * @throws {TypeError} If it is not an object or a cost is missing.
 * @throws {RangeError} If a cost is negative, infinite or NaN.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_COST_TABLE, validateCostTable } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * assert.equal(validateCostTable(DEFAULT_COST_TABLE), DEFAULT_COST_TABLE);
 * assert.throws(() => validateCostTable({ ...DEFAULT_COST_TABLE, perEvent: -1 }), RangeError);
 * ```
 */
export function validateCostTable(costs: unknown): CostTable {
  const context = "Invalid cost table";
  if (typeof costs !== "object" || costs === null) {
    throw new TypeError(`${context}: expected an object, got ${typeof costs}`);
  }
  const table = costs as Record<string, unknown>;
  for (const key of TOP_KEYS) cost(table[key], key);
  const accounting = table.accounting;
  if (typeof accounting !== "object" || accounting === null) {
    throw new TypeError(
      `${context}: accounting must be an object, got ${typeof accounting}`,
    );
  }
  units(accounting, "accounting");
  const byIndex = table.indexAccounting;
  if (byIndex !== undefined) {
    if (typeof byIndex !== "object" || byIndex === null) {
      throw new TypeError(
        `${context}: indexAccounting must be an object, got ${typeof byIndex}`,
      );
    }
    for (const [name, value] of Object.entries(byIndex)) {
      if (typeof value !== "object" || value === null) {
        throw new TypeError(
          `${context}: indexAccounting.${name} must be an object, got ${typeof value}`,
        );
      }
      units(value, `indexAccounting.${name}`);
    }
  }
  return costs as CostTable;

  function units(value: object, name: string): void {
    for (const key of ACCOUNTING_KEYS) {
      cost((value as Record<string, unknown>)[key], `${name}.${key}`);
    }
  }

  function cost(value: unknown, name: string): void {
    if (typeof value !== "number") {
      throw new TypeError(
        `${context}: ${name} must be a number, got ${typeof value}`,
      );
    }
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(
        `${context}: ${name} ${value} must be a finite number of nanoseconds, at least 0`,
      );
    }
  }
}

const TOP_KEYS = [
  "threadCreate",
  "threadExit",
  "perEvent",
  "lockAcquire",
  "lockWakeup",
] as const;

/**
 * The keys of {@linkcode AccountingCosts}, in a fixed order (the order the
 * calibration prints them in).
 *
 * @example Usage
 * ```ts
 * import { ACCOUNTING_COST_KEYS } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ACCOUNTING_COST_KEYS[0], "calls");
 * ```
 */
export const ACCOUNTING_COST_KEYS: readonly (keyof AccountingCosts)[] = Object
  .freeze([
    "calls",
    "cpuLoopIterations",
    "histogramCells",
    "lookups",
    "entriesVisited",
    "bucketsTouched",
    "inserts",
    "removes",
  ]);
const ACCOUNTING_KEYS = ACCOUNTING_COST_KEYS;
