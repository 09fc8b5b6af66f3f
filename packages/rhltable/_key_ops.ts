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

/**
 * One table's key hashing and equality. One class for every table, so that
 * the table's call sites see one shape whatever its key type.
 */
export class KeyOps<K> {
  /** No `hash` option: int32 keys may be hashed with jhash_1word() directly. */
  readonly int32: boolean;
  readonly #hash: ((key: K, seed: number) => number) | null;
  readonly #equals: ((a: K, b: K) => boolean) | null;
  readonly #work: RhlTableWork;
  constructor(
    hash: ((key: K, seed: number) => number) | null,
    equals: ((a: K, b: K) => boolean) | null,
    work: RhlTableWork,
  ) {
    this.#hash = hash;
    this.int32 = hash === null;
    this.#equals = equals;
    this.#work = work;
  }

  /**
   * The 32-bit hash of `key` under a table's `seed`, counted in
   * `work.hashes`. (A one-entry memo of the last key's hash was measured
   * here, for the engine's repeated lookups of one task: it cost more on
   * misses than it saved on hits. The task index's table keeps one per
   * bucket table instead, see `TaskBuckets.hash()`, where it pays.)
   *
   * @throws {TypeError} If the key cannot be hashed, or a custom hash
   * returns something other than a number.
   */
  hash(key: K, seed: number): number {
    // Int32 numbers (task ids: nearly every key the table sees) skip
    // hashKey()'s dispatch on the key's type. Everything else goes out of
    // line, so that this stays small enough to inline into the table's
    // insert, remove and migration.
    if (this.int32 && typeof key === "number" && (key | 0) === key) {
      this.#work.hashes++;
      return jhashInt32(key, seed);
    }
    return this.#slowHash(key, seed);
  }

  /** `hash()` of a key that is not an int32, or under a custom hash. */
  #slowHash(key: K, seed: number): number {
    if (this.#hash !== null) return this.#custom(key, seed);
    this.#work.hashes++;
    return hashKey(key as HashableKey, seed);
  }

  /** Counts a hash computed elsewhere (an int32 key's jhash_1word()). */
  countHash(): void {
    this.#work.hashes++;
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
