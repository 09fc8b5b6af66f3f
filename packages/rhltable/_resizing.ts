/**
 * What the package's two tables share, whatever their storage: the
 * kernel's `struct rhashtable` bookkeeping (`nelems`, `tbl`, `future_tbl`)
 * and its resize decisions (`lib/rhashtable.c`): when to grow or shrink,
 * the size of a flood rehash, a fresh seed for every bucket table, and
 * the end of a removal. `Rhashtable` (behind `RhlTable`) keeps objects in
 * its buckets and `TaskTable` (behind `RhlTableTaskIndex`) keeps typed
 * arrays; each walks its own chains. Private to this package.
 *
 * @module
 */

import { NO_KEY, NO_SUCH_VALUE, REMOVED_LAST_VALUE } from "./_chains.ts";
import { type Settings, show } from "./_options.ts";
import { SeedStream } from "./_seeds.ts";
import { fits, floodTarget, shrinkTarget } from "./_sizing.ts";
import { RhlTableError } from "./rhl_table_error.ts";
import type { RhlTableWork } from "./rhl_table_types.ts";

/** The options the resize decisions follow. */
export type SizeSettings = Pick<
  Settings<never>,
  | "initialSize"
  | "minSize"
  | "maxSize"
  | "maxKeys"
  | "automaticShrinking"
  | "seed"
>;

/** What the resize decisions (and `tableStats()`) read of a bucket table. */
export interface SizedBuckets {
  readonly size: number;
  /** The table's hash seed (the kernel's `hash_rnd`). */
  readonly seed: number;
  /** ⌊size × 3/10⌋: below this many keys the table shrinks. */
  readonly shrinkBelow: number;
  /** Buckets below this have moved to the next table (`rehash`). */
  rehash: number;
  /** Bucket arrays this table has allocated, for `RhlTableStats`. */
  readonly arrays: number;
}

// Which threshold an operation's end should check.
/** Nothing but what a completed migration asks for. */
export const CHECK_NONE = 0;
/** A new key came: `rht_grow_above_75()`. */
export const CHECK_GROW = 1;
/** A key left: `rht_shrink_below_30()`. */
export const CHECK_SHRINK = 2;

/**
 * A table's size bookkeeping and resize decisions, over bucket tables of
 * type `T` that a subclass makes ({@linkcode ResizingTable.newTable}) and
 * migrates.
 */
export abstract class ResizingTable<T extends SizedBuckets> {
  /** The table lookups start in (the kernel's `ht->tbl`). */
  tbl: T;
  /** The table being migrated to (`future_tbl`), or `null`. */
  future: T | null = null;
  /** Distinct keys (`nelems`). */
  keyCount = 0;
  /** Values, over all keys. */
  size = 0;
  /** Bumped by every structural change, for walks of the table. */
  version = 0;
  grows = 0;
  shrinks = 0;
  reseeds = 0;
  bucketsMigrated = 0;
  /** Nodes allocated so far (what a node is, the subclass says). */
  nodesAllocated = 0;
  /** Bucket arrays of the tables already let go. */
  retiredArrays = 0;
  readonly initialSize: number;
  readonly minSize: number;
  readonly maxSize: number;
  readonly maxKeys: number;
  readonly work: RhlTableWork = {
    lookups: 0,
    entriesVisited: 0,
    bucketsTouched: 0,
    bucketsMigrated: 0,
    hashes: 0,
  };
  readonly #automaticShrinking: boolean;
  readonly #seeds: SeedStream;
  /** Set when a migration completes; the end of that call re-checks. */
  #recheck = false;

  constructor(settings: SizeSettings) {
    this.initialSize = settings.initialSize;
    this.minSize = settings.minSize;
    this.maxSize = settings.maxSize;
    this.maxKeys = settings.maxKeys;
    this.#automaticShrinking = settings.automaticShrinking;
    this.#seeds = new SeedStream(settings.seed);
    this.tbl = this.allocTable(this.initialSize);
  }

  /** A new, empty bucket table of `size` buckets under `seed`. */
  protected abstract newTable(size: number, seed: number): T;

