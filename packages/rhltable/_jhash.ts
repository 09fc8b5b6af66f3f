/**
 * Bob Jenkins' lookup3 mixing, the functions behind the kernel's `jhash()`
 * family (`include/linux/jhash.h`), shared by {@linkcode hashKey} and the
 * number-key fast path of `RhlTable`. Private to this package.
 *
 * @module
 */

/** lookup3's arbitrary starting value, the kernel's `JHASH_INITVAL`. */
export const INIT = 0xdeadbeef | 0;

/** A 32-bit left rotation; V8 compiles it to one `ror`. */
export function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * lookup3's final avalanche of the state `(a, b, c)`, the kernel's
 * `__jhash_final()`: every input bit affects every output bit. Returns `c`
 * as an int32: the same 32 bits as the kernel's `u32`, read as signed. V8
 * keeps an int32 untagged, where a uint32 above 2^31 must be boxed, which
 * allocates, whenever it crosses a call V8 did not inline (measured: a
 * lookup of a new task allocated 16 bytes that way). The tables only ever
 * use a hash's low bits. The rotations are written out rather than calls to
 * {@linkcode rotl}: V8 charges an inlined function's callees against the
 * caller's inlining budget, and seven nested calls made every hash too big
 * to inline into the table's insert and remove.
 */
export function avalanche(a: number, b: number, c: number): number {
  c = ((c ^ b) - ((b << 14) | (b >>> 18))) | 0;
  a = ((a ^ c) - ((c << 11) | (c >>> 21))) | 0;
  b = ((b ^ a) - ((a << 25) | (a >>> 7))) | 0;
  c = ((c ^ b) - ((b << 16) | (b >>> 16))) | 0;
  a = ((a ^ c) - ((c << 4) | (c >>> 28))) | 0;
  b = ((b ^ a) - ((a << 14) | (a >>> 18))) | 0;
  c = ((c ^ b) - ((b << 24) | (b >>> 8))) | 0;
  return c;
}

/**
 * Hashes up to three 32-bit words, like the kernel's `jhash_1word()` to
 * `jhash_3words()`: the word count goes into the start value so that
 * `(x)` and `(x, 0)` differ. An int32, as {@linkcode avalanche}.
 */
export function hashWords(
  a: number,
  b: number,
  c: number,
  words: number,
  seed: number,
): number {
  const start = (INIT + (words << 2) + seed) | 0;
  return avalanche((a + start) | 0, (b + start) | 0, (c + start) | 0);
}

/**
 * The kernel's `jhash_1word(x, seed)` of an int32 `x`: exactly
 * `hashWords(x, 0, 0, 1, seed)`, and so the bits `hashKey(x, seed)` gives
 * an int32 number (as an int32), without `hashKey()`'s type dispatch. It is the
 * hash of nearly every key `RhlTable` sees (task ids), so it is spelled out
 * here, where V8 inlines it whole into the table's lookups.
 */
export function jhashInt32(x: number, seed: number): number {
  // __jhash_nwords(x, 0, 0, JHASH_INITVAL + (1 << 2) + seed): b and c
  // start equal, and a is the word plus that start.
  const start = (INIT + 4 + seed) | 0;
  return avalanche((x + start) | 0, start, start);
}
