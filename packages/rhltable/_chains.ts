/**
 * The walks of one bucket's hash chain that `RhlTable` builds its
 * operations from: the kernel's `__rhashtable_lookup()`,
 * `rhashtable_lookup_one()` (a value joining its key's list) and
 * `__rhashtable_remove_fast_one()` for an rhltable. Each counts what it
 * examines in the table's work counters. Private to this package.
 *
 * @module
 */

import { type BucketTable, type Entry, newEntry } from "./_bucket_table.ts";
import type { KeyOps } from "./_key_ops.ts";
import type { RhlTableWork } from "./rhl_table_types.ts";

/** What {@linkcode removeFromChain} found. */
export const NO_KEY = 0;
/** The key is there, without that value. */
export const NO_SUCH_VALUE = 1;
/** The value went, and the key has others. */
export const REMOVED_VALUE = 2;
/** The value went, and with it the key. */
export const REMOVED_LAST_VALUE = 3;

/** The head node of `key` in bucket `i` of `tbl`, or `null`. */
export function findInChain<K, V>(
  tbl: BucketTable<K, V>,
  i: number,
  key: K,
  keys: KeyOps<K>,
  work: RhlTableWork,
): Entry<K, V> | null {
  work.bucketsTouched++;
  let visited = 0;
  let node = tbl.head(i);
  for (; node !== null; node = node.chain) {
    visited++;
    if (keys.same(node.key, key)) break;
  }
  work.entriesVisited += visited;
  return node;
}

/**
 * Walks bucket `i` of `tbl` for the key. If it is there, `value` becomes
 * the key's new head, taking the old head's place in the chain, and the
 * result is -1. Otherwise nothing changes and the result is the number
 * of keys in the chain.
 */
export function joinChain<K, V>(
  tbl: BucketTable<K, V>,
  i: number,
  key: K,
  value: V,
  keys: KeyOps<K>,
  work: RhlTableWork,
): number {
  work.bucketsTouched++;
  let prev: Entry<K, V> | null = null;
  let depth = 0;
  for (let node = tbl.head(i); node !== null; node = node.chain) {
    depth++;
    if (keys.same(node.key, key)) {
      work.entriesVisited += depth;
      const head = newEntry(node.key, value, node, node.chain);
      node.chain = null;
      if (prev === null) tbl.setHead(i, head);
      else prev.chain = head;
      return -1;
    }
    prev = node;
  }
  work.entriesVisited += depth;
  return depth;
}

/**
 * Removes the newest `value` of `key` from bucket `i` of `tbl`, comparing
 * values with `===`. A removed node keeps its `next`, so that a reader
 * holding it still reaches the values after it (the kernel's RCU rule).
 *
 * @returns {@linkcode NO_KEY}, {@linkcode NO_SUCH_VALUE},
 * {@linkcode REMOVED_VALUE} or {@linkcode REMOVED_LAST_VALUE}.
 */
export function removeFromChain<K, V>(
  tbl: BucketTable<K, V>,
  i: number,
  key: K,
  value: V,
  keys: KeyOps<K>,
  work: RhlTableWork,
): number {
  work.bucketsTouched++;
  let prev: Entry<K, V> | null = null;
  for (let node = tbl.head(i); node !== null; node = node.chain) {
    work.entriesVisited++;
    if (!keys.same(node.key, key)) {
      prev = node;
      continue;
    }
    if (node.value === value) {
      // The head goes: its successor, if any, takes its chain position.
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
