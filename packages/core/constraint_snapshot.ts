/**
 * What `BreakpointConstraints.snapshot()` returns.
 *
 * @module
 */

/**
 * A copy of every counter of a `BreakpointConstraints`, as plain
 * arrays indexed `[pool][cpu]` (and `[slots - 1]` inside a histogram). Pool 0
 * is the instruction (or shared) pool, pool 1 the data pool. A strategy
 * without a global histogram returns an empty array for it: `"legacy"` keeps
 * neither, `"reserve-fastpath"` only `cpuPinnedAll`.
 *
 * @example Usage
 * ```ts
 * import { BreakpointConstraints } from "@hwbp/core";
 * import { ListTaskIndex } from "@hwbp/list";
 * import assert from "node:assert/strict";
 *
 * const hw = new BreakpointConstraints({ cpus: 2, slots: 4, sharedSlots: true, index: new ListTaskIndex() });
 * hw.reserve({ cpu: 1, type: "w" });
 * assert.deepEqual(hw.snapshot().cpuPinned, [[0, 1]]);
 * ```
 */
export interface ConstraintSnapshot {
  /** Live breakpoints, task-bound and CPU-pinned. */
  live: number;
  /** Task-bound breakpoints in the index. */
  taskBreakpoints: number;
  /** `[pool][cpu]`: slots taken by CPU-pinned breakpoints. */
  cpuPinned: number[][];
  /** `[pool][cpu][n]`: tasks using n + 1 slots on that CPU. */
  tskPinned: number[][][];
  /** `[pool][n]`: CPUs with n + 1 CPU-pinned slots in use. */
  cpuPinnedAll: number[][];
  /**
   * `[pool][n]`: CPU-independent tasks using n + 1 slots (`"current"` only;
   * elsewhere every task counts in `tskPinned`).
   */
  tskPinnedAll: number[][];
}
