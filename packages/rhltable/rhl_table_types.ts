/**
 * The public shapes of {@linkcode RhlTable}: the node a lookup hands out,
 * the options, the work counters and the stats snapshot.
 *
 * @module
 */

/**
 * One value of a key, as {@linkcode RhlTable.lookup} hands it out: the
 * kernel's `struct rhlist_head`. Follow {@linkcode RhlNode.next} to walk
 * the rest of the key's values, newest first.
 *
 * A node stays readable after its value is removed, and its `next` still
 * leads to the values that were after it (the kernel's RCU rule for
 * readers), so a walk survives removals of the values it has passed.
 *
 * @typeParam V The value type.
 *
 * @example Walking one key's values without allocating
 * ```ts
 * import { RhlTable } from "@hwbp/rhltable";
 * import assert from "node:assert/strict";
 *
 * const table = new RhlTable<number, string>();
 * table.insert(1, "a");
 * table.insert(1, "b");
 * const seen: string[] = [];
 * for (let node = table.lookup(1); node !== null; node = node.next) {
 *   seen.push(node.value);
 * }
 * assert.deepEqual(seen, ["b", "a"]);
 * ```
 */
export interface RhlNode<V> {
  /** The value this node holds. */
  readonly value: V;
  /** The key's next older value, or `null` after the oldest. */
  readonly next: RhlNode<V> | null;
}

/**
 * Options of {@linkcode RhlTable}, the kernel's `struct rhashtable_params`.
 *
 * @typeParam K The key type.
 *
 * @example A table sized for 1000 keys, with reproducible seeds
 * ```ts
 * import { RhlTable, type RhlTableOptions } from "@hwbp/rhltable";
 * import assert from "node:assert/strict";
 *
 * const options: RhlTableOptions<number> = { sizeHint: 1000, seed: 7 };
 * assert.equal(new RhlTable<number, string>(options).bucketCount, 2048);
 * ```
 */
export interface RhlTableOptions<K> {
  /**
   * Expected number of distinct keys (`nelem_hint`): the first table gets
   * roundup_pow2(sizeHint × 4/3) buckets, never fewer than `minSize` nor
   * more than `maxSize`. An integer in 0..2^31; 0 (the default) means 64
   * buckets.
   */
  sizeHint?: number;
  /**
   * Fewest buckets the table shrinks to: an integer, rounded up to a power
   * of two and raised to at least 4. Default 4.
   */
  minSize?: number;
  /**
   * Most buckets the table grows to, rounded down to a power of two as the
   * kernel does, at least `minSize` and at most 2^27 (V8's array limit).
   * With it set, the table holds at most 2 × maxSize keys (the kernel's
   * `max_elems`); a new key past that fails with `E2BIG`. Default: no
   * key limit but 2^31, and 2^27 buckets.
   */
  maxSize?: number;
  /** Whether removals shrink the table below 30% load. Default `true`. */
  automaticShrinking?: boolean;
  /**
   * Seed for the per-table hash seeds, an integer in 0..2^32-1. Each new
   * bucket table draws its seed from a generator started here, so a run is
   * reproducible. Default: a random seed, like the kernel's
   * `get_random_u32()`.
   */
  seed?: number;
  /**
   * Hashes a key with a table's 32-bit seed. Needed for keys that are not
   * numbers, strings or bigints. Keys that are equal must hash alike, and
   * the hash should depend on the seed: a hash that ignores it defeats the
   * flooding defence (see {@linkcode RhlTable}). Default: {@linkcode hashKey}.
   */
  hash?: (key: K, seed: number) => number;
  /**
   * Key equality, used together with `hash` (alone it is refused, since
   * the default hash would not agree with it). Default: SameValueZero,
   * the equality of `Map`.
   */
  equals?: (a: K, b: K) => boolean;
}

