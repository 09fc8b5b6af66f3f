/**
 * The {@linkcode RhlTableStats} snapshot of a table's state, shared by
 * `RhlTable` and `RhlTableTaskIndex`. Private to this package.
 *
 * @module
 */

import type { RhlTableStats } from "./rhl_table_types.ts";

/** What a snapshot reads of one bucket table. */
export interface StatsBuckets {
  readonly size: number;
  readonly rehash: number;
  readonly seed: number;
  readonly arrays: number;
}

/** What a snapshot reads of a table: `RhlTable`'s, or a task index's. */
export interface StatsTable<T extends StatsBuckets> {
  readonly tbl: T;
  readonly future: T | null;
  readonly keyCount: number;
  readonly size: number;
  readonly grows: number;
  readonly shrinks: number;
  readonly reseeds: number;
  readonly bucketsMigrated: number;
  readonly nodesAllocated: number;
  readonly retiredArrays: number;
  readonly minSize: number;
  readonly maxSize: number;
  readonly maxKeys: number;
  longestChain(tbl: T, from: number): number;
}

/** A snapshot of `ht`'s shape and history. */
export function tableStats<T extends StatsBuckets>(
  ht: StatsTable<T>,
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
