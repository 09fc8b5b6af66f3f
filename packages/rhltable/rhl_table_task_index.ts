/**
 * {@linkcode RhlTableTaskIndex}: the constraint engine's per-task index as
 * the kernel has kept it since v6.1, an `rhltable` keyed by task.
 *
 * @module
 */

import {
  getIndexEntry,
  getIndexKey,
  type TaskBreakpoint,
  type TaskIndex,
  type TaskIndexWork,
  type TaskVisitor,
} from "@hwbp/core";
import { parseOptions } from "./_options.ts";
import { NO_NODE, type TaskBuckets } from "./_task_slab.ts";
import { TaskTable } from "./_task_table.ts";
import { tableStats } from "./_stats.ts";
import { RhlTableError } from "./rhl_table_error.ts";
import type { RhlTableStats } from "./rhl_table_types.ts";

/**
 * Options of {@linkcode RhlTableTaskIndex}, passed to its
 * {@linkcode RhlTable}.
 *
 * @example A reproducible index sized for 10,000 tasks
 * ```ts
 * import { RhlTableTaskIndex, type RhlTableTaskIndexOptions } from "@hwbp/rhltable";
 * import assert from "node:assert/strict";
 *
 * const options: RhlTableTaskIndexOptions = { sizeHint: 10_000, seed: 1 };
 * assert.equal(new RhlTableTaskIndex(options).stats().bucketCount, 16384);
 * ```
 */
export interface RhlTableTaskIndexOptions {
  /** Expected number of tasks; see `RhlTableOptions.sizeHint`. */
  sizeHint?: number;
  /** Seed for reproducible hashing; see `RhlTableOptions.seed`. */
  seed?: number;
  /** Whether removals shrink the table. Default `true`. */
  automaticShrinking?: boolean;
}

/**
 * A {@linkcode TaskIndex} over an `RhlTable` keyed by task id: the kernel's
 * `task_bps_ht` from the 2022 series "perf/hw_breakpoint: Optimize for
 * thousands of tasks". Looking up a task costs O(1) on average plus its
 * own breakpoints, instead of a scan of every task breakpoint in the
 * machine.
 *
 * As the kernel embeds the table's `struct rhlist_head` in each
 * `struct hw_perf_event`, the breakpoints link themselves: the table keeps
 * one node per task, holding its newest breakpoint, and each breakpoint's
 * index entry (`getIndexEntry()`) leads to the task's next older one.
 * The table follows `RhlTable`'s rules (its sizing, thresholds, incremental
 * resize, seeded hash and flooding defence: with one seed, both make the
 * same decisions on the same keys), but keeps its buckets and its per-task
 * nodes in typed arrays, where `RhlTable` has an object per node. The
 * kernel's nodes live inside the objects they link; ours cost the garbage
 * collector nothing and take 20 bytes a task (8 for the id, 4 for the
 * chain, 8 for the newest breakpoint), so that among a million tasks a
 * lookup reaches into some 20 MB of buckets and nodes rather than 70.
 * Nodes of tasks that leave are reused; the index keeps its largest
 * size. `keyCount` counts tasks.
 *
 * Work counters: `lookups` counts {@linkcode RhlTableTaskIndex.visitTask}
 * calls; `entriesVisited` counts the entries lookups and removals examine,
 * including other tasks' key nodes in the same hash chain;
 * `bucketsTouched` counts buckets touched by lookups, removals, and
 * incremental migration (every bucket an insert or a removal moves to a
 * resized table, `rhashtable_rehash_chain()`), so that a cost model sees
 * the resize work too. An insert's own chain walk is not counted. With a
 * `seed`, every count is the same in every run, process and machine.
 *
 * | Method         | Average time          |
 * | -------------- | --------------------- |
 * | `insert()`     | O(1)                  |
 * | `remove()`     | O(task's breakpoints) |
 * | `visitTask()`  | O(task's breakpoints) |
 *
 * @example Indexing breakpoints by task
 * ```ts
 * import { createTaskBreakpoint, type TaskBreakpoint, type TaskVisitor } from "@hwbp/core";
 * import { RhlTableTaskIndex } from "@hwbp/rhltable";
 * import assert from "node:assert/strict";
 *
 * const index = new RhlTableTaskIndex();
 * const bp = (task: number): TaskBreakpoint => createTaskBreakpoint({ task, cpu: -1, slot: 1, weight: 1 });
 * const a = bp(7), b = bp(7), c = bp(8);
 * index.insert(a);
 * index.insert(b);
 * index.insert(c);
 *
 * class Weights implements TaskVisitor {
 *   total = 0;
 *   visit(bp: TaskBreakpoint): boolean {
 *     this.total += bp.weight;
 *     return true;
 *   }
 * }
 * const weights = new Weights();
 * index.visitTask(7, weights);
 * assert.equal(weights.total, 2);
 * assert.ok(index.remove(a));
 * assert.equal(index.size, 2);
 * ```
 */
