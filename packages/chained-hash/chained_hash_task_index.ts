/**
 * {@linkcode ChainedHashTaskIndex}: a textbook separate-chaining hash table
 * keyed by task id.
 *
 * @module
 */

import {
  getIndexKey,
  type TaskBreakpoint,
  type TaskIndex,
  type TaskIndexWork,
  type TaskVisitor,
} from "@hwbp/core";

/** Bucket count used when none is given. */
const DEFAULT_BUCKETS = 64;
/**
 * The largest bucket array: past it the table stops doubling and chains
 * lengthen instead. Far beyond any real breakpoint count, and small enough
 * for the bucket mask to stay a 31-bit integer.
 */
const MAX_BUCKETS = 2 ** 30;

/** One entry of a bucket's chain: a single breakpoint. */
class ChainNode {
  readonly bp: TaskBreakpoint;
  next: ChainNode | null;

  constructor(bp: TaskBreakpoint, next: ChainNode | null) {
    this.bp = bp;
    this.next = next;
  }
}

/**
 * The finaliser of MurmurHash3 (`fmix32`): every input bit affects every
 * output bit, so consecutive task ids land in unrelated buckets.
 */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * Hashes a task id to 32 bits. Ids may use all 53 bits of a safe integer, so
 * the high half is mixed into the low one before the final mix (and since
 * `fmix32(0)` is 0, an id below 2^32 hashes to plain `fmix32(id)`).
 */
function hashTask(task: number): number {
  const low = task >>> 0;
  const high = Math.floor(task / 0x1_0000_0000) >>> 0;
  return fmix32(low ^ fmix32(high));
}

/** A bucket array of `count` empty chains, packed (no holes). */
function emptyBuckets(count: number): (ChainNode | null)[] {
  const buckets: (ChainNode | null)[] = [];
  for (let i = 0; i < count; i++) buckets.push(null);
  return buckets;
}

/** Options of the {@linkcode ChainedHashTaskIndex} constructor. */
export interface ChainedHashTaskIndexOptions {
  /**
   * The number of buckets to start with: a power of two of at least 1 (and
   * at most 2^30).
   *
   * @default {64}
   */
  initialBuckets?: number;
}

/** A snapshot of a {@linkcode ChainedHashTaskIndex}'s shape. */
export interface ChainedHashStats {
  /** The number of buckets. */
  readonly buckets: number;
  /** The number of entries in the longest chain. */
  readonly longestChain: number;
  /** How many times the table has doubled since it was created. */
  readonly grows: number;
}

/**
 * A {@linkcode TaskIndex} that hashes task ids into power-of-two buckets,
 * each holding a chain with one entry per breakpoint (a task with several
 * breakpoints has several entries in its bucket's chain).
 *
 * When the entries outnumber the buckets (load factor above 1), the table
 * doubles and rehashes every entry at once, reusing the entry nodes; it
 * never shrinks. That all-at-once rehash is the simple design the kernel's
 * rhltable avoids: its resizes migrate a few buckets per operation instead.
 *
 * Lookups and removals touch one bucket and walk its chain; every entry they
 * examine counts in {@linkcode TaskIndexWork.entriesVisited}, other tasks'
 * entries included.
 *
 * | Method                   | Average           | Worst case |
 * | ------------------------ | ----------------- | ---------- |
 * | insert(bp)               | O(1) amortized    | O(n)       |
 * | remove(bp)               | O(1)              | O(n)       |
 * | visitTask(task, visitor) | O(1 + k)          | O(n)       |
 * | size, bucketCount        | O(1)              | O(1)       |
 * | stats()                  | O(buckets + n)    | same       |
 * | [Symbol.iterator]()      | O(buckets + n)    | same       |
 *
 * Here n is the number of breakpoints stored and k the number the task has.
 * An insert costs O(n) when it triggers a doubling.
 *
 * @example Usage
 * ```ts
 * import { ChainedHashTaskIndex } from "@hwbp/chained-hash";
 * import { createTaskBreakpoint, type TaskBreakpoint } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * const index = new ChainedHashTaskIndex({ initialBuckets: 4 });
 * for (let task = 0; task < 5; task++) {
 *   index.insert(createTaskBreakpoint({ task, cpu: -1, slot: 1, weight: 1 }));
 * }
 * // Five entries in four buckets: the table doubled.
 * assert.equal(index.bucketCount, 8);
 *
 * const found: TaskBreakpoint[] = [];
 * index.visitTask(3, {
 *   visit(bp) {
 *     found.push(bp);
 *     return true;
 *   },
 * });
 * assert.deepEqual(found.map((bp) => bp.task), [3]);
 * assert.ok(index.work.entriesVisited <= index.size);
 * ```
 */