/**
 * Deterministic work counters of an {@linkcode RhlTable}, so that tests can
 * assert complexity without clocks: the same seed and the same calls give
 * the same counts in every run, on every machine.
 *
 * @example Average entries examined per lookup
 * ```ts
 * import { RhlTable } from "@hwbp/rhltable";
 * import assert from "node:assert/strict";
 *
 * const table = new RhlTable<number, number>();
 * for (let key = 0; key < 40; key++) table.insert(key, key);
 * table.resetWork();
 * for (let key = 0; key < 40; key++) table.has(key);
 * const { lookups, entriesVisited, hashes } = table.work;
 * assert.equal(lookups, 40);
 * assert.equal(hashes, 40);
 * assert.ok(entriesVisited / lookups < 2);
 * ```
 */
export interface RhlTableWork {
  /** Calls of `has()`, `lookup()` and `values()`. */
  lookups: number;
  /**
   * Entries examined: key nodes compared in hash chains, plus the values a
   * removal looks through to find its value.
   */
  entriesVisited: number;
  /**
   * Buckets whose chain was read by a lookup, insert or removal, in either
   * table during a migration. Buckets moved by a migration are counted in
   * `bucketsMigrated` instead.
   */
  bucketsTouched: number;
  /**
   * Buckets moved from an old table to a new one by the incremental resize
   * (`rhashtable_rehash_chain()`), flood rehashes included.
   */
  bucketsMigrated: number;
  /**
   * Keys hashed: once per table an operation looks in (an insert or
   * removal during a migration hashes for both tables, before it changes
   * anything), and once per key a migration moves.
   */
  hashes: number;
}

/**
 * A snapshot of an {@linkcode RhlTable}'s shape, from
 * {@linkcode RhlTable.stats}.
 *
 * @example Reading a snapshot
 * ```ts
 * import { RhlTable, type RhlTableStats } from "@hwbp/rhltable";
 * import assert from "node:assert/strict";
 *
 * const table = new RhlTable<string, number>({ seed: 1 });
 * table.insert("a", 1);
 * const stats: RhlTableStats = table.stats();
 * assert.equal(stats.keyCount, 1);
 * assert.equal(stats.loadFactor, 1 / 64);
 * ```
 */
export interface RhlTableStats {
  /** Distinct keys (the kernel's `nelems`). */
  readonly keyCount: number;
  /** Values, counting each value of each key. */
  readonly size: number;
  /** Buckets of the table new keys go to (the newer one while migrating). */
  readonly bucketCount: number;
  /** `keyCount / bucketCount`. */
  readonly loadFactor: number;
  /** Most distinct keys in one bucket, over both tables while migrating. */
  readonly longestChain: number;
  /** Resizes to a larger table started so far, flood rehashes included. */
  readonly grows: number;
  /** Resizes to a smaller table started so far. */
  readonly shrinks: number;
  /** Rehashes started by the flooding defence (a chain of 16 keys). */
  readonly reseeds: number;
  /** Whether an old table is still being migrated to a new one. */
  readonly migrating: boolean;
  /** Buckets of the old table while migrating, else 0. */
  readonly oldBucketCount: number;
  /** Old-table buckets still to migrate, else 0. */
  readonly bucketsToMigrate: number;
  /** Buckets migrated since the table was created. */
  readonly bucketsMigrated: number;
  /**
   * Value nodes allocated since the table was created: one per insert.
   * Removals, lookups and migration allocate none.
   */
  readonly nodesAllocated: number;
  /**
   * Bucket arrays allocated since the table was created: each table's flat
   * array, or its page directory and each page of 512 buckets as it is
   * first written.
   */
  readonly bucketArraysAllocated: number;
  /** Hash seed of the table new keys go to. */
  readonly seed: number;
  /** The effective `minSize`. */
  readonly minSize: number;
  /** The effective `maxSize`. */
  readonly maxSize: number;
  /** Most distinct keys the table accepts before `E2BIG`. */
  readonly maxKeys: number;
}
