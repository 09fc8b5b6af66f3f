/**
 * The stream of per-table hash seeds of `RhlTable`, the kernel's
 * `hash_rnd = get_random_u32()` in `bucket_table_alloc()`, made
 * reproducible: every seed a table ever uses (its first table's, each
 * resize's, each flood rehash's, each `clear()`'s) comes from this stream,
 * and the stream comes from the table's `seed` option. Private to this
 * package.
 *
 * @module
 */

/**
 * A Weyl sequence through murmur3's 32-bit finalizer: a cheap, well-mixed
 * stream of 32-bit seeds, fully determined by its start.
 */
export class SeedStream {
  #state: number;

  constructor(start: number) {
    this.#state = start >>> 0;
  }

  /** The next seed, an unsigned 32-bit integer. */
  next(): number {
    const state = (this.#state + 0x9e3779b9) | 0;
    this.#state = state >>> 0;
    let z = Math.imul(state ^ (state >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  }
}
