/**
 * One step of `RhlTable`'s incremental resize: the kernel's
 * `rhashtable_rehash_chain()` for a run of buckets, as one round of
 * `rhashtable_rehash_table()` would do them. Private to this package.
 *
 * @module
 */

import {
  type BucketTable,
  type Entry,
  PAGE_MASK,
  PAGE_SHIFT,
} from "./_bucket_table.ts";
import type { KeyOps } from "./_key_ops.ts";

/**
 * Moves up to `count` buckets of `old`, from `old.rehash` on, to `future`,
 * and advances `old.rehash` past them. Each key node moves with its whole
 * value list by relinking `chain` alone, so nothing is allocated but the
 * pages of `future` that the moved keys are the first to reach. A page of
 * `old` whose buckets have all moved is let go.
 *
 * @returns The number of buckets moved.
 */
export function migrateBuckets<K, V>(
  old: BucketTable<K, V>,
  future: BucketTable<K, V>,
  keys: KeyOps<K>,
  count: number,
): number {
  const start = old.rehash;
  const end = Math.min(start + count, old.size);
  // A flat table is its own single page.
  const flat = old.flat;
  const seed = future.seed;
  const mask = future.mask;
  for (let i = start; i < end; i++) {
    const page = flat ?? old.pages[i >>> PAGE_SHIFT];
    if (page !== undefined) {
      const slot = flat === null ? i & PAGE_MASK : i;
      for (let node: Entry<K, V> | null = page[slot]!; node !== null;) {
        // Hash before unlinking: if a custom hash throws, the node is
        // still in its old bucket, which still counts as not moved.
        const j = keys.hash(node.key, seed) & mask;
        const rest: Entry<K, V> | null = node.chain;
        page[slot] = rest;
        node.chain = future.head(j);
        future.setHead(j, node);
        node = rest;
      }
    }
    old.rehash = i + 1;
    // Nothing reads a page whose buckets have all moved: let it go.
    if (flat === null && (old.rehash & PAGE_MASK) === 0) {
      old.pages[i >>> PAGE_SHIFT] = undefined;
    }
  }
  return end - start;
}
