/**
 * The seeded default hash of `RhlTable`: Bob Jenkins' lookup3 mixing, the
 * function the kernel's `jhash()` family implements, applied to the 32-bit
 * words of a number, a string or a bigint.
 *
 * @module
 */

import { avalanche, hashWords, INIT, jhashInt32, rotl } from "./_jhash.ts";

/** Keys {@linkcode hashKey} can hash without help. */
export type HashableKey = number | string | bigint;

// One scratch word pair, shared by every call, reads the bits of a float64
// or an int64 bigint without allocating.
const scratch = new ArrayBuffer(8);
const scratchF64 = new Float64Array(scratch);
const scratchI64 = new BigInt64Array(scratch);
const scratchU32 = new Uint32Array(scratch);

function hashNumber(x: number, seed: number): number {
  // Int32 values, the common case, take one word. `-0 | 0` is `0`, so -0
  // and +0 hash alike, as SameValueZero wants.
  if ((x | 0) === x) return jhashInt32(x, seed);
  // All NaNs are one key under SameValueZero, whatever their payload bits:
  // hash them as the canonical quiet NaN.
  if (x !== x) return hashWords(0, 0x7ff80000, 0, 2, seed);
  // Beyond 32 bits (or not an integer): both halves of the IEEE-754 bits.
  scratchF64[0] = x;
  return hashWords(scratchU32[0]!, scratchU32[1]!, 0, 2, seed);
}

function hashString(s: string, seed: number): number {
  const length = s.length;
  let a = (INIT + (length << 1) + seed) | 0;
  let b = a;
  let c = a;
  // Two UTF-16 code units make a word, so a round of three words eats six
  // units. `charCodeAt()` past the end gives NaN, and `NaN | 0` is 0, which
  // zero-pads the last round the way jhash's tail switch does.
  let i = 0;
  for (; length - i > 6; i += 6) {
    a = (a + (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16))) | 0;
    b = (b + (s.charCodeAt(i + 2) | (s.charCodeAt(i + 3) << 16))) | 0;
    c = (c + (s.charCodeAt(i + 4) | (s.charCodeAt(i + 5) << 16))) | 0;
    // lookup3's reversible mix between rounds.
    a = (a - c) | 0;
    a ^= rotl(c, 4);
    c = (c + b) | 0;
    b = (b - a) | 0;
    b ^= rotl(a, 6);
    a = (a + c) | 0;
    c = (c - b) | 0;
    c ^= rotl(b, 8);
    b = (b + a) | 0;
    a = (a - c) | 0;
    a ^= rotl(c, 16);
    c = (c + b) | 0;
    b = (b - a) | 0;
    b ^= rotl(a, 19);
    a = (a + c) | 0;
    c = (c - b) | 0;
    c ^= rotl(b, 4);
    b = (b + a) | 0;
  }
  // As in jhash, the empty key skips the final mix.
  if (length === 0) return c;
  a = (a + (s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16))) | 0;
  b = (b + (s.charCodeAt(i + 2) | (s.charCodeAt(i + 3) << 16))) | 0;
  c = (c + (s.charCodeAt(i + 4) | (s.charCodeAt(i + 5) << 16))) | 0;
  return avalanche(a, b, c);
}

function hashBigInt(x: bigint, seed: number): number {
  // Storing into a BigInt64Array wraps modulo 2^64, so the low 64 bits
  // come out as two words with no intermediate bigint.
  scratchI64[0] = x;
  let h = hashWords(scratchU32[0]!, scratchU32[1]!, 0, 2, seed);
  if (BigInt.asIntN(64, x) === x) return h;
  // Wider values fold in 64 bits at a time until only the sign is left.
  // These allocate bigints: V8 offers no allocation-free word access.
  let rest = x >> 64n;
  do {
    scratchI64[0] = rest;
    h = hashWords(scratchU32[0]!, scratchU32[1]!, h, 3, seed);
    rest >>= 64n;
  } while (rest !== 0n && rest !== -1n);
  return h;
}

/**
 * Names a value's type for error messages: `typeof`, except that `null`
 * says `null`.
 */
function typeName(value: unknown): string {
  return value === null ? "null" : typeof value;
}

/**
 * Hashes a number, string or bigint key with a 32-bit seed, the way
 * `RhlTable` places keys when no `hash` option is given. Keys equal under
 * SameValueZero hash alike: `-0` and `0`, and every `NaN`. Int32 numbers
 * take one lookup3 word; other numbers hash both 32-bit halves of their
 * float64 bits; strings hash their UTF-16 code units; bigints hash their
 * two's-complement 64-bit words.
 *
 * Use it to build a custom `hash` option out of key parts.
 *
 * @param key The key to hash.
 * @param seed The seed, used modulo 2^32. Each bucket table of an
 * `RhlTable` has its own.
 * @returns An unsigned 32-bit hash.
 * @throws {TypeError} If the key is not a number, a string or a bigint.
 *
 * @example Same key and seed, same hash; another seed, another hash
 * ```ts
 * import { hashKey } from "@hwbp/rhltable";
 * import assert from "node:assert/strict";
 *
 * assert.equal(hashKey("task-7", 1), hashKey("task-7", 1));
 * assert.notEqual(hashKey("task-7", 1), hashKey("task-7", 2));
 * assert.equal(hashKey(-0, 9), hashKey(0, 9));
 * assert.ok(Number.isInteger(hashKey(2n ** 100n, 9)));
 * ```
 */
export function hashKey(key: HashableKey, seed: number): number {
  switch (typeof key) {
    case "number":
      return hashNumber(key, seed) >>> 0;
    case "string":
      return hashString(key, seed) >>> 0;
    case "bigint":
      return hashBigInt(key, seed) >>> 0;
    default:
      throw new TypeError(
        `Cannot hash key: type "${
          typeName(key)
        }" has no default hash, pass a "hash" option`,
      );
  }
}