export class ChainedHashTaskIndex implements TaskIndex {
  /**
   * The name of this index in reports: `"chained-hash"`.
   *
   * @example Usage
   * ```ts
   * import { ChainedHashTaskIndex } from "@hwbp/chained-hash";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new ChainedHashTaskIndex().name, "chained-hash");
   * ```
   */
  readonly name: string = "chained-hash";

  #buckets: (ChainNode | null)[];
  #mask: number;
  #size = 0;
  #grows = 0;
  #work: TaskIndexWork = { lookups: 0, entriesVisited: 0, bucketsTouched: 0 };

  /**
   * Creates an empty index.
   *
   * @param options How many buckets to start with.
   * @throws {RangeError} If `initialBuckets` is not a power of two between 1
   * and 2^30.
   *
   * @example Usage
   * ```ts
   * import { ChainedHashTaskIndex } from "@hwbp/chained-hash";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new ChainedHashTaskIndex().bucketCount, 64);
   * assert.equal(new ChainedHashTaskIndex({ initialBuckets: 1 }).bucketCount, 1);
   * assert.throws(
   *   () => new ChainedHashTaskIndex({ initialBuckets: 48 }),
   *   RangeError,
   * );
   * ```
   */
  constructor(options: ChainedHashTaskIndexOptions = {}) {
    const buckets = options.initialBuckets ?? DEFAULT_BUCKETS;
    if (
      typeof buckets !== "number" || !Number.isInteger(buckets) ||
      buckets < 1 || buckets > MAX_BUCKETS || (buckets & (buckets - 1)) !== 0
    ) {
      throw new RangeError(
        `Cannot create chained-hash index: initialBuckets ${
          typeof buckets === "string" ? JSON.stringify(buckets) : buckets
        } is not a power of two from 1 to 2^30`,
      );
    }
    this.#buckets = emptyBuckets(buckets);
    this.#mask = buckets - 1;
  }

  /**
   * The number of breakpoints stored.
   *
   * @returns The number of breakpoints stored.
   *
   * @example Usage
   * ```ts
   * import { createTaskBreakpoint } from "@hwbp/core";
   * import { ChainedHashTaskIndex } from "@hwbp/chained-hash";
   * import assert from "node:assert/strict";
   *
   * const index = new ChainedHashTaskIndex();
   * index.insert(createTaskBreakpoint({ task: 1, cpu: -1, slot: 1, weight: 1 }));
   * index.insert(createTaskBreakpoint({ task: 1, cpu: 0, slot: 1, weight: 1 }));
   * assert.equal(index.size, 2);
   * ```
   */
  get size(): number {
    return this.#size;
  }

  /**
   * The number of buckets: a power of two that only grows.
   *
   * @returns The current number of buckets.
   *
   * @example Usage
   * ```ts
   * import { createTaskBreakpoint } from "@hwbp/core";
   * import { ChainedHashTaskIndex } from "@hwbp/chained-hash";
   * import assert from "node:assert/strict";
   *
   * const index = new ChainedHashTaskIndex({ initialBuckets: 2 });
   * for (let task = 0; task < 3; task++) {
   *   index.insert(createTaskBreakpoint({ task, cpu: -1, slot: 1, weight: 1 }));
   * }
   * assert.equal(index.bucketCount, 4);
   * ```
   */
  get bucketCount(): number {
    return this.#buckets.length;
  }

  /**
   * The live work counters. Lookups and removals each touch one bucket and
   * count every chain entry they examine; inserts and rehashing count
   * nothing.
   *
   * @returns The counters, updated in place as the index works.
   *
   * @example Usage
   * ```ts
   * import { createTaskBreakpoint } from "@hwbp/core";
   * import { ChainedHashTaskIndex } from "@hwbp/chained-hash";
   * import assert from "node:assert/strict";
   *
   * const index = new ChainedHashTaskIndex({ initialBuckets: 1 });
   * index.insert(createTaskBreakpoint({ task: 1, cpu: -1, slot: 1, weight: 1 }));
   * index.visitTask(1, { visit: () => true });
   * assert.deepEqual(index.work, { lookups: 1, entriesVisited: 1, bucketsTouched: 1 });
   * ```
   */
  get work(): Readonly<TaskIndexWork> {
    return this.#work;
  }

