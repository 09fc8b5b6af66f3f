/**
 * How `RhlTable` hashes and compares its keys: the default seeded jhash
 * with its int32 fast path, or the `hash` and `equals` options (the
 * kernel's `hashfn` and `obj_cmpfn` params). Private to this package.
 *
 * @module
 */

import { jhashInt32 } from "./_jhash.ts";
import { show } from "./_options.ts";
import type { RhlTableWork } from "./rhl_table_types.ts";
import { type HashableKey, hashKey } from "./hash_key.ts";

/** The memo's key before any hash: no caller can pass this symbol. */
const EMPTY = Symbol("no key");

/**
 * One table's key hashing and equality. One class for every table, so that
 * the table's call sites see one shape whatever its key type.
 */
export class KeyOps<K> {
  readonly #hash: ((key: K, seed: number) => number) | null;
  readonly #equals: ((a: K, b: K) => boolean) | null;
  readonly #work: RhlTableWork;
  // A one-entry memo of the default hash: the engine looks the same task
  // up several times in a row (once per CPU it checks, then to insert or
  // remove), each time with the same table seed.
  #memoKey: unknown = EMPTY;
  #memoSeed = 0;
  #memoHash = 0;

  constructor(
    hash: ((key: K, seed: number) => number) | null,
    equals: ((a: K, b: K) => boolean) | null,
    work: RhlTableWork,
  ) {
    this.#hash = hash;
    this.#equals = equals;
    this.#work = work;
  }

  /**
   * The 32-bit hash of `key` under a table's `seed`, counted in
   * `work.hashes` unless the memo answers.
   *
   * @throws {TypeError} If the key cannot be hashed, or a custom hash
   * returns something other than a number.
   */
  hash(key: K, seed: number): number {
    if (this.#hash !== null) return this.#custom(key, seed);
    if (key === this.#memoKey && seed === this.#memoSeed) {
      return this.#memoHash;
    }
    this.#work.hashes++;
    // Int32 numbers (task ids: nearly every key the table sees) skip
    // hashKey()'s dispatch on the key's type and go straight to
    // jhash_1word(), the function hashKey() would pick.
    const h = typeof key === "number" && (key | 0) === key
      ? jhashInt32(key, seed)
      : hashKey(key as HashableKey, seed);
    this.#memoKey = key;
    this.#memoSeed = seed;
    this.#memoHash = h;
    return h;
  }

  /** Key equality: the custom one, or SameValueZero. */
  same(a: K, b: K): boolean {
    const equals = this.#equals;
    if (equals === null) return a === b || (a !== a && b !== b);
    return equals(a, b);
  }

  #custom(key: K, seed: number): number {
    this.#work.hashes++;
    const h = this.#hash!(key, seed);
    if (typeof h !== "number") {
      throw new TypeError(
        `Cannot hash key ${show(key)}: the hash option returned ${
          show(h)
        }, not a number`,
      );
    }
    return h;
  }
}