  /** Most key nodes in one bucket of `tbl` at or after bucket `from`. */
  abstract longestChain(tbl: T, from: number): number;

  /** The kernel's `bucket_table_alloc()`: a table with the next seed. */
  protected allocTable(size: number): T {
    return this.newTable(size, this.#seeds.next());
  }

  /**
   * Counts the `buckets` a migration step moved, and retires the old
   * table once all of its buckets have moved.
   */
  protected stepped(buckets: number): void {
    this.bucketsMigrated += buckets;
    this.work.bucketsMigrated += buckets;
    const old = this.tbl;
    if (old.rehash === old.size) {
      this.retiredArrays += old.arrays;
      this.tbl = this.future!;
      this.future = null;
      this.#recheck = true;
    }
  }

  /** Empties the table into a fresh first-size table (`RhlTable.clear()`). */
  clear(): void {
    this.retiredArrays += this.tbl.arrays + (this.future?.arrays ?? 0);
    this.tbl = this.allocTable(this.initialSize);
    this.future = null;
    this.keyCount = 0;
    this.size = 0;
    this.#recheck = false;
    this.version++;
  }

  /**
   * Ends an insert or remove: checks the threshold the operation may have
   * crossed, or both after a completed migration. Nothing starts while a
   * migration runs.
   */
  protected settle(check: number): void {
    const recheck = this.#recheck;
    this.#recheck = false;
    if (this.future !== null) return;
    if (recheck) {
      if (!this.#growIfNeeded()) this.#shrinkIfNeeded();
    } else if (check === CHECK_GROW) {
      this.#growIfNeeded();
    } else if (check === CHECK_SHRINK) {
      this.#shrinkIfNeeded();
    }
  }

  /**
   * Ends a removal that found `found` (`NO_KEY`, `NO_SUCH_VALUE`,
   * `REMOVED_VALUE` or `REMOVED_LAST_VALUE`).
   *
   * @returns Whether a value was removed.
   */
  protected removed(found: number): boolean {
    if (found === NO_KEY || found === NO_SUCH_VALUE) {
      this.settle(CHECK_NONE);
      return false;
    }
    this.size--;
    this.version++;
    if (found === REMOVED_LAST_VALUE) {
      this.keyCount--;
      this.settle(CHECK_SHRINK);
    } else {
      this.settle(CHECK_NONE);
    }
    return true;
  }

  /** The kernel's `rht_grow_above_75()` and a doubling. */
  #growIfNeeded(): boolean {
    const size = this.tbl.size;
    if (fits(this.keyCount, size) || size >= this.maxSize) return false;
    this.grows++;
    this.#attach(size * 2);
    return true;
  }

  /** The kernel's `rht_shrink_below_30()` and `rhashtable_shrink()`. */
  #shrinkIfNeeded(): void {
    const tbl = this.tbl;
    if (!this.#automaticShrinking || this.keyCount >= tbl.shrinkBelow) {
      return;
    }
    const target = shrinkTarget(
      this.keyCount,
      tbl.size,
      this.minSize,
      this.maxSize,
    );
    if (target === 0) return;
    this.shrinks++;
    this.#attach(target);
  }

  /**
   * Attaches the table of a flood rehash (`rhashtable_insert_rehash()`)
   * and returns it; it doubles when it would otherwise fill up before its
   * migration ends (see `MIGRATE_BUCKETS_PER_OP`).
   */
  protected flood(size: number): T {
    this.reseeds++;
    const target = floodTarget(this.keyCount + 1, size, this.maxSize);
    if (target > size) this.grows++;
    return this.#attach(target);
  }

  /** Attaches a new table that takes new keys from now on. */
  #attach(size: number): T {
    const future = this.allocTable(size);
    this.future = future;
    this.version++;
    return future;
  }

  /** The `E2BIG` error for a new key in a full table. */
  protected full(key: unknown): RhlTableError {
    return new RhlTableError(
      "E2BIG",
      `Cannot insert key ${
        show(key)
      }: the table already holds its maximum of ${this.maxKeys} keys (maxSize ${this.maxSize})`,
    );
  }
}
