/**
 * The {@linkcode RhlTableStats} snapshot of a table's state, shared by
 * `RhlTable` and `RhlTableTaskIndex`. Private to this package.
 *
 * @module
 */

import type { ResizingTable, SizedBuckets } from "./_resizing.ts";
import type { RhlTableStats } from "./rhl_table_types.ts";

/** A snapshot of `ht`'s shape and history. */
export function tableStats<T extends SizedBuckets>(
  ht: ResizingTable<T>,
): RhlTableStats {
  const old = ht.tbl;
  const future = ht.future;
  let longestChain = ht.longestChain(old, old.rehash);
  if (future !== null) {
    longestChain = Math.max(longestChain, ht.longestChain(future, 0));
  }
  const current = future ?? old;
  return {
    keyCount: ht.keyCount,
    size: ht.size,
    bucketCount: current.size,
    loadFactor: ht.keyCount / current.size,
    longestChain,
    grows: ht.grows,
    shrinks: ht.shrinks,
    reseeds: ht.reseeds,
    migrating: future !== null,
    oldBucketCount: future === null ? 0 : old.size,
    bucketsToMigrate: future === null ? 0 : old.size - old.rehash,
    bucketsMigrated: ht.bucketsMigrated,
    nodesAllocated: ht.nodesAllocated,
    bucketArraysAllocated: ht.retiredArrays + old.arrays +
      (future?.arrays ?? 0),
    seed: current.seed,
    minSize: ht.minSize,
    maxSize: ht.maxSize,
    maxKeys: ht.maxKeys,
  };
}
