/**
 * The task index's insert and remove: `rhltable_insert()` and
 * `rhltable_remove()` of int32 keys (task ids) whose values link
 * themselves (see `LinkedValue`), over an {@linkcode Rhashtable} built with
 * the default hash. They take the same steps as the table's general
 * `insertLinked()` and `removeLinked()`, with the same migration step,
 * thresholds, flooding defence and results, but with jhash_1word() and
 * `===` in place of the key operations, and one walk of a chain where the
 * general insert takes two. The one-table case of each stays small and
 * flat so that V8 inlines it, hash included, into the index. Private to
 * this package.
 *
 * @module
 */

import { getIndexEntry, setIndexEntry } from "@hwbp/core";
import type { BucketTable, Entry } from "./_bucket_table.ts";
import {
  type LinkedValue,
  NO_KEY,
  NO_SUCH_VALUE,
  REMOVED_LAST_VALUE,
  REMOVED_VALUE,
} from "./_chains.ts";
import type { ChainWork, Rhashtable } from "./_rhashtable.ts";

/**
 * Inserts `value` under the int32 `key` of a table whose `keys.int32` is
 * set: a new key gets a key node holding `value` and the result is `null`;
 * for a key present already, the result is its head node, for the caller
 * to make `value` the newest of its list. It counts only what an index on
 * the table reports: the buckets its migration step moves, in
 * `work.bucketsTouched`.
 */
export function insertLinkedInt32<V>(
  ht: Rhashtable<number, V>,
  key: number,
  value: V,
  work: ChainWork,
): Entry<number, V> | null {
  if (ht.future !== null) return insertMigrating(ht, key, value, work);
  const tbl = ht.tbl;
  const h = tbl.hashInt32(key);
  if (ht.keyCount >= ht.maxKeys) ht.refuseNewKey(key, h, 0);
  return joinOrAdd(ht, tbl, h & tbl.mask, key, value);
}

/** {@linkcode insertLinkedInt32} while a migration runs. */
function insertMigrating<V>(
  ht: Rhashtable<number, V>,
  key: number,
  value: V,
  work: ChainWork,
): Entry<number, V> | null {
  const old = ht.tbl;
  const future = ht.future!;
  const hOld = old.hashInt32(key);
  const hFuture = future.hashInt32(key);
  if (ht.keyCount >= ht.maxKeys) ht.refuseNewKey(key, hOld, hFuture);
  work.bucketsTouched += ht.migrateStep();
  // The step may have completed the migration: the new table is then the
  // only one, and its hash is `hFuture`.
  let tbl = ht.tbl;
  let h = tbl === old ? hOld : hFuture;
  if (ht.future !== null) {
    // As in the kernel's rhashtable_try_insert(): a key whose old bucket
    // has not moved yet may still live there, and must be joined there.
    const i = hOld & tbl.mask;
    if (i >= tbl.rehash) {
      for (let node = tbl.head(i); node !== null; node = node.chain) {
        if (node.key === key) return ht.joinedLinked(node);
      }
    }
    tbl = ht.future;
    h = hFuture;
  }
  return joinOrAdd(ht, tbl, h & tbl.mask, key, value);
}

/**
 * Ends an insert in bucket `i` of `tbl`, the table a new key goes to: a
 * present key's head is returned for the caller to link `value`; a new key
 * gets its node. One walk serves both, and counts the keys it passes for
 * the flooding defence.
 */
function joinOrAdd<V>(
  ht: Rhashtable<number, V>,
  tbl: BucketTable<number, V>,
  i: number,
  key: number,
  value: V,
): Entry<number, V> | null {
  let depth = 0;
  for (let node = tbl.head(i); node !== null; node = node.chain) {
    if (node.key === key) return ht.joinedLinked(node);
    depth++;
  }
  return ht.addKey(tbl, i, key, value, depth, true);
}

/**
 * Removes `value` from the int32 `key`'s list, as
 * {@linkcode insertLinkedInt32} inserts it. Counts in `work` the buckets
 * its migration step moves and the buckets and entries its walk examines.
 *
 * @returns Whether the value was there (and so is now removed).
 */
export function removeLinkedInt32<V extends LinkedValue>(
  ht: Rhashtable<number, V>,
  key: number,
  value: V,
  work: ChainWork,
): boolean {
  if (ht.future !== null) return removeMigrating(ht, key, value, work);
  const tbl = ht.tbl;
  const i = tbl.hashInt32(key) & tbl.mask;
  return ht.removed(removeFromChainInt32(tbl, i, key, value, work));
}

/** {@linkcode removeLinkedInt32} while a migration runs. */
function removeMigrating<V extends LinkedValue>(
  ht: Rhashtable<number, V>,
  key: number,
  value: V,
  work: ChainWork,
): boolean {
  const old = ht.tbl;
  const future = ht.future!;
  const hOld = old.hashInt32(key);
  const hFuture = future.hashInt32(key);
  work.bucketsTouched += ht.migrateStep();
  let found = NO_KEY;
  if (ht.tbl !== old) {
    // The step completed the migration.
    const tbl = ht.tbl;
    found = removeFromChainInt32(tbl, hFuture & tbl.mask, key, value, work);
  } else {
    const i = hOld & old.mask;
    const next = ht.future;
    if (next === null || i >= old.rehash) {
      found = removeFromChainInt32(old, i, key, value, work);
    }
    if (found === NO_KEY && next !== null) {
      found = removeFromChainInt32(next, hFuture & next.mask, key, value, work);
    }
  }
  return ht.removed(found);
}

/**
 * `removeLinkedFromChain()` of an int32 key: `===` is SameValueZero for
 * it. Counts the bucket and the entries it examines in `work`.
 *
 * @returns What it found: `NO_KEY`, `NO_SUCH_VALUE`, `REMOVED_VALUE` or
 * `REMOVED_LAST_VALUE`.
 */
function removeFromChainInt32<V extends LinkedValue>(
  tbl: BucketTable<number, V>,
  i: number,
  key: number,
  value: V,
  work: ChainWork,
): number {
  work.bucketsTouched++;
  let prev: Entry<number, V> | null = null;
  let visited = 0;
  let result = NO_KEY;
  for (let node = tbl.head(i); node !== null; node = node.chain) {
    visited++;
    if (node.key !== key) {
      prev = node;
      continue;
    }
    result = NO_SUCH_VALUE;
    if (node.value === value) {
      const older = getIndexEntry(value) as V | null;
      setIndexEntry(value, null);
      if (older !== null) {
        node.value = older;
        result = REMOVED_VALUE;
        break;
      }
      // The key's last value: its node leaves the chain.
      if (prev === null) tbl.setHead(i, node.chain);
      else prev.chain = node.chain;
      node.chain = null;
      result = REMOVED_LAST_VALUE;
      break;
    }
    for (
      let before = node.value, v = getIndexEntry(before) as V | null;
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
