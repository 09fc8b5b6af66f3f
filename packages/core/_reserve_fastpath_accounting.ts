// The accounting after patch 13 of the 2022 series "perf/hw_breakpoint:
// Optimize for thousands of tasks" ("Optimize max_bp_pinned_slots() for
// CPU-independent task targets"), before patch 14: a global histogram of
// CPU-pinned usage lets `max_bp_pinned_slots()` answer a task breakpoint on
// every CPU without a CPU loop when the task's usage is the same on every
// CPU. `toggle_bp_slot()` is still v5.19's: it loops over the target CPUs,
// counting while bp is listed on release, and there is no `tsk_pinned_all`.
import type { AccountingState } from "./_accounting.ts";
import type { Breakpoint } from "./_breakpoint.ts";
import { histogramAdd, histogramAny, histogramMax } from "./_histogram.ts";
import { LegacyAccounting } from "./_legacy_accounting.ts";
import type { TaskIndex } from "./task_index.ts";

export class ReserveFastpathAccounting extends LegacyAccounting {
  override readonly hasCpuPinnedAll = true;
  /** Per pool: how many CPUs have n + 1 CPU-pinned slots in use. */
  readonly cpuPinnedAll: Int32Array[];

  constructor(cpus: number, slots: readonly number[], index: TaskIndex) {
    super(cpus, slots, index);
    this.cpuPinnedAll = slots.map((s) => new Int32Array(s));
  }

  override maxPinnedSlots(bp: Breakpoint): number {
    const task = this.taskOf(bp);
    if (task !== null && this.cpuOf(bp) < 0) {
      const t = this.slotOf(bp);
      const taskSlots = this.taskPinned(task, -1, t);
      // Fast path: the task's usage is the same on every CPU, so the
      // busiest CPU is the one with the most CPU-pinned slots.
      if (taskSlots >= 0) {
        return taskSlots +
          histogramMax(this.cpuPinnedAll[t]!, 0, this.slots[t]!, this.work);
      }
    }
    return this.maxPinnedOnCpus(bp);
  }

  override toggleCpuPinned(bp: Breakpoint, delta: number): void {
    const cpuPinned = this.cpuPinned[this.slotOf(bp)]!;
    histogramAdd(
      this.cpuPinnedAll[this.slotOf(bp)]!,
      0,
      cpuPinned[this.cpuOf(bp)]!,
      delta,
      this.work,
    );
    cpuPinned[this.cpuOf(bp)]! += delta;
  }

  override globalInUse(): boolean {
    for (let t = 0; t < this.slots.length; t++) {
      if (histogramAny(this.cpuPinnedAll[t]!, 0, this.slots[t]!)) return true;
    }
    return false;
  }

  override globalState(): Pick<
    AccountingState,
    "cpuPinnedAll" | "tskPinnedAll"
  > {
    return {
      cpuPinnedAll: this.cpuPinnedAll.map((h) => Array.from(h)),
      tskPinnedAll: [],
    };
  }
}
