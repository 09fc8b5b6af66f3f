/**
 * The state and the algorithms behind `RhlTable`, the kernel's
 * `struct rhashtable` (`lib/rhashtable.c`, `include/linux/rhashtable.h`):
 * the current bucket table and the one it migrates to, `nelems`, the
 * insert, remove and lookup paths over both, and the decisions to grow,
 * shrink and rehash. `RhlTable` is the documented face of it. Private to
 * this package.
 *
 * @module
 */

import { BucketTable, type Entry, KeyNode, newEntry } from "./_bucket_table.ts";
import {
  chainLength,
  findInChain,
  joinChain,
  type LinkedValue,
  NO_KEY,
  NO_SUCH_VALUE,
  REMOVED_LAST_VALUE,
  removeFromChain,
  removeLinkedFromChain,
} from "./_chains.ts";
import { jhashInt32 } from "./_jhash.ts";
import { KeyOps } from "./_key_ops.ts";
import { migrateBuckets } from "./_migration.ts";
import { type Settings, show } from "./_options.ts";
import { SeedStream } from "./_seeds.ts";
import {
  ELASTICITY,
  fits,
  floodTarget,
  MIGRATE_BUCKETS_PER_OP,
  shrinkTarget,
} from "./_sizing.ts";
import { RhlTableError } from "./rhl_table_error.ts";
import type { RhlTableWork } from "./rhl_table_types.ts";

/** The counters a chain walk adds to. */
export interface ChainWork {
  entriesVisited: number;
  bucketsTouched: number;
}

// Which threshold an operation's end should check.
const CHECK_NONE = 0;
const CHECK_GROW = 1;
const CHECK_SHRINK = 2;

/**
 * One table's state. Fields that `RhlTable` reads for its getters, walks
 * and stats are plain, and so are the steps the task index's int32 paths
 * (`_int32_linked.ts`) are built from: `addKey()`, `joinedLinked()`,
 * `removed()`, `refuseNewKey()` and `migrateStep()`. The rest is
 * `#private`.
 */
export class Rhashtable<K, V> {
  /** The table lookups start in (the kernel's `ht->tbl`). */
  tbl: BucketTable<K, V>;
  /** The table being migrated to (`future_tbl`), or `null`. */
  future: BucketTable<K, V> | null = null;
  /** Distinct keys (`nelems`). */
  keyCount = 0;
  /** Values, over all keys. */
  size = 0;
  /** Bumped by every structural change, for `entries()` walks. */
  version = 0;
  grows = 0;
  shrinks = 0;
  reseeds = 0;
  bucketsMigrated = 0;
  /** Value nodes allocated so far: one per insert, none elsewhere. */
  nodesAllocated = 0;
  /** Bucket arrays of the tables already let go (see `BucketTable.arrays`). */
  retiredArrays = 0;
  readonly initialSize: number;
  readonly minSize: number;
  readonly maxSize: number;
  readonly maxKeys: number;
  readonly work: RhlTableWork = {
    lookups: 0,
    entriesVisited: 0,
    bucketsTouched: 0,
    bucketsMigrated: 0,
    hashes: 0,
  };
  readonly keys: KeyOps<K>;
  readonly #automaticShrinking: boolean;
  readonly #seeds: SeedStream;
  /** Set when a migration completes; the end of that call re-checks. */
  #recheck = false;
  /** The present key's head that a linked insert found (see `#join()`). */
  #found: Entry<K, V> | null = null;
  /** Whether new keys get a `KeyNode` (see there) rather than `newEntry()`. */
  readonly #shortLivedKeys: boolean;

  /**
   * @param settings The parsed options.
   * @param shortLivedKeys Keys usually leave within a scavenge or two of
   * arriving (the task index's tasks): their nodes must stay young.
   */
  constructor(settings: Settings<K>, shortLivedKeys = false) {
    this.#shortLivedKeys = shortLivedKeys;
    this.initialSize = settings.initialSize;
    this.minSize = settings.minSize;
    this.maxSize = settings.maxSize;
    this.maxKeys = settings.maxKeys;
    this.#automaticShrinking = settings.automaticShrinking;
    this.keys = new KeyOps(settings.hash, settings.equals, this.work);
    this.#seeds = new SeedStream(settings.seed);
    this.tbl = this.#allocTable(this.initialSize);
  }

  /** `rhltable_insert()`; documented on `RhlTable.insert()`. */
  insert(key: K, value: V): void {
    this.#insert(key, value, false);
  }

