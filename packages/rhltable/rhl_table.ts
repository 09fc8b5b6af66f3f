/**
 * {@linkcode RhlTable}: the Linux kernel's `rhltable` (resizable hash list
 * table, `lib/rhashtable.c`) as a generic TypeScript multimap.
 *
 * @module
 */

import { type HashableKey, hashKey } from "./hash_key.ts";
import { jhashInt32 } from "./_jhash.ts";
import { RhlTableError } from "./rhl_table_error.ts";

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
 * assert complexity without clocks. They count the hash-chain walks of
 * lookups, inserts and removals; bucket migration is counted in
 * {@linkcode RhlTableStats.bucketsMigrated} instead.
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
 * const { lookups, entriesVisited } = table.work;
 * assert.equal(lookups, 40);
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
  /** Buckets whose chain was read, in either table during a migration. */
  bucketsTouched: number;
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
  /** Hash seed of the table new keys go to. */
  readonly seed: number;
  /** The effective `minSize`. */
  readonly minSize: number;
  /** The effective `maxSize`. */
  readonly maxSize: number;
  /** Most distinct keys the table accepts before `E2BIG`. */
  readonly maxKeys: number;
}

/** The kernel's `HASH_DEFAULT_SIZE`. */
const DEFAULT_SIZE = 64;
/** The kernel's `HASH_MIN_SIZE`. */
const MIN_SIZE = 4;
/** Largest bucket array we allocate: V8 caps arrays near 2^28 elements. */
const MAX_BUCKETS = 2 ** 27;
/** The kernel's cap on `nelems` when no `max_size` is given. */
const MAX_KEYS = 2 ** 31;
/**
 * The kernel's `RHT_ELASTICITY`: a new key meeting a chain of this many
 * keys makes the table rehash with a fresh seed.
 */
const ELASTICITY = 16;

/**
 * Old-table buckets each insert or remove migrates while a resize runs.
 *
 * Why 16 is enough, and why 16 rather than less. Let a migration go from an
 * S-bucket table to a T-bucket one, attached when the table holds n keys.
 * Every insert and remove starts with a step of B = 16 buckets, so the step
 * of the m-th call after the attaching one, m = ⌈S/B⌉, ends it; before
 * that, m − 1 calls add at most one key each. The new table needs to grow
 * once it holds more than ⌊3T/4⌋ keys, so the old one is always finished
 * first when
 *
 *     n + ⌈S/B⌉ − 1 ≤ ⌊3T/4⌋,   or T = maxSize (it never needs to grow).   (H)
 *
 * - Grow (T = 2S): no migration runs between resizes, and every insert
 *   that adds a key while none runs checks the 75% threshold, so a grow
 *   starts at exactly n = 3S/4 + 1 (a table holds at least 4 buckets).
 *   Then (H) reads 3S/4 + ⌈S/B⌉ ≤ 3S/2, true for any B ≥ 2.
 * - Flood rehash: attached in the middle of an insert, so n counts the key
 *   being inserted. It keeps the size only when (H) holds for T = S and
 *   doubles otherwise; with n ≤ 3S/4 + 1 before it, T = 2S satisfies (H)
 *   as for a grow.
 * - Shrink: the kernel's target is T = roundup_pow2(⌊3n/2⌋), at least
 *   minSize. A removal that takes the table across 30% leaves
 *   n = ⌊3S/10⌋ − 1. For S ≤ 16 one step moves everything (⌈S/B⌉ = 1),
 *   and (H) only asks n ≤ ⌊3T/4⌋, which T ≥ 3n/2 (or T ≥ 4 > n) grants.
 *   For S ≥ 32 the target is S/2, and (H) asks
 *   ⌊3S/10⌋ + S/B − 2 ≤ 3S/8: true at every size once B ≥ 40/3, false for
 *   large sizes below that. B = 16 is the smallest power of two that gives
 *   every such shrink exactly the kernel's size; with B = 4 a table of 1024
 *   buckets, shrunk to 512 at 60% load, could pass 75% long before its 256
 *   migration steps end. A shrink that starts further below 30% (when a
 *   migration completes, or in a table that only ever had a few keys) may
 *   find the kernel's target too small for (H); then the target doubles
 *   until (H) holds. If that reaches S, nothing shrinks; otherwise it is at
 *   most S/2, and the check at the end of that migration shrinks again.
 *
 * So no resize ever waits for another: while one runs, the new table stays
 * at or under 75% load (above it only at maxSize), and every lookup walks
 * at most two short chains.
 */
const MIGRATE_BUCKETS_PER_OP = 16;

/**
 * A value node, the kernel's `struct rhlist_head`: `next` links the values
 * of one key, newest first; `chain` links the key heads of one bucket (the
 * embedded `struct rhash_head`), and is `null` on every node that is not a
 * key's head.
 */
class Entry<K, V> implements RhlNode<V> {
  key: K;
  value: V;
  next: Entry<K, V> | null;
  chain: Entry<K, V> | null;

  constructor(
    key: K,
    value: V,
    next: Entry<K, V> | null,
    chain: Entry<K, V> | null,
  ) {
    this.key = key;
    this.value = value;
    this.next = next;
    this.chain = chain;
  }
}

/** log2 of the buckets in a page of a paged {@linkcode BucketTable}. */
const PAGE_SHIFT = 9;
const PAGE_SIZE = 1 << PAGE_SHIFT;
const PAGE_MASK = PAGE_SIZE - 1;

