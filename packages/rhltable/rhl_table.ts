/**
 * {@linkcode RhlTable}: the Linux kernel's `rhltable` (resizable hash list
 * table, `lib/rhashtable.c`) as a generic TypeScript multimap.
 *
 * This file is the documented face; the parts live beside it, one concern
 * each: the table state, the insert, remove and lookup paths and the
 * resize decisions in `_rhashtable.ts`; the bucket array and its paging in
 * `_bucket_table.ts`; the chain walks in `_chains.ts`; the migration step
 * in `_migration.ts`; the sizing rules in `_sizing.ts`; key hashing in
 * `_key_ops.ts`; the seed stream in `_seeds.ts`; options in `_options.ts`;
 * the stats snapshot in `_stats.ts`.
 *
 * @module
 */

import type { BucketTable, Entry } from "./_bucket_table.ts";
import { parseOptions } from "./_options.ts";
import { Rhashtable } from "./_rhashtable.ts";
import { tableStats } from "./_stats.ts";
import { RhlTableError } from "./rhl_table_error.ts";
import type {
  RhlNode,
  RhlTableOptions,
  RhlTableStats,
  RhlTableWork,
} from "./rhl_table_types.ts";

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
  readonly #ht: Rhashtable<K, V>;

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
    this.#ht = new Rhashtable(parseOptions(options));
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
    return this.#ht.keyCount;
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
    return this.#ht.size;
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
    return (this.#ht.future ?? this.#ht.tbl).size;
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
   * assert.deepEqual(table.work, {
   *   lookups: 1,
   *   entriesVisited: 0,
   *   bucketsTouched: 1,
   *   bucketsMigrated: 0,
   *   hashes: 1,
   * });
   * ```
   */
  get work(): Readonly<RhlTableWork> {
    return this.#ht.work;
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
    const work = this.#ht.work;
    work.lookups = 0;
    work.entriesVisited = 0;
    work.bucketsTouched = 0;
    work.bucketsMigrated = 0;
    work.hashes = 0;
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
    this.#ht.insert(key, value);
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
    return this.#ht.remove(key, value);
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
    this.#ht.work.lookups++;
    return this.#ht.find(key) !== null;
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
    this.#ht.work.lookups++;
    return this.#ht.find(key);
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
    this.#ht.work.lookups++;
    return new ValueIterator(this.#ht.find(key));
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
    const version = this.#ht.version;
    const old = this.#ht.tbl;
    const future = this.#ht.future;
    for (let t: BucketTable<K, V> | null = old; t !== null;) {
      for (let i = t === old ? old.rehash : 0; i < t.size; i++) {
        for (
          let head: Entry<K, V> | null = t.head(i);
          head !== null;
          head = head.chain
        ) {
          for (let node: Entry<K, V> | null = head; node !== null;) {
            yield [head.key, node.value];
            if (this.#ht.version !== version) {
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
    this.#ht.clear();
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
    return tableStats(this.#ht);
  }
}

/**
 * The iterator of {@linkcode RhlTable.values}: a generator's behaviour
 * (each step reads the link of the value it returned last, so a walk
 * survives the removal of its current value, and once done stays done)
 * without a generator. V8 resumes a generator through a builtin call on
 * every step and never inlines it: a `for...of` over a key's two values
 * cost some 3 times the same walk by hand (`lookup()`, then `next`). This
 * class's `next()` inlines into the loop and its results need not be
 * allocated, which brings that to some 1.3 times.
 */
class ValueIterator<V> implements IterableIterator<V> {
  /** The first value's node, until the first step; then `null`. */
  #first: RhlNode<V> | null;
  /** The node of the value returned last, or `null`. */
  #last: RhlNode<V> | null = null;

  constructor(first: RhlNode<V> | null) {
    this.#first = first;
  }

  next(): IteratorResult<V, undefined> {
    const last = this.#last;
    const node = last === null ? this.#first : last.next;
    this.#first = null;
    this.#last = node;
    // One result literal, not one per outcome: V8 can then drop the
    // allocation once next() is inlined (escape analysis does not see
    // through a choice between two fresh objects).
    const done = node === null;
    return { value: done ? undefined : node.value, done } as IteratorResult<
      V,
      undefined
    >;
  }

  [Symbol.iterator](): this {
    return this;
  }
}

// Like a generator, the iterator inherits the iterator helpers (`map()`,
// `toArray()`, ...) of `Iterator.prototype`.
Object.setPrototypeOf(ValueIterator.prototype, Iterator.prototype);