export class RhlTableTaskIndex implements TaskIndex {
  /** Always `"rhltable"`. */
  readonly name: string = "rhltable";
  readonly #table: TaskTable<TaskBreakpoint>;
  readonly #work: TaskIndexWork = {
    lookups: 0,
    entriesVisited: 0,
    bucketsTouched: 0,
  };

  /**
   * Creates an empty index.
   *
   * @param options Table sizing and seed.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `sizeHint` or `seed` is out of range.
   *
   * @example With and without options
   * ```ts
   * import { RhlTableTaskIndex } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new RhlTableTaskIndex().name, "rhltable");
   * assert.throws(() => new RhlTableTaskIndex({ sizeHint: -1 }), RangeError);
   * ```
   */
  constructor(options: RhlTableTaskIndexOptions = {}) {
    const { sizeHint, seed, automaticShrinking } = options;
    this.#table = new TaskTable<TaskBreakpoint>(
      parseOptions<number>({
        ...(sizeHint === undefined ? {} : { sizeHint }),
        ...(seed === undefined ? {} : { seed }),
        ...(automaticShrinking === undefined ? {} : { automaticShrinking }),
      }),
    );
  }

  /**
   * Number of breakpoints stored.
   *
   * @returns The breakpoint count.
   *
   * @example Counting
   * ```ts
   * import { createTaskBreakpoint } from "@hwbp/core";
   * import { RhlTableTaskIndex } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const index = new RhlTableTaskIndex();
   * index.insert(createTaskBreakpoint({ task: 1, cpu: -1, slot: 1, weight: 1 }));
   * assert.equal(index.size, 1);
   * ```
   */
  get size(): number {
    return this.#table.size;
  }

  /**
   * Live work counters; they only grow until
   * {@linkcode RhlTableTaskIndex.resetWork}.
   *
   * @returns The counters object, updated in place.
   *
   * @example A lookup in an empty index
   * ```ts
   * import type { TaskBreakpoint } from "@hwbp/core";
   * import { RhlTableTaskIndex } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const index = new RhlTableTaskIndex();
   * index.visitTask(1, { visit: (_bp: TaskBreakpoint) => true });
   * assert.deepEqual(index.work, { lookups: 1, entriesVisited: 0, bucketsTouched: 1 });
   * ```
   */
  get work(): Readonly<TaskIndexWork> {
    return this.#work;
  }

  /**
   * Stores a breakpoint under its task. The caller guarantees it is not
   * stored already.
   *
   * @param bp The breakpoint to store.
   *
   * @example Storing
   * ```ts
   * import { createTaskBreakpoint } from "@hwbp/core";
   * import { RhlTableTaskIndex } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const index = new RhlTableTaskIndex();
   * index.insert(createTaskBreakpoint({ task: 3, cpu: 0, slot: 0, weight: 2 }));
   * assert.equal([...index].length, 1);
   * ```
   */
  insert(bp: TaskBreakpoint): void {
    this.#table.insert(getIndexKey(bp), bp, this.#work);
  }

  /**
   * Removes a breakpoint.
   *
   * @param bp The breakpoint to remove.
   * @returns Whether it was stored (and so is now removed).
   *
   * @example Removing twice
   * ```ts
   * import { createTaskBreakpoint, type TaskBreakpoint } from "@hwbp/core";
   * import { RhlTableTaskIndex } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const index = new RhlTableTaskIndex();
   * const bp: TaskBreakpoint = createTaskBreakpoint({ task: 3, cpu: 0, slot: 0, weight: 1 });
   * index.insert(bp);
   * assert.ok(index.remove(bp));
   * assert.ok(!index.remove(bp));
   * ```
   */
  remove(bp: TaskBreakpoint): boolean {
    return this.#table.remove(getIndexKey(bp), bp, this.#work);
  }

  /**
   * Walks one task's breakpoints, newest first, until the visitor returns
   * `false`: `rhltable_lookup()` and `rhl_for_each_entry()`, allocating
   * nothing.
   *
   * @param task The task id to look up.
   * @param visitor Receives each breakpoint of the task.
   *
   * @example Stopping early
   * ```ts
   * import { createTaskBreakpoint, type TaskBreakpoint } from "@hwbp/core";
   * import { RhlTableTaskIndex } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const index = new RhlTableTaskIndex();
   * for (let i = 0; i < 3; i++) {
   *   index.insert(createTaskBreakpoint({ task: 5, cpu: i, slot: 1, weight: 1 }));
   * }
   * let seen = 0;
   * index.visitTask(5, {
   *   visit(_bp: TaskBreakpoint): boolean {
   *     seen++;
   *     return false;
   *   },
   * });
   * assert.equal(seen, 1);
   * ```
   */
  visitTask(task: number, visitor: TaskVisitor): void {
    const own = this.#work;
    own.lookups++;
    // The table counts the chain it walks (the task's key node among the
    // others of its bucket) straight into our counters.
    const table = this.#table;
    const n = table.find(task, own);
    if (n === NO_NODE) return;
    // The task's older breakpoints are counted as they are reached.
    let bp = table.nodes.heads[n]!;
    let visited = 0;
    while (visitor.visit(bp)) {
      const older = getIndexEntry(bp) as TaskBreakpoint | null;
      if (older === null) break;
      visited++;
      bp = older;
    }
    own.entriesVisited += visited;
  }

  /**
   * Resets every work counter to zero.
   *
   * @example Starting a measurement
   * ```ts
   * import type { TaskBreakpoint } from "@hwbp/core";
   * import { RhlTableTaskIndex } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const index = new RhlTableTaskIndex();
   * index.visitTask(1, { visit: (_bp: TaskBreakpoint) => true });
   * index.resetWork();
   * assert.equal(index.work.lookups, 0);
   * ```
   */
  resetWork(): void {
    const own = this.#work;
    own.lookups = 0;
    own.entriesVisited = 0;
    own.bucketsTouched = 0;
    const table = this.#table.work;
    table.lookups = 0;
    table.entriesVisited = 0;
    table.bucketsTouched = 0;
    table.bucketsMigrated = 0;
    table.hashes = 0;
  }

  /**
   * A snapshot of the underlying table's shape, for reports.
   *
   * @returns The table's {@linkcode RhlTableStats}.
   *
   * @example Distinct tasks
   * ```ts
   * import { createTaskBreakpoint } from "@hwbp/core";
   * import { RhlTableTaskIndex } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const index = new RhlTableTaskIndex();
   * index.insert(createTaskBreakpoint({ task: 1, cpu: -1, slot: 1, weight: 1 }));
   * index.insert(createTaskBreakpoint({ task: 1, cpu: 0, slot: 1, weight: 1 }));
   * assert.equal(index.stats().keyCount, 1);
   * ```
   */
  stats(): RhlTableStats {
    return tableStats(this.#table);
  }

  /**
   * Every stored breakpoint, in no promised order. For inspection, not for
   * the hot path.
   *
   * @returns An iterator over the stored breakpoints.
   *
   * @example Listing
   * ```ts
   * import { createTaskBreakpoint } from "@hwbp/core";
   * import { RhlTableTaskIndex } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const index = new RhlTableTaskIndex();
   * index.insert(createTaskBreakpoint({ task: 2, cpu: -1, slot: 1, weight: 1 }));
   * assert.deepEqual([...index].map((bp) => bp.task), [2]);
   * ```
   */
  *[Symbol.iterator](): IterableIterator<TaskBreakpoint> {
    const ht = this.#table;
    const version = ht.version;
    const old = ht.tbl;
    const future = ht.future;
    const { chain, heads } = ht.nodes;
    for (let t: TaskBuckets | null = old; t !== null;) {
      for (let i = t === old ? old.rehash : 0; i < t.size; i++) {
        for (let n = t.slots[i]!; n !== NO_NODE; n = chain[n]!) {
          for (let bp: TaskBreakpoint | null = heads[n]!; bp !== null;) {
            const older = getIndexEntry(bp) as TaskBreakpoint | null;
            yield bp;
            if (ht.version !== version) {
              throw new RhlTableError(
                "EAGAIN",
                "Cannot continue RhlTableTaskIndex walk: the index changed since it started",
              );
            }
            bp = older;
          }
        }
      }
      t = t === old ? future : null;
    }
  }
}
