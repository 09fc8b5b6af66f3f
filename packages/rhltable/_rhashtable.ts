/**
 * The state and the algorithms behind `RhlTable`, the kernel's
 * `struct rhashtable` (`lib/rhashtable.c`, `include/linux/rhashtable.h`):
 * the insert, remove and lookup paths over the current bucket table and
 * the one it migrates to, on the bookkeeping and resize decisions of
 * `_resizing.ts`. `RhlTable` is the documented face of it. Private to
 * this package.
 *
 * @module
 */

import { BucketTable, type Entry, newEntry } from "./_bucket_table.ts";
import { findInChain, joinChain, NO_KEY, removeFromChain } from "./_chains.ts";
import { jhashInt32 } from "./_jhash.ts";
import { KeyOps } from "./_key_ops.ts";
import { migrateBuckets } from "./_migration.ts";
import type { Settings } from "./_options.ts";
import { CHECK_GROW, CHECK_NONE, ResizingTable } from "./_resizing.ts";
import { ELASTICITY, MIGRATE_BUCKETS_PER_OP } from "./_sizing.ts";

/** The counters a chain walk adds to. */
export interface ChainWork {
  entriesVisited: number;
  bucketsTouched: number;
}

/**
 * One table's state. Fields that `RhlTable` reads for its getters, walks
 * and stats are plain; the rest is `#private`. `nodesAllocated` counts
 * value nodes: one per insert, none elsewhere.
 */
export class Rhashtable<K, V> extends ResizingTable<BucketTable<K, V>> {
  readonly keys: KeyOps<K>;

  /** @param settings The parsed options. */
  constructor(settings: Settings<K>) {
    super(settings);
    this.keys = new KeyOps(settings.hash, settings.equals, this.work);
  }

  protected newTable(size: number, seed: number): BucketTable<K, V> {
    return new BucketTable(size, seed);
  }

  /** `rhltable_insert()`; documented on `RhlTable.insert()`. */
  insert(key: K, value: V): void {
    if (this.future !== null) {
      this.#insertMigrating(key, value);
      return;
    }
    // One table: one hash, one chain. Kept apart from the two-table path
    // so that V8 inlines the whole of it (hash included) into callers.
    const tbl = this.tbl;
    const h = this.keys.hash(key, tbl.seed);
    if (this.keyCount >= this.maxKeys) this.#refuseNewKey(key, h, 0);
    const i = h & tbl.mask;
    const depth = joinChain(tbl, i, key, value, this.keys, this.work);
    if (depth < 0) this.#joined();
    else this.#addKey(tbl, i, key, value, depth);
  }

