/**
 * The table behind `RhlTableTaskIndex`: the kernel's `rhltable` keyed by
 * task (`lib/rhashtable.c`, `include/linux/rhashtable.h`), over the typed
 * storage of `_task_slab.ts`. Its rules are `RhlTable`'s, from the same
 * modules: the sizes, the 75% and 30% thresholds and the shrink target
 * (`_sizing.ts`), the incremental migration of 16 buckets per insert or
 * remove, the stream of per-table seeds (`_seeds.ts`), the flooding
 * defence and the `E2BIG` bound. With one seed, the two make the same
 * decisions on the same keys; only the storage differs. Values link
 * themselves (see `LinkedValue`): a key node holds its task's newest
 * breakpoint, and each breakpoint's index entry leads to the next older
 * one. Private to this package.
 *
 * @module
 */

import { getIndexEntry, setIndexEntry, type TaskBreakpoint } from "@hwbp/core";
import {
  NO_KEY,
  NO_SUCH_VALUE,
  REMOVED_LAST_VALUE,
  REMOVED_VALUE,
} from "./_chains.ts";
import { jhashInt32 } from "./_jhash.ts";
import { CHECK_GROW, CHECK_NONE, ResizingTable } from "./_resizing.ts";
import type { ChainWork } from "./_rhashtable.ts";
import { ELASTICITY, MIGRATE_BUCKETS_PER_OP } from "./_sizing.ts";
import { hashTask, NO_NODE, TaskBuckets, TaskSlab } from "./_task_slab.ts";

/**
 * A value that links its key's next older value itself, as the kernel's
 * objects embed their `struct rhlist_head`: the table keeps one node per
 * key, holding the newest value, and the value's index entry
 * (`getIndexEntry()` / `setIndexEntry()` of `@hwbp/core`, a #private field
 * of the engine's breakpoint) leads from each value to the next (`null`
 * after the oldest).
 */
export type LinkedValue = TaskBreakpoint;

/** The non-empty chains of one migration step (see `#migrateStep()`). */
const RUN = new Int32Array(MIGRATE_BUCKETS_PER_OP);

/**
 * One task index's table: the current bucket table, the one it migrates
 * to, and the key nodes of both. The counters an index reports (lookups'
 * and removals' buckets and entries, the buckets its inserts and removes
 * migrate) go to the `work` each call passes; the table's own `work`
 * counts hashes and migration, as `RhlTable`'s does. `nodesAllocated`
 * counts key nodes taken: one per new key.
 */
export class TaskTable<V extends LinkedValue> extends ResizingTable<
  TaskBuckets