  /**
   * `rhltable_insert()` for values that carry their own list link, as the
   * kernel's objects embed their `struct rhlist_head`: a new key gets a
   * key node holding `value`, as {@linkcode insert} does, and the result is
   * `null`; for a key present already, nothing is allocated and the key's
   * head node is returned, for the caller to make `value` the newest of
   * its list. Either way the value counts in `size`, and the migration
   * step, the thresholds and the flooding defence are those of `insert()`.
   */
  insertLinked(key: K, value: V): Entry<K, V> | null {
    return this.#insert(key, value, true);
  }

  #insert(key: K, value: V, linked: boolean): Entry<K, V> | null {
    if (this.future !== null) return this.#insertMigrating(key, value, linked);
    // One table: one hash, one chain. Kept apart from the two-table path
    // so that V8 inlines the whole of it (hash included) into callers.
    const tbl = this.tbl;
    const h = this.keys.hash(key, tbl.seed);
    if (this.keyCount >= this.maxKeys) this.refuseNewKey(key, h, 0);
    const i = h & tbl.mask;
    const depth = this.#join(tbl, i, key, value, linked);
    if (depth < 0) return this.#joined(linked);
    return this.addKey(tbl, i, key, value, depth, false);
  }

  /** {@linkcode insertLinked} while a migration runs. */
  #insertMigrating(key: K, value: V, linked: boolean): Entry<K, V> | null {
    const keys = this.keys;
    const old = this.tbl;
    const future = this.future!;
    // Hash first: a key that cannot be hashed throws here, before anything
    // (the migration step included) has changed.
    const hOld = keys.hash(key, old.seed);
    const hFuture = keys.hash(key, future.seed);
    if (this.keyCount >= this.maxKeys) this.refuseNewKey(key, hOld, hFuture);
    this.migrateStep();
    // The step may have completed the migration: the new table is then
    // the only one, and its hash is `hFuture`.
    let tbl = this.tbl;
    let h = tbl === old ? hOld : hFuture;
    if (this.future !== null) {
      // As in the kernel's rhashtable_try_insert(): a key whose old bucket
      // has not moved yet may still live there, and must be joined there.
      const i = hOld & tbl.mask;
      if (i >= tbl.rehash && this.#join(tbl, i, key, value, linked) < 0) {
        return this.#joined(linked);
      }
      tbl = this.future;
      h = hFuture;
    }
    const i = h & tbl.mask;
    const depth = this.#join(tbl, i, key, value, linked);
    if (depth < 0) return this.#joined(linked);
    return this.addKey(tbl, i, key, value, depth, false);
  }

  /**
   * Ends an insert of a new key, which met `depth` keys in bucket `i` of
   * `tbl`: its node heads that bucket, or, past the flooding defence's
   * bound, a bucket of a new table. `int32` rehashes an int32 key as the
   * int32 paths hash, uncounted.
   */
  addKey(
    tbl: BucketTable<K, V>,
    i: number,
    key: K,
    value: V,
    depth: number,
    int32: boolean,
  ): null {
    if (depth >= ELASTICITY && this.future === null) {
      // Flooding defence: this chain already holds 16 keys. Rehash with a
      // fresh seed and put the new key in the new table.
      tbl = this.#flood(tbl.size);
      const h = int32
        ? jhashInt32(key as number, tbl.seed)
        : this.keys.hash(key, tbl.seed);
      i = h & tbl.mask;
    }
    // Map's rule for -0: the stored key is +0 (SameValueZero finds it
    // either way).
    const stored = (key === 0 ? 0 : key) as K;
    const chain = tbl.head(i);
    tbl.setHead(
      i,
      this.#shortLivedKeys
        ? new KeyNode(stored, value, chain)
        : newEntry(stored, value, null, chain),
    );
    this.nodesAllocated++;
    this.keyCount++;
    this.size++;
    this.version++;
    this.#settle(CHECK_GROW);
    return null;
  }

  /**
   * Looks for the key in bucket `i` of `tbl`. If it is there: joins
   * `value` to its list with a new node, or, for a `linked` insert, leaves
   * the joining to the caller and keeps the key's head in `#found`; the
   * result is -1. Otherwise the result is the number of keys in the chain.
   */
  #join(
    tbl: BucketTable<K, V>,
    i: number,
    key: K,
    value: V,
    linked: boolean,
  ): number {
    if (!linked) return joinChain(tbl, i, key, value, this.keys, this.work);
    const head = findInChain(tbl, i, key, this.keys, this.work);
    if (head === null) return chainLength(tbl, i);
    this.#found = head;
    return -1;
  }

  /** Ends a linked insert that found its key: the caller links `value`. */
  joinedLinked(head: Entry<K, V>): Entry<K, V> {
    this.size++;
    this.version++;
    this.#settle(CHECK_NONE);
    return head;
  }

  /** `rhltable_remove()`; documented on `RhlTable.remove()`. */
  remove(key: K, value: V): boolean {
    return this.#remove(key, value, false);
  }

  /**
   * `rhltable_remove()` of a value added by {@linkcode insertLinked}: the
   * key's list is walked through the values' own links.
   */
  removeLinked(key: K, value: V): boolean {
    return this.#remove(key, value, true);
  }

  #remove(key: K, value: V, linked: boolean): boolean {
    if (this.future !== null) return this.#removeMigrating(key, value, linked);
    // One table, as in #insert().
    const tbl = this.tbl;
    const i = this.keys.hash(key, tbl.seed) & tbl.mask;
    return this.removed(this.#removeFrom(tbl, i, key, value, linked));
  }

  /** {@linkcode removeLinked} while a migration runs. */
  #removeMigrating(key: K, value: V, linked: boolean): boolean {
    const keys = this.keys;
    const old = this.tbl;
    const future = this.future!;
    // Hash first, as in insert(): a call that throws changes nothing.
    const hOld = keys.hash(key, old.seed);
    const hFuture = keys.hash(key, future.seed);
    this.migrateStep();
    let found = NO_KEY;
    if (this.tbl !== old) {
      // The step completed the migration.
      const tbl = this.tbl;
      found = this.#removeFrom(tbl, hFuture & tbl.mask, key, value, linked);
    } else {
      const i = hOld & old.mask;
      const next = this.future;
      if (next === null || i >= old.rehash) {
        found = this.#removeFrom(old, i, key, value, linked);
      }
      if (found === NO_KEY && next !== null) {
        found = this.#removeFrom(next, hFuture & next.mask, key, value, linked);
      }
    }
    return this.removed(found);
  }

  /** Ends a removal that found `found` (see `removeFromChain()`). */
  removed(found: number): boolean {
    if (found === NO_KEY || found === NO_SUCH_VALUE) {
      this.#settle(CHECK_NONE);
      return false;
    }
    this.size--;
    this.version++;
    if (found === REMOVED_LAST_VALUE) {
      this.keyCount--;
      this.#settle(CHECK_SHRINK);
    } else {
      this.#settle(CHECK_NONE);
    }
    return true;
  }

  #removeFrom(
    tbl: BucketTable<K, V>,
    i: number,
    key: K,
    value: V,
    linked: boolean,
  ): number {
    const keys = this.keys;
    const work = this.work;
    return linked
      ? removeLinkedFromChain(
        tbl as unknown as BucketTable<K, LinkedValue>,
        i,
        key,
        value as unknown as LinkedValue,
        keys,
        work,
      )
      : removeFromChain(tbl, i, key, value, keys, work);
  }

  /** Empties the table into a fresh first-size table (`RhlTable.clear()`). */
  clear(): void {
    this.retiredArrays += this.tbl.arrays + (this.future?.arrays ?? 0);
    this.tbl = this.#allocTable(this.initialSize);
    this.future = null;
    this.keyCount = 0;
    this.size = 0;
    this.#recheck = false;
    this.version++;
  }

  /** Finds a key's head node in whichever table holds it. */
  find(key: K): Entry<K, V> | null {
    if (this.keys.int32 && typeof key === "number" && (key | 0) === key) {
      return this.findInt32(key, this.work, false);
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
   * `find()` of an int32 key under the default hash, the lookup of every
   * task id: jhash_1word() without `hashKey()`'s type dispatch, and `===`
   * for SameValueZero, which agree for an int32 key (it is not NaN, and
   * `0 === -0`). Kept small and flat so that V8 inlines it into callers.
   * Only for a table whose `keys.int32` is set. The chain walk is counted
   * in `work`: the table's counters, or those of an index built on the
   * table, which counts its lookups itself (hashes always count in the
   * table's). `memo` takes the hash from the bucket table's one-entry memo
   * (`BucketTable.hashInt32()`): it pays for the engine, which asks for one
   * task several times in a row, and costs a general table's random
   * lookups their stores on every miss, so `find()` passes `false`.
   */
  findInt32(
    key: number,
    work: ChainWork,
    memo: boolean,
  ): Entry<K, V> | null {
    const keys = this.keys;
    const future = this.future;
    // One loop over the one or two tables, so that the hash (inlined
    // whole) appears once: a lookup stays small enough to inline in turn.
    let visited = 0;
    for (let tbl = this.tbl;; tbl = future!) {
      keys.countHash();
      const h = memo ? tbl.hashInt32(key) : jhashInt32(key, tbl.seed);
      const i = h & tbl.mask;
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

  /**
   * Throws `E2BIG` for a key that is not in a full table. Out of line: it
   * runs only when the table is full.
   */
  refuseNewKey(key: K, hOld: number, hFuture: number): void {
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
    throw new RhlTableError(
      "E2BIG",
      `Cannot insert key ${
        show(key)
      }: the table already holds its maximum of ${this.maxKeys} keys (maxSize ${this.maxSize})`,
    );
  }

  /**
   * Ends an insert that joined a present key's list; returns the key's
   * head for a linked insert, else `null`.
   */
  #joined(linked: boolean): Entry<K, V> | null {
    if (!linked) this.nodesAllocated++;
    this.size++;
    this.version++;
    this.#settle(CHECK_NONE);
    const head = this.#found;
    this.#found = null;
    return head;
  }

  /**
   * Attaches the table of a flood rehash (`rhashtable_insert_rehash()`)
   * and returns it; it doubles when it would otherwise fill up before its
   * migration ends (see `MIGRATE_BUCKETS_PER_OP`).
   */
  #flood(size: number): BucketTable<K, V> {
    this.reseeds++;
    const target = floodTarget(this.keyCount + 1, size, this.maxSize);
    if (target > size) this.grows++;
    return this.#attach(target);
  }

  /**
   * Moves the next few old buckets to the new table, like one round of the
   * kernel's `rhashtable_rehash_table()` loop, and retires the old table
   * when none are left.
   */
  migrateStep(): number {
    const future = this.future;
    if (future === null) return 0;
    const old = this.tbl;
    const before = old.rehash;
    this.version++;
    try {
      migrateBuckets(old, future, this.keys, MIGRATE_BUCKETS_PER_OP);
    } finally {
      // Counted even if a custom hash threw part way: those buckets moved.
      const moved = old.rehash - before;
      this.bucketsMigrated += moved;
      this.work.bucketsMigrated += moved;
    }
    if (old.rehash === old.size) {
      this.retiredArrays += old.arrays;
      this.tbl = future;
      this.future = null;
      this.#recheck = true;
    }
    return old.rehash - before;
  }

  /**
   * Ends an insert or remove: checks the threshold the operation may have
   * crossed, or both after a completed migration. Nothing starts while a
   * migration runs.
   */
  #settle(check: number): void {
    const recheck = this.#recheck;
    this.#recheck = false;
    if (this.future !== null) return;
    if (recheck) {
      if (!this.#growIfNeeded()) this.#shrinkIfNeeded();
    } else if (check === CHECK_GROW) {
      this.#growIfNeeded();
    } else if (check === CHECK_SHRINK) {
      this.#shrinkIfNeeded();
    }
  }

  /** The kernel's `rht_grow_above_75()` and a doubling. */
  #growIfNeeded(): boolean {
    const size = this.tbl.size;
    if (fits(this.keyCount, size) || size >= this.maxSize) return false;
    this.grows++;
    this.#attach(size * 2);
    return true;
  }

  /** The kernel's `rht_shrink_below_30()` and `rhashtable_shrink()`. */
  #shrinkIfNeeded(): void {
    const tbl = this.tbl;
    if (!this.#automaticShrinking || this.keyCount >= tbl.shrinkBelow) {
      return;
    }
    const target = shrinkTarget(
      this.keyCount,
      tbl.size,
      this.minSize,
      this.maxSize,
    );
    if (target === 0) return;
    this.shrinks++;
    this.#attach(target);
  }

  /** Allocates a table with the next seed, the kernel's `bucket_table_alloc()`. */
  #allocTable(size: number): BucketTable<K, V> {
    return new BucketTable(size, this.#seeds.next());
  }

  /** Attaches a new table that takes new keys from now on. */
  #attach(size: number): BucketTable<K, V> {
    const future = this.#allocTable(size);
    this.future = future;
    this.version++;
    return future;
  }
}