  /** {@linkcode insert} while a migration runs. */
  #insertMigrating(key: K, value: V): void {
    const keys = this.keys;
    const work = this.work;
    const old = this.tbl;
    const future = this.future!;
    // Hash first: a key that cannot be hashed throws here, before anything
    // (the migration step included) has changed.
    const hOld = keys.hash(key, old.seed);
    const hFuture = keys.hash(key, future.seed);
    if (this.keyCount >= this.maxKeys) this.#refuseNewKey(key, hOld, hFuture);
    this.#migrateStep();
    // The step may have completed the migration: the new table is then
    // the only one, and its hash is `hFuture`.
    let tbl = this.tbl;
    let h = tbl === old ? hOld : hFuture;
    if (this.future !== null) {
      // As in the kernel's rhashtable_try_insert(): a key whose old bucket
      // has not moved yet may still live there, and must be joined there.
      const i = hOld & tbl.mask;
      if (i >= tbl.rehash && joinChain(tbl, i, key, value, keys, work) < 0) {
        this.#joined();
        return;
      }
      tbl = this.future;
      h = hFuture;
    }
    const i = h & tbl.mask;
    const depth = joinChain(tbl, i, key, value, keys, work);
    if (depth < 0) this.#joined();
    else this.#addKey(tbl, i, key, value, depth);
  }

  /**
   * Ends an insert of a new key, which met `depth` keys in bucket `i` of
   * `tbl`: its node heads that bucket, or, past the flooding defence's
   * bound, a bucket of a new table.
   */
  #addKey(
    tbl: BucketTable<K, V>,
    i: number,
    key: K,
    value: V,
    depth: number,
  ): void {
    if (depth >= ELASTICITY && this.future === null) {
      // Flooding defence: this chain already holds 16 keys. Rehash with a
      // fresh seed and put the new key in the new table.
      tbl = this.flood(tbl.size);
      i = this.keys.hash(key, tbl.seed) & tbl.mask;
    }
    // Map's rule for -0: the stored key is +0 (SameValueZero finds it
    // either way).
    const stored = (key === 0 ? 0 : key) as K;
    const chain = tbl.head(i);
    tbl.setHead(i, newEntry(stored, value, null, chain));
    this.nodesAllocated++;
    this.keyCount++;
    this.size++;
    this.version++;
    this.settle(CHECK_GROW);
  }

  /** `rhltable_remove()`; documented on `RhlTable.remove()`. */
  remove(key: K, value: V): boolean {
    if (this.future !== null) return this.#removeMigrating(key, value);
    // One table, as in insert().
    const tbl = this.tbl;
    const i = this.keys.hash(key, tbl.seed) & tbl.mask;
    return this.removed(
      removeFromChain(tbl, i, key, value, this.keys, this.work),
    );
  }

  /** {@linkcode remove} while a migration runs. */
  #removeMigrating(key: K, value: V): boolean {
    const keys = this.keys;
    const work = this.work;
    const old = this.tbl;
    const future = this.future!;
    // Hash first, as in insert(): a call that throws changes nothing.
    const hOld = keys.hash(key, old.seed);
    const hFuture = keys.hash(key, future.seed);
    this.#migrateStep();
    let found = NO_KEY;
    if (this.tbl !== old) {
      // The step completed the migration.
      const tbl = this.tbl;
      found = removeFromChain(tbl, hFuture & tbl.mask, key, value, keys, work);
    } else {
      const i = hOld & old.mask;
      const next = this.future;
      if (next === null || i >= old.rehash) {
        found = removeFromChain(old, i, key, value, keys, work);
      }
      if (found === NO_KEY && next !== null) {
        const j = hFuture & next.mask;
        found = removeFromChain(next, j, key, value, keys, work);
      }
    }
    return this.removed(found);
  }

  /** Finds a key's head node in whichever table holds it. */
  find(key: K): Entry<K, V> | null {
    if (this.keys.int32 && typeof key === "number" && (key | 0) === key) {
      return this.#findInt32(key);
    }
    return this.#findAny(key);
  }

  /** `find()` of any key, with the key's hash and equality. */
  #findAny(key: K): Entry<K, V> | null {
    const keys = this.keys;
    const work = this.work;
    const tbl = this.tbl;
    const future = this.future;
    const i = keys.hash(key, tbl.seed) & tbl.mask;
    if (future === null) return findInChain(tbl, i, key, keys, work);
    // A moved old bucket is empty: go straight to the new table.
    if (i >= tbl.rehash) {
      const node = findInChain(tbl, i, key, keys, work);
      if (node !== null) return node;
    }
    const j = keys.hash(key, future.seed) & future.mask;
    return findInChain(future, j, key, keys, work);
  }

  /**
   * `find()` of an int32 key under the default hash: jhash_1word() without
   * `hashKey()`'s type dispatch, and `===` for SameValueZero, which agree
   * for an int32 key (it is not NaN, and `0 === -0`). Only for a table
   * whose `keys.int32` is set.
   */
  #findInt32(key: number): Entry<K, V> | null {
    const keys = this.keys;
    const work = this.work;
    const future = this.future;
    // One loop over the one or two tables, so that the hash (inlined
    // whole) appears once: a lookup stays small enough to inline in turn.
    let visited = 0;
    for (let tbl = this.tbl;; tbl = future!) {
      keys.countHash();
      const i = jhashInt32(key, tbl.seed) & tbl.mask;
      // A moved old bucket is empty: go straight to the new table.
      if (tbl === future || future === null || i >= tbl.rehash) {
        work.bucketsTouched++;
        for (let node = tbl.head(i); node !== null; node = node.chain) {
          visited++;
          if (node.key === key) {
            work.entriesVisited += visited;
            return node;
          }
        }
        if (tbl === future || future === null) {
          work.entriesVisited += visited;
          return null;
        }
      }
    }
  }

  /** Most key nodes in one bucket of `tbl` at or after bucket `from`. */
  longestChain(tbl: BucketTable<K, V>, from: number): number {
    return tbl.longestChain(from);
  }

  /**
   * Throws `E2BIG` for a key that is not in a full table. Out of line: it
   * runs only when the table is full.
   */
  #refuseNewKey(key: K, hOld: number, hFuture: number): void {
    const keys = this.keys;
    const work = this.work;
    const old = this.tbl;
    const future = this.future;
    const i = hOld & old.mask;
    if (
      (future === null || i >= old.rehash) &&
      findInChain(old, i, key, keys, work) !== null
    ) return;
    if (
      future !== null &&
      findInChain(future, hFuture & future.mask, key, keys, work) !== null
    ) return;
    throw this.full(key);
  }

  /** Ends an insert that joined a present key's list with a new node. */
  #joined(): void {
    this.nodesAllocated++;
    this.size++;
    this.version++;
    this.settle(CHECK_NONE);
  }

  /**
   * Moves the next few old buckets to the new table, like one round of the
   * kernel's `rhashtable_rehash_table()` loop, and retires the old table
   * when none are left.
   */
  #migrateStep(): number {
    const future = this.future;
    if (future === null) return 0;
    const old = this.tbl;
    const before = old.rehash;
    this.version++;
    try {
      migrateBuckets(old, future, this.keys, MIGRATE_BUCKETS_PER_OP);
    } finally {
      // Counted even if a custom hash threw part way: those buckets moved.
      this.stepped(old.rehash - before);
    }
    return old.rehash - before;
  }
}
