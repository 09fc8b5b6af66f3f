/**
 * The accounting algorithms the engine can run, one per stage of the
 * kernel's 2022 series "perf/hw_breakpoint: Optimize for thousands of
 * tasks".
 *
 * @module
 */

/**
 * Which of the kernel's accounting algorithms to run:
 * - `"legacy"`: Linux v5.19 and earlier (and the series through patch 12):
 *   every reserve and toggle of a task breakpoint loops over its target CPUs
 *   and asks the index for the task's usage on each;
 * - `"reserve-fastpath"`: patch 13 alone: a global histogram of CPU-pinned
 *   usage lets `max_bp_pinned_slots()` skip the CPU loop for a task whose
 *   breakpoints all target every CPU, but `toggle_bp_slot()` still loops;
 * - `"current"`: Linux v6.1 and later (patch 14): per-CPU and global slot
 *   histograms, and the CPU-independent fast paths of both
 *   `max_bp_pinned_slots()` and `toggle_bp_slot()`.
 *
 * All three give identical answers for any sequence of operations; they
 * differ in the work they do.
 *
 * @example Usage
 * ```ts
 * import { type AccountingStrategy, BreakpointConstraints } from "@hwbp/core";
 * import { ListTaskIndex } from "@hwbp/list";
 * import assert from "node:assert/strict";
 *
 * const strategy: AccountingStrategy = "reserve-fastpath";
 * const hw = new BreakpointConstraints({ cpus: 4, slots: 4, index: new ListTaskIndex(), strategy });
 * assert.equal(hw.strategy, "reserve-fastpath");
 * ```
 */
export type AccountingStrategy = "legacy" | "reserve-fastpath" | "current";

/**
 * Every {@linkcode AccountingStrategy}, oldest first.
 *
 * @example Usage
 * ```ts
 * import { ACCOUNTING_STRATEGIES } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(ACCOUNTING_STRATEGIES, ["legacy", "reserve-fastpath", "current"]);
 * ```
 */
export const ACCOUNTING_STRATEGIES: readonly AccountingStrategy[] = Object
  .freeze(["legacy", "reserve-fastpath", "current"]);
