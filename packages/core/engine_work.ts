/**
 * Deterministic work counters of the whole engine.
 *
 * @module
 */

/**
 * What the engine did since it was created or last reset, as integer
 * counts: cheap to keep, identical on every run, and so usable in tests and
 * cost models where clocks are not. Filled by
 * `BreakpointConstraints.readWork()`.
 *
 * @example Usage
 * ```ts
 * import { BreakpointConstraints, type EngineWork } from "@hwbp/core";
 * import { ListTaskIndex } from "@hwbp/list";
 * import assert from "node:assert/strict";
 *
 * const hw = new BreakpointConstraints({ cpus: 8, slots: 4, index: new ListTaskIndex(), strategy: "legacy" });
 * hw.reserve({ task: 1, type: "w" });
 * const work: EngineWork = hw.readWork();
 * assert.equal(work.calls, 1);
 * assert.equal(work.cpuLoopIterations, 16); // 8 to check the fit, 8 to toggle
 * assert.equal(work.inserts, 1);
 * ```
 */
export interface EngineWork {
  /**
   * Accounting calls: each `__reserve_bp_slot()` or `__release_bp_slot()`
   * the kernel would make, failed reserves included. A modify counts its
   * release and its reserve (and the reserve that rolls back a failed one).
   */
  calls: number;
  /**
   * Iterations of every loop over CPUs in the accounting: the slow path of
   * `max_bp_pinned_slots()`, the loops of `toggle_bp_slot()`, and the moves
   * of a task between the global and the per-CPU histograms.
   */
  cpuLoopIterations: number;
  /** Histogram cells read or written (`bp_slots_histogram_*()`). */
  histogramCells: number;
  /** Index lookups (`task_bp_pinned()` calls), from the index's counters. */
  lookups: number;
  /** Index entries examined, from the index's counters. */
  entriesVisited: number;
  /** Index buckets or list heads touched, from the index's counters. */
  bucketsTouched: number;
  /** Index insert calls. */
  inserts: number;
  /** Index remove calls. */
  removes: number;
}
