/**
 * The sizing rules of `RhlTable`: the kernel's size constants and
 * thresholds (`lib/rhashtable.c`, `include/linux/rhashtable.h`), the
 * migration step, and the targets of grows, shrinks and flood rehashes.
 * Pure functions of sizes and key counts. Private to this package.
 *
 * @module
 */

/** The kernel's `HASH_DEFAULT_SIZE`. */
export const DEFAULT_SIZE = 64;
/** The kernel's `HASH_MIN_SIZE`. */
export const MIN_SIZE = 4;
/** Largest bucket array we allocate: V8 caps arrays near 2^28 elements. */
export const MAX_BUCKETS = 2 ** 27;
/** The kernel's cap on `nelems` when no `max_size` is given. */
export const MAX_KEYS = 2 ** 31;
/**
 * The kernel's `RHT_ELASTICITY`: a new key meeting a chain of this many
 * keys makes the table rehash with a fresh seed.
 */
export const ELASTICITY = 16;

/**
 * Old-table buckets each insert or remove migrates while a resize runs.
 *
 * Why 16 is enough, and why 16 rather than less. Let a migration go from an
 * S-bucket table to a T-bucket one, attached when the table holds n keys.
 * Every insert and remove starts with a step of B = 16 buckets, so the step
 * of the m-th call after the attaching one, m = ⌈S/B⌉, ends it; before
 * that, m − 1 calls add at most one key each. The new table needs to grow
 * once it holds more than ⌊3T/4⌋ keys, so the old one is always finished
 * first when
 *
 *     n + ⌈S/B⌉ − 1 ≤ ⌊3T/4⌋,   or T = maxSize (it never needs to grow).   (H)
 *
 * - Grow (T = 2S): no migration runs between resizes, and every insert
 *   that adds a key while none runs checks the 75% threshold, so a grow
 *   starts at exactly n = 3S/4 + 1 (a table holds at least 4 buckets).
 *   Then (H) reads 3S/4 + ⌈S/B⌉ ≤ 3S/2, true for any B ≥ 2.
 * - Flood rehash: attached in the middle of an insert, so n counts the key
 *   being inserted. It keeps the size only when (H) holds for T = S and
 *   doubles otherwise; with n ≤ 3S/4 + 1 before it, T = 2S satisfies (H)
 *   as for a grow.
 * - Shrink: the kernel's target is T = roundup_pow2(⌊3n/2⌋), at least
 *   minSize. A removal that takes the table across 30% leaves
 *   n = ⌊3S/10⌋ − 1. For S ≤ 16 one step moves everything (⌈S/B⌉ = 1),
 *   and (H) only asks n ≤ ⌊3T/4⌋, which T ≥ 3n/2 (or T ≥ 4 > n) grants.
 *   For S ≥ 32 the target is S/2, and (H) asks
 *   ⌊3S/10⌋ + S/B − 2 ≤ 3S/8: true at every size once B ≥ 40/3, false for
 *   large sizes below that. B = 16 is the smallest power of two that gives
 *   every such shrink exactly the kernel's size; with B = 4 a table of 1024
 *   buckets, shrunk to 512 at 60% load, could pass 75% long before its 256
 *   migration steps end. A shrink that starts further below 30% (when a
 *   migration completes, or in a table that only ever had a few keys) may
 *   find the kernel's target too small for (H); then the target doubles
 *   until (H) holds. If that reaches S, nothing shrinks; otherwise it is at
 *   most S/2, and the check at the end of that migration shrinks again.
 *
 * So no resize ever waits for another: while one runs, the new table stays
 * at or under 75% load (above it only at maxSize), and every lookup walks
 * at most two short chains.
 */
export const MIGRATE_BUCKETS_PER_OP = 16;

/** The smallest power of two at or above `x` (1 for `x` ≤ 1). */
export function roundUpPow2(x: number): number {
  let p = 1;
  while (p < x) p *= 2;
  return p;
}

/** The largest power of two at or below `x` (1 for `x` < 2). */
export function roundDownPow2(x: number): number {
  let p = 1;
  while (p * 2 <= x) p *= 2;
  return p;
}

/** The number of steps that migrate a table of `size` buckets. */
function migrationSteps(size: number): number {
  return Math.ceil(size / MIGRATE_BUCKETS_PER_OP);
}

/**
 * Whether a table of `size` buckets holds `keys` keys without growing: the
 * negation of the kernel's `rht_grow_above_75()`.
 */
export function fits(keys: number, size: number): boolean {
  return keys <= (size >>> 2) * 3;
}

/**
 * The first table's bucket count, as `rhashtable_init()` picks it:
 * roundup_pow2(hint × 4/3) for a hint above 0, else 64; never below
 * `minSize` nor above `maxSize`.
 */
export function initialSize(
  hint: number,
  minSize: number,
  maxSize: number,
): number {
  const size = hint > 0 ? roundUpPow2(Math.floor(hint * 4 / 3)) : DEFAULT_SIZE;
  return Math.min(Math.max(size, minSize), maxSize);
}

/**
 * The size of a shrink from `size` buckets holding `keys` keys
 * (`rht_shrink_below_30()` and `rhashtable_shrink()`), or 0 when none is
 * due. The kernel's target is roundup_pow2(keys × 3/2), at least
 * `minSize`; it doubles until rule (H) of `MIGRATE_BUCKETS_PER_OP` holds,
 * which only a shrink that starts well below 30% load ever needs.
 */
export function shrinkTarget(
  keys: number,
  size: number,
  minSize: number,
  maxSize: number,
): number {
  if (keys >= Math.floor(size * 3 / 10) || size <= minSize) return 0;
  let target = keys === 0 ? 0 : roundUpPow2(Math.floor(keys * 3 / 2));
  if (target < minSize) target = minSize;
  const busiest = keys + migrationSteps(size) - 1;
  while (target < size && target < maxSize && !fits(busiest, target)) {
    target *= 2;
  }
  return target < size ? target : 0;
}

/**
 * The size of a flood rehash of a table of `size` buckets that will hold
 * `keys` keys with the one being inserted: the same size, unless rule (H)
 * of `MIGRATE_BUCKETS_PER_OP` asks for room, then twice it (within
 * `maxSize`).
 */
export function floodTarget(
  keys: number,
  size: number,
  maxSize: number,
): number {
  if (fits(keys + migrationSteps(size) - 1, size) || size >= maxSize) {
    return size;
  }
  return size * 2;
}