/**
 * Most buckets of a flat {@linkcode BucketTable}. Copying a flat array of
 * 2^14 nulls takes V8 about 3 µs, no more than the insert that attaches
 * such a table spends otherwise; above that, the copy grows to tens of
 * microseconds (and milliseconds at 2^21), so larger tables are paged.
 */
const FLAT_MAX = 1 << 14;

/** A run of bucket heads. */
type Page<K, V> = (Entry<K, V> | null)[];

/**
 * Null slots to copy. `slice()` of a packed array is a block copy that
 * stays packed, which V8 reads faster than a holey `new Array(n)`; it is
 * several times quicker than pushing nulls, or than `fill(null)`.
 */
const NULLS: null[] = [];
for (let i = 0; i < FLAT_MAX; i++) NULLS.push(null);

/**
 * The kernel's `struct bucket_table`: a power-of-two array of buckets.
 *
 * Up to `FLAT_MAX` buckets it is one flat array, allocated with the table,
 * as the kernel's `bucket_table_alloc()` does when `kvmalloc()` succeeds:
 * a bucket read is then a single indexed load, which lookups of small
 * tables notice. Larger tables keep their buckets in pages of 512 that are
 * allocated on their first write, as the kernel's nested tables are
 * (`rht_bucket_nested_insert()`). Filling a flat array of 2^21 buckets
 * takes V8 tens of milliseconds, which would land on the one insert that
 * starts a grow; a page directory of 4096 slots takes microseconds, and the
 * pages come one at a time as the migration and new keys reach them.
 *
 * Every table has both fields, `flat` null for a paged table and `pages`
 * empty for a flat one, so that all tables share one V8 shape and the
 * table's hot paths stay monomorphic.
 */
class BucketTable<K, V> {
  readonly size: number;
  readonly mask: number;
  /** The kernel's `hash_rnd`, drawn fresh for every table. */
  readonly seed: number;
  /**
   * The kernel's `rht_shrink_below_30()` bound, ⌊size × 3/10⌋, kept here
   * so that a removal does not divide.
   */
  readonly shrinkBelow: number;
  /** Every bucket, for a table of at most `FLAT_MAX` buckets; else null. */
  readonly flat: Page<K, V> | null;
  /**
   * For a paged table, page `p` holds buckets `p × 512` onwards, and is
   * `undefined` until written. Empty for a flat table.
   */
  readonly pages: (Page<K, V> | undefined)[];
  /**
   * Buckets below this index have moved to the next table (the kernel's
   * `rehash` field).
   */
  rehash = 0;

  constructor(size: number, seed: number) {
    this.size = size;
    this.mask = size - 1;
    this.seed = seed;
    this.shrinkBelow = Math.floor(size * 3 / 10);
    if (size <= FLAT_MAX) {
      this.flat = NULLS.slice(0, size);
      this.pages = [];
    } else {
      this.flat = null;
      // A holey array: its holes read as `undefined`, and allocating it is
      // a single block fill, where pushing one slot at a time would cost
      // the insert that starts a grow to 2^21 buckets some 100 µs.
      this.pages = new Array(size >>> PAGE_SHIFT);
    }
  }

  /** The first key node of bucket `i`, or `null`. */
  head(i: number): Entry<K, V> | null {
    const flat = this.flat;
    if (flat !== null) return flat[i]!;
    const page = this.pages[i >>> PAGE_SHIFT];
    return page === undefined ? null : page[i & PAGE_MASK]!;
  }

  /** Makes `entry` the first key node of bucket `i`. */
  setHead(i: number, entry: Entry<K, V> | null): void {
    const flat = this.flat;
    if (flat !== null) {
      flat[i] = entry;
      return;
    }
    let page = this.pages[i >>> PAGE_SHIFT];
    if (page === undefined) {
      page = NULLS.slice(0, PAGE_SIZE);
      this.pages[i >>> PAGE_SHIFT] = page;
    }
    page[i & PAGE_MASK] = entry;
  }
}

// What `#removeFrom()` found.
const NO_KEY = 0;
const NO_SUCH_VALUE = 1;
const REMOVED_VALUE = 2;
const REMOVED_LAST_VALUE = 3;

// Which threshold an operation's end should check.
const CHECK_NONE = 0;
const CHECK_GROW = 1;
const CHECK_SHRINK = 2;

function roundUpPow2(x: number): number {
  let p = 1;
  while (p < x) p *= 2;
  return p;
}

function roundDownPow2(x: number): number {
  let p = 1;
  while (p * 2 <= x) p *= 2;
  return p;
}

/** The number of steps that migrate a table of `size` buckets. */
function migrationSteps(size: number): number {
  return Math.ceil(size / MIGRATE_BUCKETS_PER_OP);
}

/** Whether a table of `size` buckets can take `keys` keys without growing. */
function fits(keys: number, size: number): boolean {
  return keys <= (size >>> 2) * 3;
}

/** Formats a value for an error message. */
function show(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "bigint":
      return `${value}n`;
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "symbol":
      return value.toString();
    case "function":
      return "a function";
    case "object":
      return value === null ? "null" : "an object";
    default:
      return String(value);
  }
}

function sizeOption(
  name: string,
  value: unknown,
  min: number,
  max: number,
): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `Cannot create RhlTable: ${name} must be a number, got ${show(value)}`,
    );
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `Cannot create RhlTable: ${name} ${
        show(value)
      } is not an integer in ${min}..${max}`,
    );
  }
  return value;
}

