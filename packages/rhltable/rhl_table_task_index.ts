/**
 * {@linkcode RhlTableTaskIndex}: the constraint engine's per-task index as
 * the kernel has kept it since v6.1, an `rhltable` keyed by task.
 *
 * @module
 */

import {
  getIndexEntry,
  getIndexKey,
  setIndexEntry,
  type TaskBreakpoint,
  type TaskIndex,
  type TaskIndexWork,
  type TaskVisitor,
} from "@hwbp/core";
import type { BucketTable, Entry } from "./_bucket_table.ts";
import { insertLinkedInt32, removeLinkedInt32 } from "./_int32_linked.ts";
import { parseOptions } from "./_options.ts";
import { Rhashtable } from "./_rhashtable.ts";
import { tableStats } from "./_stats.ts";
import { RhlTableError } from "./rhl_table_error.ts";
import type { RhlTableStats, RhlTableWork } from "./rhl_table_types.ts";

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
 * Only a task's first breakpoint allocates a node. The table is the one
 * behind `RhlTable`, with its sizing, incremental resize, seeded hash and
 * flooding defence; `keyCount` counts tasks.
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
  readonly #table: Rhashtable<number, TaskBreakpoint>;
  /** The table's live work counters, updated in place. */
  readonly #tableWork: RhlTableWork;
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
    this.#table = new Rhashtable<number, TaskBreakpoint>(
      parseOptions({
        ...(sizeHint === undefined ? {} : { sizeHint }),
        ...(seed === undefined ? {} : { seed }),
        ...(automaticShrinking === undefined ? {} : { automaticShrinking }),
      }),
      true,
    );
    this.#tableWork = this.#table.work;
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
    const task = getIndexKey(bp);
    const head = (task | 0) === task
      ? insertLinkedInt32(this.#table, task, bp, this.#work)
      : this.#insertAny(bp);
    if (head === null) {
      setIndexEntry(bp, null);
    } else {
      // The task has breakpoints already: bp becomes its newest.
      setIndexEntry(bp, head.value);
      head.value = bp;
    }
  }

  /** The table's general insert, for a task id beyond int32. */
  #insertAny(bp: TaskBreakpoint): Entry<number, TaskBreakpoint> | null {
    const table = this.#tableWork;
    const migrated = table.bucketsMigrated;
    const head = this.#table.insertLinked(getIndexKey(bp), bp);
    this.#work.bucketsTouched += table.bucketsMigrated - migrated;
    return head;
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
    const task = getIndexKey(bp);
    if ((task | 0) === task) {
      return removeLinkedInt32(this.#table, task, bp, this.#work);
    }
    const own = this.#work;
    const table = this.#tableWork;
    const entries = table.entriesVisited;
    const buckets = table.bucketsTouched + table.bucketsMigrated;
    const removed = this.#table.removeLinked(getIndexKey(bp), bp);
    own.entriesVisited += table.entriesVisited - entries;
    own.bucketsTouched += table.bucketsTouched + table.bucketsMigrated -
      buckets;
    return removed;
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
    // Task ids are int32 in practice: the table's int32 lookup counts the
    // chain it walks (the task's head among its key nodes) straight into
    // our counters. Other ids take the general path below.
    const head = (task | 0) === task
      ? this.#table.findInt32(task, own, true)
      : this.#findAny(task);
    if (head === null) return;
    // The task's older breakpoints are counted as they are reached.
    let bp = head.value;
    let visited = 0;
    while (visitor.visit(bp)) {
      const older = getIndexEntry(bp) as TaskBreakpoint | null;
      if (older === null) break;
      visited++;
      bp = older;
    }
    own.entriesVisited += visited;
  }

  /** `find()` of a task id beyond int32, counted as the fast path counts. */
  #findAny(task: number): Entry<number, TaskBreakpoint> | null {
    const own = this.#work;
    const table = this.#tableWork;
    const entries = table.entriesVisited;
    const buckets = table.bucketsTouched;
    const head = this.#table.find(task);
    own.entriesVisited += table.entriesVisited - entries;
    own.bucketsTouched += table.bucketsTouched - buckets;
    return head;
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
    const table = this.#tableWork;
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
    for (let t: BucketTable<number, TaskBreakpoint> | null = old; t !== null;) {
      for (let i = t === old ? old.rehash : 0; i < t.size; i++) {
        for (
          let head: Entry<number, TaskBreakpoint> | null = t.head(i);
          head !== null;
          head = head.chain
        ) {
          for (let bp: TaskBreakpoint | null = head.value; bp !== null;) {
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