> {
  /** Every key node of both tables. */
  readonly nodes: TaskSlab<V> = new TaskSlab<V>();

  protected newTable(size: number, seed: number): TaskBuckets {
    return new TaskBuckets(size, seed);
  }

  /**
   * `rhltable_lookup()`: the key node of `key`, or {@linkcode NO_NODE}. The
   * buckets and chain entries it examines count in `work`, its hashes in
   * the table's. Small and flat, so that V8 inlines it into the index.
   */
  find(key: number, work: ChainWork): number {
    if (this.future !== null) return this.#findMigrating(key, work);
    const tbl = this.tbl;
    this.work.hashes++;
    work.bucketsTouched++;
    const n = this.#walk(tbl, tbl.hash(key) & tbl.mask, key);
    work.entriesVisited += this.#walked;
    return n;
  }

  /** {@linkcode find} while a migration runs: one or both tables. */
  #findMigrating(key: number, work: ChainWork): number {
    const old = this.tbl;
    const future = this.future!;
    this.work.hashes++;
    const i = old.hash(key) & old.mask;
    // A moved old bucket is empty: go straight to the new table.
    let visited = 0;
    if (i >= old.rehash) {
      work.bucketsTouched++;
      const n = this.#walk(old, i, key);
      visited = this.#walked;
      if (n !== NO_NODE) {
        work.entriesVisited += visited;
        return n;
      }
    }
    this.work.hashes++;
    work.bucketsTouched++;
    const n = this.#walk(future, future.hash(key) & future.mask, key);
    work.entriesVisited += visited + this.#walked;
    return n;
  }

  /** Key nodes the last {@linkcode #walk} passed, the found one included. */
  #walked = 0;

  /** The key node of `key` in bucket `i` of `tbl`; see {@linkcode #walked}. */
  #walk(tbl: TaskBuckets, i: number, key: number): number {
    const keys = this.nodes.keys;
    const chain = this.nodes.chain;
    let visited = 0;
    let n = tbl.slots[i]!;
    for (; n !== NO_NODE; n = chain[n]!) {
      visited++;
      if (keys[n] === key) break;
    }
    this.#walked = visited;
    return n;
  }

  /**
   * `rhltable_insert()` of `value` under `key`: a new key gets a node; for
   * a present key, `value` becomes the newest of its list. Counts in
   * `work` the buckets its migration step moves; its own walk of the
   * chain is not counted.
   *
   * @throws {RhlTableError} `E2BIG` for a new key in a full table.
   */
  insert(key: number, value: V, work: ChainWork): void {
    if (this.future !== null) {
      this.#insertMigrating(key, value, work);
      return;
    }
    const tbl = this.tbl;
    const h = tbl.hash(key);
    if (this.keyCount >= this.maxKeys) this.#refuseNewKey(key, h, 0);
    this.#joinOrAdd(tbl, h & tbl.mask, key, value);
  }

  /** {@linkcode insert} while a migration runs. */
  #insertMigrating(key: number, value: V, work: ChainWork): void {
    const old = this.tbl;
    const future = this.future!;
    const hOld = old.hash(key);
    const hFuture = future.hash(key);
    if (this.keyCount >= this.maxKeys) this.#refuseNewKey(key, hOld, hFuture);
    work.bucketsTouched += this.#migrateStep();
    // The step may have completed the migration: the new table is then the
    // only one, and its hash is `hFuture`.
    let tbl = this.tbl;
    let h = tbl === old ? hOld : hFuture;
    if (this.future !== null) {
      // As in the kernel's rhashtable_try_insert(): a key whose old bucket
      // has not moved yet may still live there, and must be joined there.
      const i = hOld & tbl.mask;
      if (i >= tbl.rehash) {
        const n = this.#walk(tbl, i, key);
        if (n !== NO_NODE) {
          this.#join(n, value);
          return;
        }
      }
      tbl = this.future;
      h = hFuture;
    }
    this.#joinOrAdd(tbl, h & tbl.mask, key, value);
  }

  /**
   * Ends an insert in bucket `i` of `tbl`, the table a new key goes to:
   * one walk finds a present key, or counts the keys it passes for the
   * flooding defence.
   */
  #joinOrAdd(tbl: TaskBuckets, i: number, key: number, value: V): void {
    const n = this.#walk(tbl, i, key);
    if (n !== NO_NODE) this.#join(n, value);
    else this.#addKey(tbl, i, key, value, this.#walked);
  }

  /** Makes `value` the newest of key node `n`'s list. */
  #join(n: number, value: V): void {
    const heads = this.nodes.heads;
    setIndexEntry(value, heads[n]!);
    heads[n] = value;
    this.size++;
    this.version++;
    this.settle(CHECK_NONE);
  }

  /**
   * Ends an insert of a new key, which met `depth` keys in bucket `i` of
   * `tbl`: its node heads that bucket, or, past the flooding defence's
   * bound, a bucket of a new table.
   */
  #addKey(
    tbl: TaskBuckets,
    i: number,
    key: number,
    value: V,
    depth: number,
  ): void {
    if (depth >= ELASTICITY && this.future === null) {
      // Flooding defence: this chain already holds 16 keys. Rehash with a
      // fresh seed and put the new key in the new table.
      tbl = this.flood(tbl.size);
      i = tbl.hash(key) & tbl.mask;
    }
    setIndexEntry(value, null);
    // -0 is stored as 0: the two are one key.
    tbl.slots[i] = this.nodes.take(key === 0 ? 0 : key, value, tbl.slots[i]!);
    this.nodesAllocated++;
    this.keyCount++;
    this.size++;
    this.version++;
    this.settle(CHECK_GROW);
  }

  /**
   * `rhltable_remove()` of `value` from `key`'s list. Counts in `work` the
   * buckets its migration step moves and the buckets and entries its walk
   * examines.
   *
   * @returns Whether the value was there (and so is now removed).
   */
  remove(key: number, value: V, work: ChainWork): boolean {
    if (this.future !== null) return this.#removeMigrating(key, value, work);
    const tbl = this.tbl;
    const i = tbl.hash(key) & tbl.mask;
    return this.removed(this.#removeFrom(tbl, i, key, value, work));
  }

  /** {@linkcode remove} while a migration runs. */
  #removeMigrating(key: number, value: V, work: ChainWork): boolean {
    const old = this.tbl;
    const future = this.future!;
    const hOld = old.hash(key);
    const hFuture = future.hash(key);
    work.bucketsTouched += this.#migrateStep();
    let found = NO_KEY;
    if (this.tbl !== old) {
      // The step completed the migration.
      const tbl = this.tbl;
      found = this.#removeFrom(tbl, hFuture & tbl.mask, key, value, work);
    } else {
      const i = hOld & old.mask;
      const next = this.future;
      if (next === null || i >= old.rehash) {
        found = this.#removeFrom(old, i, key, value, work);
      }
      if (found === NO_KEY && next !== null) {
        found = this.#removeFrom(next, hFuture & next.mask, key, value, work);
      }
    }
    return this.removed(found);
  }

  /**
   * Takes `value` out of `key`'s list in bucket `i` of `tbl`, and the key
   * out of the chain with its last value. Counts the bucket and the
   * entries it examines (key nodes passed, then older values) in `work`.
   *
   * @returns What it found: `NO_KEY`, `NO_SUCH_VALUE`, `REMOVED_VALUE` or
   * `REMOVED_LAST_VALUE`.
   */
  #removeFrom(
    tbl: TaskBuckets,
    i: number,
    key: number,
    value: V,
    work: ChainWork,
  ): number {
    work.bucketsTouched++;
    const nodes = this.nodes;
    const keys = nodes.keys;
    const chain = nodes.chain;
    let prev = NO_NODE;
    let visited = 0;
    let result = NO_KEY;
    for (let n = tbl.slots[i]!; n !== NO_NODE; n = chain[n]!) {
      visited++;
      if (keys[n] !== key) {
        prev = n;
        continue;
      }
      result = NO_SUCH_VALUE;
      const newest = nodes.heads[n]!;
      if (newest === value) {
        const older = getIndexEntry(value) as V | null;
        setIndexEntry(value, null);
        if (older !== null) {
          nodes.heads[n] = older;
          result = REMOVED_VALUE;
          break;
        }
        // The key's last value: its node leaves the chain.
        if (prev === NO_NODE) tbl.slots[i] = chain[n]!;
        else chain[prev] = chain[n]!;
        nodes.give(n);
        result = REMOVED_LAST_VALUE;
        break;
      }
      for (
        let before = newest, v = getIndexEntry(before) as V | null;
        v !== null;
        v = getIndexEntry(v) as V | null
      ) {
        visited++;
        if (v === value) {
          setIndexEntry(before, getIndexEntry(value));
          setIndexEntry(value, null);
          result = REMOVED_VALUE;
          break;
        }
        before = v;
      }
      break;
    }
    work.entriesVisited += visited;
    return result;
  }

  /**
   * Moves the next 16 old buckets to the new table, as one round of the
   * kernel's `rhashtable_rehash_table()` loop: each key node of a bucket's
   * chain, in order, is rehashed under the new table's seed and pushed on
   * its new bucket (`rhashtable_rehash_one()`). Retires the old table when
   * none are left.
   *
   * @returns The number of buckets moved.
   */
  #migrateStep(): number {
    const future = this.future;
    if (future === null) return 0;
    const old = this.tbl;
    const start = old.rehash;
    const end = Math.min(start + MIGRATE_BUCKETS_PER_OP, old.size);
    const from = old.slots;
    // About half of the buckets of a table at the grow threshold are
    // empty, at random, so a branch on each bucket's emptiness would be
    // mispredicted about every other bucket, at a cost above the move
    // itself. So the run's non-empty chains are first gathered, counted
    // with arithmetic rather than a branch, and only those are walked.
    const run = RUN;
    let chains = 0;
    for (let i = start; i < end; i++) {
      const n = from[i]!;
      from[i] = NO_NODE;
      run[chains] = n;
      chains += +(n !== NO_NODE);
    }
    const keys = this.nodes.keys;
    const chain = this.nodes.chain;
    const to = future.slots;
    const seed = future.seed;
    const mask = future.mask;
    let moved = 0;
    for (let c = 0; c < chains; c++) {
      for (let n = run[c]!; n !== NO_NODE;) {
        const rest = chain[n]!;
        const key = keys[n]!;
        // An int32 id hashes as an int32 (`key | 0`), so that the hash's
        // type feedback stays that of the lookups' small integers.
        const h = (key | 0) === key
          ? jhashInt32(key | 0, seed)
          : hashTask(key, seed);
        const j = h & mask;
        chain[n] = to[j]!;
        to[j] = n;
        n = rest;
        moved++;
      }
    }
    this.work.hashes += moved;
    old.rehash = end;
    this.version++;
    this.stepped(end - start);
    return end - start;
  }

  /**
   * Throws `E2BIG` for a key that is not in a full table. Out of line: it
   * runs only when the table is full. Its walks count in the table's work.
   */
  #refuseNewKey(key: number, hOld: number, hFuture: number): void {
    const old = this.tbl;
    const future = this.future;
    const i = hOld & old.mask;
    if ((future === null || i >= old.rehash) && this.#has(old, i, key)) return;
    if (future !== null && this.#has(future, hFuture & future.mask, key)) {
      return;
    }
    throw this.full(key);
  }

  /** Whether bucket `i` of `tbl` holds `key`, counted as a lookup's walk. */
  #has(tbl: TaskBuckets, i: number, key: number): boolean {
    this.work.bucketsTouched++;
    const n = this.#walk(tbl, i, key);
    this.work.entriesVisited += this.#walked;
    return n !== NO_NODE;
  }

  /** Most key nodes in one bucket of `tbl` at or after bucket `from`. */
  longestChain(tbl: TaskBuckets, from: number): number {
    return tbl.longestChain(from, this.nodes.chain);
  }
}