function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

/**
 * A hash multimap with the semantics of the Linux kernel's `rhltable`
 * (`lib/rhashtable.c`, `include/linux/rhashtable.h`): a resizable,
 * separately chained hash table where each key heads a list of its
 * values, newest first.
 *
 * - Sizes: 64 buckets to start (or roundup_pow2(sizeHint × 4/3)), never
 *   below `minSize` (4); always a power of two.
 * - Counting: {@linkcode RhlTable.keyCount} (the kernel's `nelems`) counts
 *   distinct keys. A value for a key already present joins the head of
 *   that key's list and leaves `keyCount` alone.
 * - Growing: to twice the size when `keyCount` passes 75% of the buckets
 *   (and the table is below `maxSize`).
 * - Shrinking (with `automaticShrinking`, the default): when removing a
 *   key's last value takes `keyCount` below 30% of the buckets, to
 *   roundup_pow2(keyCount × 3/2) buckets, but at least `minSize`.
 *   Removing any other value never shrinks.
 * - Incremental resizing: a resize attaches a new table at once and new
 *   keys go there; each insert and remove then moves 16 old buckets (every
 *   key of a bucket with its whole value list, in O(1) per key). Lookups
 *   check the old bucket if it has not moved yet, then the new table. No
 *   call ever rehashes a whole table, nor allocates a large one: above
 *   16,384 buckets, bucket arrays come in pages of 512, allocated on first
 *   write like the kernel's nested tables; smaller ones are one flat array,
 *   allocated whole in a few microseconds. While one migration runs no other resize starts, and when it
 *   completes the thresholds are checked again. The step size is chosen so
 *   that a migration always ends before the new table needs to grow.
 * - Flooding defence: a new key that meets a chain of 16 keys (the
 *   kernel's `RHT_ELASTICITY`) makes the table rehash into a new table
 *   with a fresh seed (twice the size if it is nearly full), and the key
 *   goes there. Each table has its own seed, derived from the `seed`
 *   option. A custom `hash` that ignores the seed gets nothing from this:
 *   every new table puts the same keys together again, so each completed
 *   rehash is followed by another at the next key for that bucket. The
 *   table stays correct, but chains pass 16 and operations cost O(chain).
 *   (The kernel fails such an insert with `EBUSY` while a rehash runs; here
 *   it succeeds.)
 * - Limits: with `maxSize`, a new key beyond 2 × maxSize keys fails with an
 *   {@linkcode RhlTableError} of code `E2BIG`, and the table is unchanged.
 *
 * Keys are numbers, strings and bigints by default, compared with
 * SameValueZero (like `Map`: `-0` is `0`, `NaN` is `NaN`); give `hash` and
 * `equals` for other keys. Values are compared with `===` when removed.
 * Lookups allocate nothing; insert and remove allocate nothing but the
 * node of an inserted value and, while a new table fills, its pages.
 *
 * | Method      | Average time   | Worst time      |
 * | ----------- | -------------- | --------------- |
 * | `insert()`  | O(1)           | O(chain)        |
 * | `remove()`  | O(1 + list)    | O(chain + list) |
 * | `lookup()`  | O(1)           | O(chain)        |
 * | `has()`     | O(1)           | O(chain)        |
 * | `values()`  | O(1 + list)    | O(chain + list) |
 * | `entries()` | O(n + buckets) | O(n + buckets)  |
 * | `stats()`   | O(buckets)     | O(buckets)      |
 *
 * Here chain is the number of keys in one bucket (16 at most in practice:
 * a longer chain makes the table rehash, unless the hash ignores its seed)
 * and list the number of values of one key. A resize adds at most 16
 * bucket moves to each insert and remove while it runs.
 *
 * @typeParam K The key type.
 * @typeParam V The value type.
 *
 * @example A multimap of task id to breakpoints
 * ```ts
 * import { RhlTable } from "@hwbp/rhltable";
 * import assert from "node:assert/strict";
 *
 * const table = new RhlTable<number, string>({ seed: 42 });
 * table.insert(7, "bp-a");
 * table.insert(7, "bp-b");
 * table.insert(9, "bp-c");
 * assert.deepEqual([...table.values(7)], ["bp-b", "bp-a"]);
 * assert.equal(table.keyCount, 2);
 * assert.equal(table.size, 3);
 * assert.ok(table.remove(7, "bp-b"));
 * assert.deepEqual([...table.values(7)], ["bp-a"]);
 * ```
 */
