/**
 * The bucket array of `RhlTable` and the node it chains: the kernel's
 * `struct bucket_table` and `struct rhlist_head` (`include/linux/rhashtable-types.h`,
 * `lib/rhashtable.c`). Private to this package.
 *
 * @module
 */

/**
 * A value node, the kernel's `struct rhlist_head`: `next` links the values
 * of one key, newest first; `chain` links the key heads of one bucket (the
 * embedded `struct rhash_head`), and is `null` on every node that is not a
 * key's head.
 */
export interface Entry<K, V> {
  key: K;
  value: V;
  next: Entry<K, V> | null;
  chain: Entry<K, V> | null;
}

/**
 * Makes a value node. An object literal at one allocation site rather than
 * `new` of a class: V8 tracks survival per literal site and, seeing that
 * nearly every node outlives its first scavenge, allocates them straight
 * in the old generation (allocation-site pretenuring), so a growing table
 * stops paying for copying its nodes out of the young generation.
 */
export function newEntry<K, V>(
  key: K,
  value: V,
  next: Entry<K, V> | null,
  chain: Entry<K, V> | null,
): Entry<K, V> {
  return { key, value, next, chain };
}

/** log2 of the buckets in a page of a paged {@linkcode BucketTable}. */
export const PAGE_SHIFT = 9;
const PAGE_SIZE = 1 << PAGE_SHIFT;
/** A bucket's slot within its page. */
export const PAGE_MASK = PAGE_SIZE - 1;

/**
 * Most buckets of a flat {@linkcode BucketTable}. Copying a flat array of
 * 2^14 nulls takes V8 about 3 µs, no more than the insert that attaches
 * such a table spends otherwise; above that, the copy grows to tens of
 * microseconds (and milliseconds at 2^21), so larger tables are paged.
 */
export const FLAT_MAX = 1 << 14;

/** A run of bucket heads. */
export type Page<K, V> = (Entry<K, V> | null)[];

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
export class BucketTable<K, V> {
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
  /**
   * Arrays this table has allocated: its flat bucket array, or its page
   * directory and every page so far. A work counter for tests.
   */
  arrays = 1;
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
      this.arrays++;
    }
    page[i & PAGE_MASK] = entry;
  }

  /** Most key nodes in one bucket at or after bucket `from`. */
  longestChain(from: number): number {
    let longest = 0;
    for (let i = from; i < this.size; i++) {
      let length = 0;
      for (let node = this.head(i); node !== null; node = node.chain) length++;
      if (length > longest) longest = length;
    }
    return longest;
  }
}
