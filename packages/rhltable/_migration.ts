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
  type Page,
  PAGE_MASK,
  PAGE_SHIFT,
} from "./_bucket_table.ts";
import { jhashInt32 } from "./_jhash.ts";
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
  // The default hash cannot throw for a key the table took in, so a run
  // of buckets within one page may move as a whole (moveRun()).
  if (
    keys.int32 &&
    (flat !== null || start >>> PAGE_SHIFT === (end - 1) >>> PAGE_SHIFT)
  ) {
    const page = flat ?? old.pages[start >>> PAGE_SHIFT];
    const base = flat === null ? start & ~PAGE_MASK : 0;
    if (page !== undefined) {
      moveRun(page, start - base, end - base, future, keys);
    }
    old.rehash = end;
    if (flat === null && (end & PAGE_MASK) === 0) {
      old.pages[start >>> PAGE_SHIFT] = undefined;
    }
    return end - start;
  }
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

/**
 * Moves slots `from` to `to` of `page` to `future`, under the default
 * hash, leaving them empty. About half of the buckets of a table at the
 * grow threshold are empty, at random, so a branch on each bucket's
 * emptiness is mispredicted about every other bucket, and that cost more
 * than the move itself. So the run's non-empty heads are first gathered
 * at its front, counting them with arithmetic rather than a branch, and
 * only those chains are walked.
 */
function moveRun<K, V>(
  page: Page<K, V>,
  from: number,
  to: number,
  future: BucketTable<K, V>,
  keys: KeyOps<K>,
): void {
  // Slots below `n` hold the heads gathered so far; slots from `n` to `i`
  // are empty.
  let n = from;
  for (let i = from; i < to; i++) {
    const head = page[i]!;
    page[i] = null;
    page[n] = head;
    n += +(head !== null);
  }
  const target = future.flat;
  for (let k = from; k < n; k++) {
    const head = page[k]!;
    page[k] = null;
    if (target !== null) {
      relinkFlat(head, target, future.seed, future.mask, keys);
    } else relinkPaged(head, future, keys);
  }
}

/** Rehashes every key node of the chain `node` into a flat `target`. */
function relinkFlat<K, V>(
  node: Entry<K, V> | null,
  target: Page<K, V>,
  seed: number,
  mask: number,
  keys: KeyOps<K>,
): void {
  while (node !== null) {
    const j = hashDefault(node.key, seed, keys) & mask;
    const rest: Entry<K, V> | null = node.chain;
    node.chain = target[j]!;
    target[j] = node;
    node = rest;
  }
}

/** Rehashes every key node of the chain `node` into a paged `future`. */
function relinkPaged<K, V>(
  node: Entry<K, V> | null,
  future: BucketTable<K, V>,
  keys: KeyOps<K>,
): void {
  const seed = future.seed;
  const mask = future.mask;
  while (node !== null) {
    const j = hashDefault(node.key, seed, keys) & mask;
    const rest: Entry<K, V> | null = node.chain;
    node.chain = future.head(j);
    future.setHead(j, node);
    node = rest;
  }
}

/**
 * `keys.hash()` under the default hash, with jhash_1word() of an int32
 * key (a task id) inline; counted in `work.hashes` all the same.
 */
function hashDefault<K>(key: K, seed: number, keys: KeyOps<K>): number {
  if (typeof key === "number" && (key | 0) === key) {
    keys.countHash();
    return jhashInt32(key, seed);
  }
  return keys.hash(key, seed);
}