  /**
   * Adds a breakpoint at the head of its task's bucket chain, then doubles
   * the table if the entries now outnumber the buckets. The breakpoint's
   * index entry (`getIndexEntry()`) is left alone.
   *
   * @param bp The breakpoint to store; the caller guarantees it is not
   * stored already.
   *
   * @example Usage
   * ```ts
   * import { createTaskBreakpoint } from "@hwbp/core";
   * import { ChainedHashTaskIndex } from "@hwbp/chained-hash";
   * import assert from "node:assert/strict";
   *
   * const index = new ChainedHashTaskIndex({ initialBuckets: 1 });
   * index.insert(createTaskBreakpoint({ task: 1, cpu: -1, slot: 1, weight: 1 }));
   * index.insert(createTaskBreakpoint({ task: 2, cpu: -1, slot: 1, weight: 1 }));
   * assert.equal(index.size, 2);
   * assert.equal(index.stats().grows, 1);
   * ```
   */
  insert(bp: TaskBreakpoint): void {
    const index = hashTask(getIndexKey(bp)) & this.#mask;
    this.#buckets[index] = new ChainNode(bp, this.#buckets[index] ?? null);
    if (++this.#size > this.#buckets.length) this.#grow();
  }

  /**
   * Removes a breakpoint, found by identity in its task's bucket chain.
   *
   * @param bp The breakpoint to remove.
   * @returns `true` if this index held it, `false` (and nothing but the work
   * counters changes) otherwise.
   *
   * @example Usage
   * ```ts
   * import { ChainedHashTaskIndex } from "@hwbp/chained-hash";
   * import { createTaskBreakpoint, type TaskBreakpoint } from "@hwbp/core";
   * import assert from "node:assert/strict";
   *
   * const index = new ChainedHashTaskIndex();
   * const bp: TaskBreakpoint = createTaskBreakpoint({ task: 9, cpu: -1, slot: 1, weight: 1 });
   * const twin = createTaskBreakpoint({ task: 9, cpu: -1, slot: 1, weight: 1 });
   * index.insert(bp);
   *
   * assert.equal(index.remove(twin), false);
   * assert.equal(index.remove(bp), true);
   * assert.equal(index.remove(bp), false);
   * assert.equal(index.size, 0);
   * ```
   */
  remove(bp: TaskBreakpoint): boolean {
    const work = this.#work;
    const buckets = this.#buckets;
    const index = hashTask(getIndexKey(bp)) & this.#mask;
    work.bucketsTouched++;
    let prev: ChainNode | null = null;
    let node = buckets[index] ?? null;
    while (node !== null) {
      work.entriesVisited++;
      if (node.bp === bp) {
        if (prev === null) buckets[index] = node.next;
        else prev.next = node.next;
        this.#size--;
        return true;
      }
      prev = node;
      node = node.next;
    }
    return false;
  }

  /**
   * Walks the task's bucket chain and hands the visitor every breakpoint of
   * `task`, newest first, until the visitor returns `false`.
   *
   * @param task The task id to look up.
   * @param visitor Receives each breakpoint of the task; it must not change
   * the index.
   *
   * @example Usage
   * ```ts
   * import { createTaskBreakpoint } from "@hwbp/core";
   * import { ChainedHashTaskIndex } from "@hwbp/chained-hash";
   * import assert from "node:assert/strict";
   *
   * const index = new ChainedHashTaskIndex();
   * for (let i = 0; i < 6; i++) {
   *   index.insert(createTaskBreakpoint({ task: i % 3, cpu: -1, slot: 1, weight: i + 1 }));
   * }
   * let total = 0;
   * index.visitTask(2, {
   *   visit(bp) {
   *     total += bp.weight;
   *     return true;
   *   },
   * });
   * assert.equal(total, 3 + 6);
   * ```
   */
  visitTask(task: number, visitor: TaskVisitor): void {
    const work = this.#work;
    work.lookups++;
    work.bucketsTouched++;
    let node = this.#buckets[hashTask(task) & this.#mask] ?? null;
    while (node !== null) {
      const next = node.next;
      work.entriesVisited++;
      if (getIndexKey(node.bp) === task && !visitor.visit(node.bp)) return;
      node = next;
    }
  }

  /**
   * Sets every work counter back to zero.
   *
   * @example Usage
   * ```ts
   * import { ChainedHashTaskIndex } from "@hwbp/chained-hash";
   * import assert from "node:assert/strict";
   *
   * const index = new ChainedHashTaskIndex();
   * index.visitTask(1, { visit: () => true });
   * index.resetWork();
   * assert.deepEqual(index.work, { lookups: 0, entriesVisited: 0, bucketsTouched: 0 });
   * ```
   */
  resetWork(): void {
    const work = this.#work;
    work.lookups = 0;
    work.entriesVisited = 0;
    work.bucketsTouched = 0;
  }

  /**
   * Describes the table's shape by walking every bucket: for tests and
   * reports, not for the hot path.
   *
   * @returns The bucket count, the longest chain and the number of doublings.
   *
   * @example Usage
   * ```ts
   * import { createTaskBreakpoint } from "@hwbp/core";
   * import { ChainedHashTaskIndex } from "@hwbp/chained-hash";
   * import assert from "node:assert/strict";
   *
   * const index = new ChainedHashTaskIndex({ initialBuckets: 16 });
   * for (let i = 0; i < 4; i++) {
   *   index.insert(createTaskBreakpoint({ task: 5, cpu: i, slot: 1, weight: 1 }));
   * }
   * // One task: all four breakpoints share one chain.
   * assert.deepEqual(index.stats(), { buckets: 16, longestChain: 4, grows: 0 });
   * ```
   */
  stats(): ChainedHashStats {
    const buckets = this.#buckets;
    let longestChain = 0;
    for (let i = 0; i < buckets.length; i++) {
      let length = 0;
      for (let node = buckets[i] ?? null; node !== null; node = node.next) {
        length++;
      }
      if (length > longestChain) longestChain = length;
    }
    return { buckets: buckets.length, longestChain, grows: this.#grows };
  }

  /**
   * Every stored breakpoint, bucket by bucket.
   *
   * @returns An iterator over the stored breakpoints.
   *
   * @example Usage
   * ```ts
   * import { createTaskBreakpoint } from "@hwbp/core";
   * import { ChainedHashTaskIndex } from "@hwbp/chained-hash";
   * import assert from "node:assert/strict";
   *
   * const index = new ChainedHashTaskIndex();
   * for (const task of [3, 1, 2]) {
   *   index.insert(createTaskBreakpoint({ task, cpu: -1, slot: 1, weight: 1 }));
   * }
   * assert.deepEqual([...index].map((bp) => bp.task).sort(), [1, 2, 3]);
   * ```
   */
  *[Symbol.iterator](): IterableIterator<TaskBreakpoint> {
    const buckets = this.#buckets;
    for (let i = 0; i < buckets.length; i++) {
      let node = buckets[i] ?? null;
      while (node !== null) {
        const next = node.next;
        yield node.bp;
        node = next;
      }
    }
  }

  /**
   * Doubles the bucket array and relinks every node into it in one go,
   * allocating no node. The mask gains one bit, so
   * old chain `i` splits between new buckets `i` and `i + oldCount`; each
   * half keeps its order, so chains stay newest first.
   */
  #grow(): void {
    const old = this.#buckets;
    const oldCount = old.length;
    if (oldCount >= MAX_BUCKETS) return;
    const buckets = emptyBuckets(oldCount * 2);
    for (let i = 0; i < oldCount; i++) {
      let lowHead: ChainNode | null = null;
      let lowTail: ChainNode | null = null;
      let highHead: ChainNode | null = null;
      let highTail: ChainNode | null = null;
      let node = old[i] ?? null;
      while (node !== null) {
        const next = node.next;
        node.next = null;
        if ((hashTask(getIndexKey(node.bp)) & oldCount) === 0) {
          if (lowTail === null) lowHead = node;
          else lowTail.next = node;
          lowTail = node;
        } else {
          if (highTail === null) highHead = node;
          else highTail.next = node;
          highTail = node;
        }
        node = next;
      }
      buckets[i] = lowHead;
      buckets[i + oldCount] = highHead;
    }
    this.#buckets = buckets;
    this.#mask = buckets.length - 1;
    this.#grows++;
  }
}
