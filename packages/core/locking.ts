/**
 * What serialises the slot accounting, after the kernel's
 * `bp_constraints_lock()` in `kernel/events/hw_breakpoint.c`.
 *
 * @module
 */

/**
 * The locking discipline around the accounting:
 * - `"mutex"`: one global mutex, `nr_bp_mutex`, around every reserve,
 *   release and modify (Linux v5.19 and earlier, and the 2022 series
 *   through patch 10);
 * - `"rwsem"`: `bp_constraints_lock()` (patch 11 on, Linux v6.1+): a
 *   task-bound breakpoint takes its task's `perf_event_mutex`, then the read
 *   side of the percpu-rwsem `bp_cpuinfo_sem`; a CPU-pinned one takes the
 *   write side. Reserves of different tasks proceed in parallel; a
 *   CPU-pinned reserve excludes everyone.
 *
 * @example Usage
 * ```ts
 * import { BreakpointConstraints, type LockingDiscipline } from "@hwbp/core";
 * import { ListTaskIndex } from "@hwbp/list";
 * import assert from "node:assert/strict";
 *
 * const locking: LockingDiscipline = "mutex";
 * const hw = new BreakpointConstraints({ cpus: 2, slots: 4, index: new ListTaskIndex(), locking });
 * assert.deepEqual(hw.locksFor(7), [{ lock: "nr_bp_mutex", mode: "exclusive" }]);
 * ```
 */
export type LockingDiscipline = "mutex" | "rwsem";

/**
 * Every {@linkcode LockingDiscipline}, oldest first.
 *
 * @example Usage
 * ```ts
 * import { LOCKING_DISCIPLINES } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(LOCKING_DISCIPLINES, ["mutex", "rwsem"]);
 * ```
 */
export const LOCKING_DISCIPLINES: readonly LockingDiscipline[] = Object
  .freeze(["mutex", "rwsem"]);

/**
 * One lock the accounting takes, as `bp_constraints_lock()` takes it:
 * - `nr_bp_mutex`, exclusive (the `"mutex"` discipline);
 * - the `perf_event_mutex` of `task`, exclusive (`"rwsem"`, task-bound);
 * - `bp_cpuinfo_sem`, read side for a task-bound breakpoint, write side for a
 *   CPU-pinned one (`"rwsem"`).
 *
 * @example Usage
 * ```ts
 * import { BreakpointConstraints, type ConstraintLockStep } from "@hwbp/core";
 * import { ListTaskIndex } from "@hwbp/list";
 * import assert from "node:assert/strict";
 *
 * const hw = new BreakpointConstraints({ cpus: 2, slots: 4, index: new ListTaskIndex() });
 * const expected: ConstraintLockStep[] = [
 *   { lock: "perf_event_mutex", task: 7, mode: "exclusive" },
 *   { lock: "bp_cpuinfo_sem", mode: "read" },
 * ];
 * assert.deepEqual(hw.locksFor(7), expected);
 * ```
 */
export type ConstraintLockStep =
  | { readonly lock: "nr_bp_mutex"; readonly mode: "exclusive" }
  | {
    readonly lock: "perf_event_mutex";
    readonly task: number;
    readonly mode: "exclusive";
  }
  | { readonly lock: "bp_cpuinfo_sem"; readonly mode: "read" | "write" };

/**
 * The locks `BreakpointConstraints.lock()` took, held until
 * {@linkcode ConstraintLockGuard.unlock} (`bp_constraints_unlock()`).
 *
 * @example Usage
 * ```ts
 * import { BreakpointConstraints, type ConstraintLockGuard } from "@hwbp/core";
 * import { ListTaskIndex } from "@hwbp/list";
 * import assert from "node:assert/strict";
 *
 * const hw = new BreakpointConstraints({ cpus: 2, slots: 4, index: new ListTaskIndex() });
 * const guard: ConstraintLockGuard = hw.lock(null); // bp_cpuinfo_sem, write side
 * assert.equal(guard.held, true);
 * assert.equal(hw.isLocked(), true);
 * guard.unlock();
 * assert.equal(hw.isLocked(), false);
 * ```
 */
export interface ConstraintLockGuard {
  /** The task the locks were taken for, or `null` for a CPU-pinned one. */
  readonly task: number | null;
  /** The locks taken, in acquisition order. */
  readonly locks: readonly ConstraintLockStep[];
  /** Whether the locks are still held. */
  readonly held: boolean;
  /**
   * Releases the locks, in reverse order. A guard unlocks once: a second
   * call throws a `ConstraintError` with code `EINVAL`, as unlocking a free
   * mutex is a bug the kernel's lock debugging reports.
   */
  unlock(): void;
}
