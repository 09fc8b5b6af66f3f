// Slot histograms, after the kernel's `struct bp_slots_histogram`: for a
// histogram `h` of a pool with S slots, `h[off + n]` counts the tasks (or
// CPUs) that use n + 1 slots. Several histograms share one Int32Array at
// different offsets so per-CPU histograms stay contiguous in memory.
//
// The accounting's helpers take the engine's work counters and add the
// cells they read or write; `histogramAny` serves only `isUsed()`, which is
// not accounting, and counts nothing.
import type { AccountingWork } from "./_work.ts";

/**
 * Moves one member from the bucket of `old` slots to the bucket of
 * `old + delta` slots (`bp_slots_histogram_add`). A count of zero has no
 * bucket, so moving from or to zero only touches one side.
 */
export function histogramAdd(
  hist: Int32Array,
  offset: number,
  old: number,
  delta: number,
  work: AccountingWork,
): void {
  const oldIndex = old - 1;
  const newIndex = oldIndex + delta;
  if (oldIndex >= 0) {
    hist[offset + oldIndex]!--;
    work.histogramCells++;
  }
  if (newIndex >= 0) {
    hist[offset + newIndex]!++;
    work.histogramCells++;
  }
}

/** The largest slot count with a member, or 0 (`bp_slots_histogram_max`). */
export function histogramMax(
  hist: Int32Array,
  offset: number,
  slots: number,
  work: AccountingWork,
): number {
  for (let i = slots - 1; i >= 0; i--) {
    if (hist[offset + i]! > 0) {
      work.histogramCells += slots - i;
      return i + 1;
    }
  }
  work.histogramCells += slots;
  return 0;
}

/**
 * The largest slot count with a member in either of two histograms, as if
 * they were one (`bp_slots_histogram_max_merge`). Each step reads one cell
 * of each.
 */
export function histogramMaxMerge(
  a: Int32Array,
  aOffset: number,
  b: Int32Array,
  bOffset: number,
  slots: number,
  work: AccountingWork,
): number {
  for (let i = slots - 1; i >= 0; i--) {
    if (a[aOffset + i]! + b[bOffset + i]! > 0) {
      work.histogramCells += 2 * (slots - i);
      return i + 1;
    }
  }
  work.histogramCells += 2 * slots;
  return 0;
}

/** Whether any bucket of the histogram has a member. */
export function histogramAny(
  hist: Int32Array,
  offset: number,
  slots: number,
): boolean {
  for (let i = 0; i < slots; i++) {
    if (hist[offset + i] !== 0) return true;
  }
  return false;
}
