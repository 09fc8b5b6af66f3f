// The accounting of Linux v5.19 and earlier, before the 2022 series: per-CPU
// counters only, and every decision loops over the target CPUs asking the
// index for the task's usage on each. With the global list index that is
// O(#cpus × #task breakpoints) per operation: the 236-second baseline.
import { Accounting, type AccountingState } from "./_accounting.ts";
import type { Breakpoint } from "./_breakpoint.ts";
import { histogramAdd, histogramMax } from "./_histogram.ts";
import type { SlotType } from "./task_index.ts";

export class LegacyAccounting extends Accounting {
  readonly hasCpuPinnedAll: boolean = false;
  readonly hasTskPinnedAll = false;

  maxPinnedSlots(bp: Breakpoint): number {
    return this.maxPinnedOnCpus(bp);
  }

  maxTaskPinned(cpu: number, slot: SlotType): number {
    const slots = this.slots[slot]!;
    return histogramMax(this.tskPinned[slot]!, cpu * slots, slots, this.work);
  }

  enable(bp: Breakpoint): void {
    if (this.taskOf(bp) === null) {
      this.toggleCpuPinned(bp, this.weightOf(bp));
      return;
    }
    this.#toggleTaskPinned(bp, this.weightOf(bp), 0);
    try {
      this.insertTask(bp);
    } catch (error) {
      this.#toggleTaskPinned(bp, -this.weightOf(bp), this.weightOf(bp));
      throw error;
    }
  }

  disable(bp: Breakpoint): void {
    if (this.taskOf(bp) === null) {
      this.toggleCpuPinned(bp, -this.weightOf(bp));
      return;
    }
    // As v5.19's toggle_bp_slot(): count while bp is still listed (so the
    // count includes it), then unlink it.
    this.#toggleTaskPinned(bp, -this.weightOf(bp), 0);
    this.removeTask(bp);
  }

  globalInUse(): boolean {
    return false;
  }

  globalState(): Pick<AccountingState, "cpuPinnedAll" | "tskPinnedAll"> {
    return { cpuPinnedAll: [], tskPinnedAll: [] };
  }

  /** The CPU-pinned half of `toggle_bp_slot()`. */
  toggleCpuPinned(bp: Breakpoint, delta: number): void {
    this.cpuPinned[this.slotOf(bp)]![this.cpuOf(bp)]! += delta;
  }

  /**
   * `toggle_bp_task_slot()` on every CPU bp runs on. `unlisted` is the
   * weight of bp's own usage the index cannot see: 0 when enabling or when
   * bp is still listed, bp.weight when undoing an enable it never reached.
   */
  #toggleTaskPinned(bp: Breakpoint, delta: number, unlisted: number): void {
    const t = this.slotOf(bp);
    const slots = this.slots[t]!;
    const task = this.taskOf(bp)!;
    const tskPinned = this.tskPinned[t]!;
    const work = this.work;
    const first = this.cpuOf(bp) < 0 ? 0 : this.cpuOf(bp);
    const last = this.cpuOf(bp) < 0 ? this.cpus - 1 : this.cpuOf(bp);
    work.cpuLoopIterations += last - first + 1;
    for (let cpu = first; cpu <= last; cpu++) {
      const old = this.taskPinned(task, cpu, t) + unlisted;
      histogramAdd(tskPinned, cpu * slots, old, delta, work);
    }
  }
}
