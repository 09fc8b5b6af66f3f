/**
 * The storage of the task index's table (`_task_table.ts`): bucket arrays
 * and key nodes held in typed arrays, where `RhlTable` keeps an object per
 * node and an array of pointers per table. The kernel embeds each node in
 * the object it links, so a lookup touches the bucket and the nodes of its
 * chain and nothing else; here a node is a number, an index into the
 * {@linkcode TaskSlab}, and a bucket array is an `Int32Array` of them. The
 * garbage collector sees none of it but the array of each key's newest
 * value, and a million tasks fit in 20 MB rather than 70. Private to this
 * package.
 *
 * @module
 */

import { hashKey } from "./hash_key.ts";
import { jhashInt32 } from "./_jhash.ts";

/** The node index that means "none": an empty bucket, a chain's end. */
export const NO_NODE = 0;

/** Key nodes the slab first has room for. */
const FIRST_CAPACITY = 64;

/**
 * jhash_1word() of an int32 task id, as `hashKey()` hashes it; a wider one
 * (task ids go up to 2^53 − 1) hashes as `hashKey()` does, out of line.
 * The bits of `hashKey()`'s result, as an int32 (see `avalanche()`).
 */
export function hashTask(task: number, seed: number): number {
  return (task | 0) === task ? jhashInt32(task, seed) : hashWide(task, seed);
}

function hashWide(task: number, seed: number): number {
  return hashKey(task, seed) | 0;
}

/**
 * The key nodes of every bucket table of one index: node `n` is task
 * `keys[n]`, its newest value `heads[n]`, and the next key node of its
 * chain `chain[n]` (or, for a free node, the next free one). Node 0 is
 * never used, so that 0 can mean "none". Freed nodes are reused newest
 * first; the slab keeps its largest size, as a kernel slab cache keeps its
 * pages.
 */
export class TaskSlab<V> {
  /** Each node's task id: doubles, exact for every task id up to 2^53. */
  keys: Float64Array = new Float64Array(FIRST_CAPACITY);
  /** Each node's successor in its chain, or in the free list. */
  chain: Int32Array = new Int32Array(FIRST_CAPACITY);
  /** Each node's newest value, `null` for a free node. */
  readonly heads: (V | null)[] = new Array<V | null>(FIRST_CAPACITY).fill(
    null,
  );
  /** The first free node, or {@linkcode NO_NODE}. */
  #free = NO_NODE;
  /** Nodes below this have been handed out at least once. */
  #top = 1;

  /** Nodes the slab has room for (node 0 included). */
  get capacity(): number {
    return this.keys.length;
  }

  /** A node for `key`, holding `value`, followed by `next` in its chain. */
  take(key: number, value: V, next: number): number {
    let n = this.#free;
    if (n !== NO_NODE) {
      this.#free = this.chain[n]!;
    } else {
      n = this.#top;
      if (n === this.keys.length) this.#grow();
      this.#top = n + 1;
    }
    this.keys[n] = key;
    this.chain[n] = next;
    this.heads[n] = value;
    return n;
  }

  /** Returns node `n`, already out of its chain, to the free list. */
  give(n: number): void {
    this.heads[n] = null;
    this.chain[n] = this.#free;
    this.#free = n;
  }

  /** Doubles the room for nodes. Out of line: it runs log(n) times. */
  #grow(): void {
    const capacity = this.keys.length * 2;
    const keys = new Float64Array(capacity);
    keys.set(this.keys);
    const chain = new Int32Array(capacity);
    chain.set(this.chain);
    this.keys = keys;
    this.chain = chain;
    for (let n = this.heads.length; n < capacity; n++) this.heads.push(null);
  }
}

/**
 * One bucket array of the task index's table, the kernel's
 * `struct bucket_table`: `size` buckets, each the first key node of its
 * chain, under its own hash seed.
 */
export class TaskBuckets {
  /** Each bucket's first key node, or {@linkcode NO_NODE}. */
  readonly slots: Int32Array;
  readonly size: number;
  readonly mask: number;
  /** The table's hash seed (the kernel's `hash_rnd`). */
  readonly seed: number;
  /** Below this many keys the table shrinks (`rht_shrink_below_30()`). */
  readonly shrinkBelow: number;
  /** Buckets below this have moved to the next table (`rehash`). */
  rehash = 0;
  /** Always 1: one array, never paged. For `RhlTableStats`. */
  readonly arrays = 1;
  /**
   * The last task {@linkcode hash} hashed, and its hash: the engine asks
   * for one task several times in a row (two lookups and an insert per
   * reserve, a remove and a lookup per release), and the hash is a pure
   * function of the task and this table's seed. The hash is an int32 (see
   * `avalanche()`): stored here as a uint32 above 2^31, it was boxed, a
   * heap number for every new task.
   */
  #lastKey = NaN;
  #lastHash = 0;

  constructor(size: number, seed: number) {
    // A fresh Int32Array reads as zeros, every bucket empty, and costs no
    // fill: a grow to 2^21 buckets allocates 8 MB and touches none of it.
    this.slots = new Int32Array(size);
    this.size = size;
    this.mask = size - 1;
    this.seed = seed;
    this.shrinkBelow = Math.floor(size * 3 / 10);
  }

  /** {@linkcode hashTask} of `task` under this table's seed, remembered. */
  hash(task: number): number {
    if (task === this.#lastKey) return this.#lastHash;
    const h = hashTask(task, this.seed);
    this.#lastKey = task;
    this.#lastHash = h;
    return h;
  }

  /** Most key nodes in one bucket at or after bucket `from`. */
  longestChain(from: number, chain: Int32Array): number {
    let longest = 0;
    for (let i = from; i < this.size; i++) {
      let length = 0;
      for (let n = this.slots[i]!; n !== NO_NODE; n = chain[n]!) length++;
      if (length > longest) longest = length;
    }
    return longest;
  }
}