export class RhlTable<K, V> implements Iterable<[K, V]> {
  #tbl: BucketTable<K, V>;
  #future: BucketTable<K, V> | null = null;
  #keyCount = 0;
  #size = 0;
  readonly #initialSize: number;
  readonly #minSize: number;
  readonly #maxSize: number;
  readonly #maxKeys: number;
  readonly #automaticShrinking: boolean;
  readonly #hash: ((key: K, seed: number) => number) | null;
  readonly #equals: ((a: K, b: K) => boolean) | null;
  /** No `hash` option: keys hash with `hashKey()` (see `#indexIn()`). */
  readonly #defaultHash: boolean;
  #seedState: number;
  #grows = 0;
  #shrinks = 0;
  #reseeds = 0;
  #bucketsMigrated = 0;
  /** Set when a migration completes; the end of that call re-checks. */
  #recheck = false;
  /** Bumped by every structural change, for `entries()` walks. */
  #version = 0;
  readonly #work: RhlTableWork = {
    lookups: 0,
    entriesVisited: 0,
    bucketsTouched: 0,
  };

  /**
   * Creates an empty table.
   *
   * @param options Sizes, seed, and hash and equality for other key types.
   * @throws {TypeError} If an option has the wrong type, or `equals` comes
   * without `hash`.
   * @throws {RangeError} If a size or the seed is out of range.
   *
   * @example Tables of different shapes
   * ```ts
   * import { hashKey, RhlTable } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new RhlTable<number, number>().bucketCount, 64);
   * assert.equal(new RhlTable<number, number>({ sizeHint: 100 }).bucketCount, 256);
   * assert.equal(new RhlTable<number, number>({ minSize: 100 }).bucketCount, 128);
   *
   * type Point = { x: number; y: number };
   * const points = new RhlTable<Point, string>({
   *   hash: (p, seed) => hashKey(p.x * 2 ** 20 + p.y, seed),
   *   equals: (a, b) => a.x === b.x && a.y === b.y,
   * });
   * points.insert({ x: 1, y: 2 }, "here");
   * assert.ok(points.has({ x: 1, y: 2 }));
   * ```
   */
  constructor(options: RhlTableOptions<K> = {}) {
    const {
      sizeHint,
      minSize,
      maxSize,
      automaticShrinking,
      seed,
      hash,
      equals,
    } = options;

    let min = MIN_SIZE;
    if (minSize !== undefined) {
      min = Math.max(
        MIN_SIZE,
        roundUpPow2(sizeOption("minSize", minSize, 1, MAX_BUCKETS)),
      );
    }
    let max = MAX_BUCKETS;
    let maxKeys = MAX_KEYS;
    if (maxSize !== undefined) {
      max = roundDownPow2(sizeOption("maxSize", maxSize, 1, MAX_BUCKETS));
      if (max < min) {
        throw new RangeError(
          `Cannot create RhlTable: maxSize ${maxSize} rounds down to ${max}, below the minimum size ${min}`,
        );
      }
      maxKeys = max * 2;
    }
    let initial = Math.max(DEFAULT_SIZE, min);
    if (sizeHint !== undefined) {
      const hint = sizeOption("sizeHint", sizeHint, 0, MAX_KEYS);
      if (hint > 0) {
        initial = Math.max(roundUpPow2(Math.floor(hint * 4 / 3)), min);
      }
    }
    if (
      automaticShrinking !== undefined &&
      typeof automaticShrinking !== "boolean"
    ) {
      throw new TypeError(
        `Cannot create RhlTable: automaticShrinking must be a boolean, got ${
          show(automaticShrinking)
        }`,
      );
    }
    if (hash !== undefined && typeof hash !== "function") {
      throw new TypeError(
        `Cannot create RhlTable: hash must be a function, got ${show(hash)}`,
      );
    }
    if (equals !== undefined) {
      if (typeof equals !== "function") {
        throw new TypeError(
          `Cannot create RhlTable: equals must be a function, got ${
            show(equals)
          }`,
        );
      }
      if (hash === undefined) {
        throw new TypeError(
          "Cannot create RhlTable: equals needs a hash option that agrees with it",
        );
      }
    }

    this.#minSize = min;
    this.#maxSize = max;
    this.#maxKeys = maxKeys;
    this.#initialSize = Math.min(initial, max);
    this.#automaticShrinking = automaticShrinking ?? true;
    this.#hash = hash ?? null;
    this.#defaultHash = hash === undefined;
    this.#equals = equals ?? null;
    this.#seedState = seed === undefined
      ? randomSeed()
      : sizeOption("seed", seed, 0, 0xffffffff);
    this.#tbl = this.#allocTable(this.#initialSize);
  }

  /**
   * Number of distinct keys (the kernel's `nelems`).
   *
   * @returns The number of distinct keys.
   *
   * @example Duplicate keys count once
   * ```ts
   * import { RhlTable } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const table = new RhlTable<string, number>();
   * table.insert("a", 1);
   * table.insert("a", 2);
   * assert.equal(table.keyCount, 1);
   * ```
   */
  get keyCount(): number {
    return this.#keyCount;
  }

  /**
   * Number of values, over all keys.
   *
   * @returns The number of stored values.
   *
   * @example Every value counts
   * ```ts
   * import { RhlTable } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const table = new RhlTable<string, number>();
   * table.insert("a", 1);
   * table.insert("a", 2);
   * assert.equal(table.size, 2);
   * ```
   */
  get size(): number {
    return this.#size;
  }

  /**
   * Number of buckets of the table new keys go to: the new table while a
   * resize is migrating.
   *
   * @returns The bucket count, a power of two.
   *
   * @example The 49th key of 64 buckets grows the table
   * ```ts
   * import { RhlTable } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const table = new RhlTable<number, number>();
   * for (let key = 0; key < 48; key++) table.insert(key, key);
   * assert.equal(table.bucketCount, 64);
   * table.insert(48, 48);
   * assert.equal(table.bucketCount, 128);
   * ```
   */
  get bucketCount(): number {
    return (this.#future ?? this.#tbl).size;
  }

  /**
   * Live work counters: they only grow, until {@linkcode RhlTable.resetWork}.
   *
   * @returns The counters object, updated in place.
   *
   * @example One lookup, one bucket
   * ```ts
   * import { RhlTable } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const table = new RhlTable<number, number>();
   * table.lookup(3);
   * assert.deepEqual(table.work, { lookups: 1, entriesVisited: 0, bucketsTouched: 1 });
   * ```
   */
  get work(): Readonly<RhlTableWork> {
    return this.#work;
  }

  /**
   * Resets every work counter to zero.
   *
   * @example Starting a measurement
   * ```ts
   * import { RhlTable } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const table = new RhlTable<number, number>();
   * table.has(1);
   * table.resetWork();
   * assert.equal(table.work.lookups, 0);
   * ```
   */
  resetWork(): void {
    const work = this.#work;
    work.lookups = 0;
    work.entriesVisited = 0;
    work.bucketsTouched = 0;
  }

  /**
   * Adds a value under a key (`rhltable_insert()`). A new key goes to the
   * head of its bucket; a value for a present key becomes the head of that
   * key's list, so the newest value comes first. The same value may be
   * stored more than once.
   *
   * @param key The key.
   * @param value The value to add.
   * @throws {RhlTableError} With code `E2BIG` if the key is new and the
   * table already holds its maximum number of keys; nothing changes then.
   * @throws {TypeError} If the key cannot be hashed.
   *
   * @example Newest first
   * ```ts
   * import { RhlTable } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const table = new RhlTable<string, number>();
   * table.insert("k", 1);
   * table.insert("k", 2);
   * assert.equal(table.lookup("k")?.value, 2);
   * ```
   */
  insert(key: K, value: V): void {
    // Refuse before touching anything, the migration step included.
    if (this.#keyCount >= this.#maxKeys && this.#find(key) === null) {
      throw new RhlTableError(
        "E2BIG",
        `Cannot insert key ${
          show(key)
        }: the table already holds its maximum of ${this.#maxKeys} keys (maxSize ${this.#maxSize})`,
      );
    }
    this.#migrateStep();
    let tbl = this.#tbl;
    const future = this.#future;
    let i = this.#indexIn(tbl, key);
    if (future !== null) {
      // As in the kernel's rhashtable_try_insert(): a key whose old bucket
      // has not moved yet may still live there, and must be joined there.
      if (i >= tbl.rehash && this.#join(tbl, i, key, value) < 0) {
        this.#settle(CHECK_NONE);
        return;
      }
      tbl = future;
      i = this.#indexIn(tbl, key);
    }
    const depth = this.#join(tbl, i, key, value);
    if (depth < 0) {
      this.#settle(CHECK_NONE);
      return;
    }
    if (depth >= ELASTICITY && future === null) {
      // Flooding defence: this chain already holds 16 keys. Rehash with a
      // fresh seed and put the new key in the new table. Keep the size
      // unless rule (H) of MIGRATE_BUCKETS_PER_OP, counting this key, asks
      // for room.
      this.#reseeds++;
      const size = tbl.size;
      const keys = this.#keyCount + 1;
      if (
        !fits(keys + migrationSteps(size) - 1, size) && size < this.#maxSize
      ) {
        this.#grows++;
        tbl = this.#attach(size * 2);
      } else {
        tbl = this.#attach(size);
      }
      i = this.#indexIn(tbl, key);
    }
    tbl.setHead(i, new Entry(key, value, null, tbl.head(i)));
    this.#keyCount++;
    this.#size++;
    this.#version++;
    this.#settle(CHECK_GROW);
  }

  /**
   * Removes the newest occurrence of a value under a key
   * (`rhltable_remove()`), comparing values with `===`. When it was the
   * key's last value the key goes too, and the table may shrink.
   *
   * @param key The key.
   * @param value The value to remove.
   * @returns Whether the value was found (and so removed).
   * @throws {TypeError} If the key cannot be hashed.
   *
   * @example Removing values one by one
   * ```ts
   * import { RhlTable } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const table = new RhlTable<string, number>();
   * table.insert("k", 1);
   * table.insert("k", 2);
   * assert.ok(table.remove("k", 1));
   * assert.ok(!table.remove("k", 1));
   * assert.ok(table.remove("k", 2));
   * assert.ok(!table.has("k"));
   * ```
   */
  remove(key: K, value: V): boolean {
    this.#migrateStep();
    let tbl = this.#tbl;
    const future = this.#future;
    let i = this.#indexIn(tbl, key);
    if (future !== null && i < tbl.rehash) {
      tbl = future;
      i = this.#indexIn(tbl, key);
    }
    let found = this.#removeFrom(tbl, i, key, value);
    if (found === NO_KEY && future !== null && tbl !== future) {
      found = this.#removeFrom(
        future,
        this.#indexIn(future, key),
        key,
        value,
      );
    }
    if (found === NO_KEY || found === NO_SUCH_VALUE) {
      this.#settle(CHECK_NONE);
      return false;
    }
    this.#size--;
    this.#version++;
    if (found === REMOVED_LAST_VALUE) {
      this.#keyCount--;
      this.#settle(CHECK_SHRINK);
    } else {
      this.#settle(CHECK_NONE);
    }
    return true;
  }

  /**
   * Whether the key has at least one value.
   *
   * @param key The key.
   * @returns `true` if the key is present.
   * @throws {TypeError} If the key cannot be hashed.
   *
   * @example SameValueZero keys
   * ```ts
   * import { RhlTable } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const table = new RhlTable<number, string>();
   * table.insert(-0, "zero");
   * table.insert(NaN, "nan");
   * assert.ok(table.has(0));
   * assert.ok(table.has(NaN));
   * ```
   */
  has(key: K): boolean {
    this.#work.lookups++;
    return this.#find(key) !== null;
  }

  /**
   * Finds a key's newest value node (`rhltable_lookup()`); follow
   * {@linkcode RhlNode.next} for the older ones, as `rhl_for_each_entry()`
   * does. Allocates nothing.
   *
   * @param key The key.
   * @returns The head node of the key's value list, or `null`.
   * @throws {TypeError} If the key cannot be hashed.
   *
   * @example Summing a key's values
   * ```ts
   * import { RhlTable } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const table = new RhlTable<number, number>();
   * table.insert(1, 10);
   * table.insert(1, 20);
   * let sum = 0;
   * for (let node = table.lookup(1); node !== null; node = node.next) sum += node.value;
   * assert.equal(sum, 30);
   * assert.equal(table.lookup(2), null);
   * ```
   */
  lookup(key: K): RhlNode<V> | null {
    this.#work.lookups++;
    return this.#find(key);
  }

  /**
   * Iterates one key's values, newest first, without building an array.
   * The lookup happens now; the walk follows the value list as
   * {@linkcode RhlNode} does, so it survives removals of values it has
   * passed.
   *
   * @param key The key.
   * @returns An iterator over the key's values (empty if it is absent).
   * @throws {TypeError} If the key cannot be hashed.
   *
   * @example Spreading a key's values
   * ```ts
   * import { RhlTable } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const table = new RhlTable<string, number>();
   * table.insert("k", 1);
   * table.insert("k", 2);
   * table.insert("k", 3);
   * assert.deepEqual([...table.values("k")], [3, 2, 1]);
   * assert.deepEqual([...table.values("none")], []);
   * ```
   */
  values(key: K): IterableIterator<V> {
    this.#work.lookups++;
    return walkValues(this.#find(key));
  }

  /**
   * Iterates every `[key, value]` entry: bucket by bucket, the old table's
   * unmigrated buckets first while a resize runs, and each key's values
   * newest first. The table must not change during the walk.
   *
   * @returns An iterator over all entries.
   * @throws {RhlTableError} With code `EAGAIN` when resumed after the table
   * changed.
   *
   * @example Collecting all entries
   * ```ts
   * import { RhlTable } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const table = new RhlTable<string, number>();
   * table.insert("a", 1);
   * table.insert("b", 2);
   * table.insert("a", 3);
   * const entries = [...table.entries()].sort((x, y) => x[1] - y[1]);
   * assert.deepEqual(entries, [["a", 1], ["b", 2], ["a", 3]]);
   * ```
   */
  *entries(): IterableIterator<[K, V]> {
    const version = this.#version;
    const old = this.#tbl;
    const future = this.#future;
    for (let t: BucketTable<K, V> | null = old; t !== null;) {
      for (let i = t === old ? old.rehash : 0; i < t.size; i++) {
        for (
          let head: Entry<K, V> | null = t.head(i);
          head !== null;
          head = head.chain
        ) {
          for (let node: Entry<K, V> | null = head; node !== null;) {
            yield [head.key, node.value];
            if (this.#version !== version) {
              throw new RhlTableError(
                "EAGAIN",
                "Cannot continue RhlTable walk: the table changed since it started",
              );
            }
            node = node.next;
          }
        }
      }
      t = t === old ? future : null;
    }
  }

  /**
   * Same as {@linkcode RhlTable.entries}.
   *
   * @returns An iterator over all `[key, value]` entries.
   *
   * @example Spreading a table
   * ```ts
   * import { RhlTable } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const table = new RhlTable<string, number>();
   * table.insert("a", 1);
   * assert.deepEqual([...table], [["a", 1]]);
   * ```
   */
  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }

  /**
   * Removes every entry and goes back to the first table's bucket count,
   * with a fresh seed. Lifetime counters (`grows`, `shrinks`, `reseeds`,
   * `bucketsMigrated`) and work counters keep their values.
   *
   * @example Emptying a table
   * ```ts
   * import { RhlTable } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const table = new RhlTable<number, number>();
   * for (let key = 0; key < 100; key++) table.insert(key, key);
   * table.clear();
   * assert.equal(table.size, 0);
   * assert.equal(table.bucketCount, 64);
   * ```
   */
  clear(): void {
    this.#tbl = this.#allocTable(this.#initialSize);
    this.#future = null;
    this.#keyCount = 0;
    this.#size = 0;
    this.#recheck = false;
    this.#version++;
  }

  /**
   * Takes a snapshot of the table's shape. Walks every bucket to find the
   * longest chain, so it is O(buckets): for tests and reports, not hot
   * paths.
   *
   * @returns The snapshot.
   *
   * @example Watching a resize
   * ```ts
   * import { RhlTable } from "@hwbp/rhltable";
   * import assert from "node:assert/strict";
   *
   * const table = new RhlTable<number, number>();
   * for (let key = 0; key < 49; key++) table.insert(key, key);
   * const stats = table.stats();
   * assert.equal(stats.grows, 1);
   * assert.ok(stats.migrating);
   * assert.equal(stats.oldBucketCount, 64);
   * assert.equal(stats.bucketCount, 128);
   * ```
   */
  stats(): RhlTableStats {
    const old = this.#tbl;
    const future = this.#future;
    let longestChain = longestChainOf(old, old.rehash);
    if (future !== null) {
      longestChain = Math.max(longestChain, longestChainOf(future, 0));
    }
    const current = future ?? old;
    return {
      keyCount: this.#keyCount,
      size: this.#size,
      bucketCount: current.size,
      loadFactor: this.#keyCount / current.size,
      longestChain,
      grows: this.#grows,
      shrinks: this.#shrinks,
      reseeds: this.#reseeds,
      migrating: future !== null,
      oldBucketCount: future === null ? 0 : old.size,
      bucketsToMigrate: future === null ? 0 : old.size - old.rehash,
      bucketsMigrated: this.#bucketsMigrated,
      seed: current.seed,
      minSize: this.#minSize,
      maxSize: this.#maxSize,
      maxKeys: this.#maxKeys,
    };
  }

  /** The bucket of `key` in `tbl`. */
  #indexIn(tbl: BucketTable<K, V>, key: K): number {
    // Int32 numbers under the default hash (task ids: nearly every key the
    // table sees) skip `hashKey()`'s dispatch on the key's type and go
    // straight to jhash_1word(), the function `hashKey()` would pick.
    if (this.#defaultHash && typeof key === "number" && (key | 0) === key) {
      return jhashInt32(key, tbl.seed) & tbl.mask;
    }
    return this.#hashOf(key, tbl.seed) & tbl.mask;
  }

  /** Hashes a key with a table seed, with the custom hash if given. */
  #hashOf(key: K, seed: number): number {
    const hash = this.#hash;
    if (hash === null) return hashKey(key as HashableKey, seed);
    const h = hash(key, seed);
    if (typeof h !== "number") {
      throw new TypeError(
        `Cannot hash key ${show(key)}: the hash option returned ${
          show(h)
        }, not a number`,
      );
    }
    return h;
  }

  /** Key equality: the custom one, or SameValueZero. */
  #same(a: K, b: K): boolean {
    const equals = this.#equals;
    if (equals === null) return a === b || (a !== a && b !== b);
    return equals(a, b);
  }

  /** Finds a key's head node in whichever table holds it. */
  #find(key: K): Entry<K, V> | null {
    if (this.#defaultHash && typeof key === "number" && (key | 0) === key) {
      return this.#findInt32(key);
    }
    const work = this.#work;
    const future = this.#future;
    let tbl = this.#tbl;
    let i = this.#indexIn(tbl, key);
    // A moved old bucket is empty: go straight to the new table.
    if (future !== null && i < tbl.rehash) {
      tbl = future;
      i = this.#indexIn(tbl, key);
    }
    for (;;) {
      work.bucketsTouched++;
      for (
        let node: Entry<K, V> | null = tbl.head(i);
        node !== null;
        node = node.chain
      ) {
        work.entriesVisited++;
        if (this.#same(node.key, key)) return node;
      }
      if (future === null || tbl === future) return null;
      tbl = future;
      i = this.#indexIn(tbl, key);
    }
  }

  /**
   * `#find()` of an int32 key under the default hash, the lookup of every
   * task id: jhash_1word() without `hashKey()`'s type dispatch, and `===`
   * for SameValueZero, which agree for an int32 key (it is not NaN, and
   * `0 === -0`). The chain walk counts into a local and stores once.
   */
  #findInt32(key: number): Entry<K, V> | null {
    const work = this.#work;
    const future = this.#future;
    let tbl = this.#tbl;
    let i = jhashInt32(key, tbl.seed) & tbl.mask;
    // A moved old bucket is empty: go straight to the new table.
    if (future !== null && i < tbl.rehash) {
      tbl = future;
      i = jhashInt32(key, tbl.seed) & tbl.mask;
    }
    let visited = 0;
    for (;;) {
      work.bucketsTouched++;
      for (
        let node: Entry<K, V> | null = tbl.head(i);
        node !== null;
        node = node.chain
      ) {
        visited++;
        if (node.key === key) {
          work.entriesVisited += visited;
          return node;
        }
      }
      if (future === null || tbl === future) {
        work.entriesVisited += visited;
        return null;
      }
      tbl = future;
      i = jhashInt32(key, tbl.seed) & tbl.mask;
    }
  }

  /**
   * Walks bucket `i` of `tbl` for the key. If it is there, `value` becomes
   * the key's new head, taking the old head's place in the chain, and the
   * result is -1. Otherwise nothing changes and the result is the number
   * of keys in the chain.
   */
  #join(tbl: BucketTable<K, V>, i: number, key: K, value: V): number {
    const work = this.#work;
    work.bucketsTouched++;
    let prev: Entry<K, V> | null = null;
    let depth = 0;
    for (
      let node: Entry<K, V> | null = tbl.head(i);
      node !== null;
      node = node.chain
    ) {
      work.entriesVisited++;
      if (this.#same(node.key, key)) {
        const head = new Entry(node.key, value, node, node.chain);
        node.chain = null;
        if (prev === null) tbl.setHead(i, head);
        else prev.chain = head;
        this.#size++;
        this.#version++;
        return -1;
      }
      prev = node;
      depth++;
    }
    return depth;
  }

  /** Removes the newest `value` of `key` from bucket `i` of `tbl`. */
  #removeFrom(tbl: BucketTable<K, V>, i: number, key: K, value: V): number {
    const work = this.#work;
    work.bucketsTouched++;
    let prev: Entry<K, V> | null = null;
    for (
      let node: Entry<K, V> | null = tbl.head(i);
      node !== null;
      node = node.chain
    ) {
      work.entriesVisited++;
      if (!this.#same(node.key, key)) {
        prev = node;
        continue;
      }
      if (node.value === value) {
        // The head goes: its successor, if any, takes its chain position.
        // The removed node keeps `next` for readers still holding it.
        const successor = node.next;
        const replacement = successor ?? node.chain;
        if (successor !== null) successor.chain = node.chain;
        if (prev === null) tbl.setHead(i, replacement);
        else prev.chain = replacement;
        node.chain = null;
        return successor === null ? REMOVED_LAST_VALUE : REMOVED_VALUE;
      }
      for (let before = node, v = node.next; v !== null; v = v.next) {
        work.entriesVisited++;
        if (v.value === value) {
          before.next = v.next;
          return REMOVED_VALUE;
        }
        before = v;
      }
      return NO_SUCH_VALUE;
    }
    return NO_KEY;
  }

  /**
   * Moves the next few old buckets to the new table, like one round of the
   * kernel's `rhashtable_rehash_table()` loop. Each key node moves with its
   * whole value list by relinking `chain` alone.
   */
  #migrateStep(): void {
    const future = this.#future;
    if (future === null) return;
    const old = this.#tbl;
    const end = Math.min(old.rehash + MIGRATE_BUCKETS_PER_OP, old.size);
    this.#version++;
    // A flat table is its own single page.
    const flat = old.flat;
    for (let i = old.rehash; i < end; i++) {
      const page = flat ?? old.pages[i >>> PAGE_SHIFT];
      if (page !== undefined) {
        const slot = flat === null ? i & PAGE_MASK : i;
        for (let node: Entry<K, V> | null = page[slot]!; node !== null;) {
          // Hash before unlinking: if a custom hash throws, the node is
          // still in its old bucket, which still counts as not moved.
          const j = this.#indexIn(future, node.key);
          const rest: Entry<K, V> | null = node.chain;
          page[slot] = rest;
          node.chain = future.head(j);
          future.setHead(j, node);
          node = rest;
        }
      }
      old.rehash = i + 1;
      this.#bucketsMigrated++;
      // Nothing reads a page whose buckets have all moved: let it go.
      if (flat === null && (old.rehash & PAGE_MASK) === 0) {
        old.pages[i >>> PAGE_SHIFT] = undefined;
      }
    }
    if (end === old.size) {
      this.#tbl = future;
      this.#future = null;
      this.#recheck = true;
    }
  }

  /**
   * Ends an insert or remove: checks the threshold the operation may have
   * crossed, or both after a completed migration. Nothing starts while a
   * migration runs.
   */
  #settle(check: number): void {
    const recheck = this.#recheck;
    this.#recheck = false;
    if (this.#future !== null) return;
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
    const size = this.#tbl.size;
    if (fits(this.#keyCount, size) || size >= this.#maxSize) return false;
    this.#grows++;
    this.#attach(size * 2);
    return true;
  }

  /** The kernel's `rht_shrink_below_30()` and `rhashtable_shrink()`. */
  #shrinkIfNeeded(): void {
    if (!this.#automaticShrinking) return;
    const tbl = this.#tbl;
    const size = tbl.size;
    const keys = this.#keyCount;
    if (keys >= tbl.shrinkBelow || size <= this.#minSize) return;
    let target = keys === 0 ? 0 : roundUpPow2(Math.floor(keys * 3 / 2));
    if (target < this.#minSize) target = this.#minSize;
    // Rule (H) of MIGRATE_BUCKETS_PER_OP: the new table must have room for
    // every key that can arrive before the migration ends. Only a shrink
    // that starts well below 30% load ever needs the doubling.
    const busiest = keys + migrationSteps(size) - 1;
    while (target < size && target < this.#maxSize && !fits(busiest, target)) {
      target *= 2;
    }
    if (target >= size) return;
    this.#shrinks++;
    this.#attach(target);
  }

  /** Allocates a table with the next seed, the kernel's `bucket_table_alloc()`. */
  #allocTable(size: number): BucketTable<K, V> {
    // A Weyl sequence through murmur3's finalizer: a cheap, well-mixed
    // stream of 32-bit seeds that the `seed` option makes reproducible.
    const state = (this.#seedState + 0x9e3779b9) | 0;
    this.#seedState = state >>> 0;
    let z = Math.imul(state ^ (state >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return new BucketTable(size, (z ^ (z >>> 16)) >>> 0);
  }

  /** Attaches a new table that takes new keys from now on. */
  #attach(size: number): BucketTable<K, V> {
    const future = this.#allocTable(size);
    this.#future = future;
    this.#version++;
    return future;
  }
}

function* walkValues<V>(node: RhlNode<V> | null): IterableIterator<V> {
  for (; node !== null; node = node.next) yield node.value;
}

function longestChainOf<K, V>(tbl: BucketTable<K, V>, from: number): number {
  let longest = 0;
  for (let i = from; i < tbl.size; i++) {
    let length = 0;
    for (
      let node: Entry<K, V> | null = tbl.head(i);
      node !== null;
      node = node.chain
    ) length++;
    if (length > longest) longest = length;
  }
  return longest;
}
