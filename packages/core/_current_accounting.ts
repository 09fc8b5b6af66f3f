// The accounting of Linux v6.1 and later: the 2022 series "perf/hw_breakpoint:
// Optimize for thousands of tasks" added global histograms and
// CPU-independent fast paths on top of the per-CPU counters.
import { Accounting, type AccountingState } from "./_accounting.ts";
import type { Breakpoint } from "./_breakpoint.ts";
import {
  histogramAdd,
  histogramAny,
  histogramMax,
  histogramMaxMerge,
} from "./_histogram.ts";
import type { SlotType, TaskIndex } from "./task_index.ts";

export class CurrentAccounting extends Accounting {
  readonly hasCpuPinnedAll = true;
  readonly hasTskPinnedAll = true;
  /** Per pool: how many CPUs have n + 1 CPU-pinned slots in use. */
  readonly cpuPinnedAll: Int32Array[];
  /**
   * Per pool: how many tasks use n + 1 slots with breakpoints that all
   * target every CPU. Such tasks appear in no per-CPU histogram.
   */
  readonly tskPinnedAll: Int32Array[];

  constructor(cpus: number, slots: readonly number[], index: TaskIndex) {
    super(cpus, slots, index);
    this.cpuPinnedAll = slots.map((s) => new Int32Array(s));
    this.tskPinnedAll = slots.map((s) => new Int32Array(s));
  }

  maxPinnedSlots(bp: Breakpoint): number {
    const t = this.slotOf(bp);
    const slots = this.slots[t]!;
    const task = this.taskOf(bp);
    if (task !== null && this.cpuOf(bp) < 0) {
      const taskSlots = this.taskPinned(task, -1, t);
      // Fast path: the task's usage is the same on every CPU, so the
      // busiest CPU is the one with the most CPU-pinned slots.
      if (taskSlots >= 0) {
        return taskSlots +
          histogramMax(this.cpuPinnedAll[t]!, 0, slots, this.work);
      }
    }
    return this.maxPinnedOnCpus(bp);
  }

  maxTaskPinned(cpu: number, slot: SlotType): number {
    // Tasks whose breakpoints all target every CPU count on every CPU,
    // from the global histogram.
    const slots = this.slots[slot]!;
    return histogramMaxMerge(
      this.tskPinned[slot]!,
      cpu * slots,
      this.tskPinnedAll[slot]!,
      0,
      slots,
      this.work,
    );
  }

  /**
   * `__reserve_bp_slot()`, with the common case, a task breakpoint on
   * every CPU, read once and kept here: each read of a record's field is a
   * call into _breakpoint.ts (its fields are #private), and the general
   * path reads them again in each step. The steps, their order and their
   * work counts are those of the general path.
   */
  override reserve(bp: Breakpoint): number {
    const task = this.taskOf(bp);
    const cpu = this.cpuOf(bp);
    if (task === null || cpu >= 0) return super.reserve(bp);
    this.work.calls++;
    const t = this.slotOf(bp);
    const slots = this.slots[t]!;
    const weight = this.weightOf(bp);
    const taskSlots = this.taskPinned(task, -1, t);
    const pinned = taskSlots >= 0
      ? taskSlots + histogramMax(this.cpuPinnedAll[t]!, 0, slots, this.work)
      : this.maxPinnedOnCpus(bp);
    if (pinned + weight > slots) return pinned;
    this.#enableTask(bp, task, cpu, t, weight);
    return -1;
  }

  enable(bp: Breakpoint): void {
    const task = this.taskOf(bp);
    if (task === null) {
      this.#toggleCpuPinned(bp, this.weightOf(bp));
      return;
    }
    this.#enableTask(
      bp,
      task,
      this.cpuOf(bp),
      this.slotOf(bp),
      this.weightOf(bp),
    );
  }

  /** {@linkcode enable} of a task breakpoint, its fields read already. */
  #enableTask(
    bp: Breakpoint,
    task: number,
    cpu: number,
    t: SlotType,
    weight: number,
  ): void {
    this.#toggleTaskPinned(bp, task, cpu, t, weight, true);
    try {
      this.insertTask(bp);
    } catch (error) {
      // The index refused the breakpoint: it is still absent, exactly the
      // state the release path computes from, so that path undoes us.
      this.#toggleTaskPinned(bp, task, cpu, t, weight, false);
      throw error;
    }
  }

  disable(bp: Breakpoint): void {
    const task = this.taskOf(bp);
    if (task === null) {
      this.#toggleCpuPinned(bp, -this.weightOf(bp));
      return;
    }
    // Remove before updating histograms, so the count below tells whether
    // this was the task's last CPU-specific breakpoint.
    this.removeTask(bp);
    this.#toggleTaskPinned(
      bp,
      task,
      this.cpuOf(bp),
      this.slotOf(bp),
      this.weightOf(bp),
      false,
    );
  }

  globalInUse(): boolean {
    for (let t = 0; t < this.slots.length; t++) {
      const slots = this.slots[t]!;
      // A CPU-pinned slot in use shows in cpuPinned already; this histogram
      // is checked too, as the kernel does, to catch it drifting.
      if (histogramAny(this.cpuPinnedAll[t]!, 0, slots)) return true;
      if (histogramAny(this.tskPinnedAll[t]!, 0, slots)) return true;
    }
    return false;
  }

  globalState(): Pick<AccountingState, "cpuPinnedAll" | "tskPinnedAll"> {
    return {
      cpuPinnedAll: this.cpuPinnedAll.map((h) => Array.from(h)),
      tskPinnedAll: this.tskPinnedAll.map((h) => Array.from(h)),
    };
  }

  #toggleCpuPinned(bp: Breakpoint, delta: number): void {
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

  /**
   * Moves the task between histogram buckets. `bp` must not be in the
   * index: the counts below are the task's usage without it. Its fields
   * come as arguments, read once by the caller. Case 1, the common one,
   * stays here, small enough to inline; the others go out of line.
   */
  #toggleTaskPinned(
    bp: Breakpoint,
    task: number,
    cpu: number,
    t: SlotType,
    weight: number,
    enable: boolean,
  ): void {
    const others = this.taskPinned(task, -1, t);
    if (others < 0 || cpu >= 0) {
      this.#toggleOtherCases(bp, enable, others);
      return;
    }
    // Case 1: bp and all the task's other breakpoints target every CPU, so
    // the task lives in the global histogram only.
    histogramAdd(
      this.tskPinnedAll[t]!,
      0,
      enable ? others : others + weight,
      enable ? weight : -weight,
      this.work,
    );
  }

  /** Cases 2 and 3 of `#toggleTaskPinned()`, out of line: they are rare. */
  #toggleOtherCases(bp: Breakpoint, enable: boolean, others: number): void {
    if (others < 0) this.#toggleOnCpus(bp, enable);
    else this.#moveTask(bp, enable, others);
  }

  /**
   * Cases 2a and 2b: the task's first CPU-specific breakpoint arrives, or
   * its last one leaves, and every other breakpoint of the task targets
   * every CPU (`others` slots).
   */
  #moveTask(bp: Breakpoint, enable: boolean, others: number): void {
    const t = this.slotOf(bp);
    const slots = this.slots[t]!;
    const weight = this.weightOf(bp);
    const tskPinned = this.tskPinned[t]!;
    const tskPinnedAll = this.tskPinnedAll[t]!;
    const work = this.work;
    work.cpuLoopIterations += this.cpus;
    if (enable) {
      // Case 2a: its usage now differs per CPU: move it from the global
      // histogram into every CPU's histogram, then add bp on its own CPU.
      for (let cpu = 0; cpu < this.cpus; cpu++) {
        histogramAdd(tskPinned, cpu * slots, 0, others, work);
      }
      histogramAdd(tskPinned, this.cpuOf(bp) * slots, others, weight, work);
      histogramAdd(tskPinnedAll, 0, others, -others, work);
    } else {
      // Case 2b: the reverse: take bp off its CPU, then move the task
      // from every CPU's histogram back into the global one.
      histogramAdd(
        tskPinned,
        this.cpuOf(bp) * slots,
        others + weight,
        -weight,
        work,
      );
      for (let cpu = 0; cpu < this.cpus; cpu++) {
        histogramAdd(tskPinned, cpu * slots, others, -others, work);
      }
      histogramAdd(tskPinnedAll, 0, 0, others, work);
    }
  }

  /**
   * Case 3: the task keeps other CPU-specific breakpoints; only the
   * histograms of the CPUs bp runs on change.
   */
  #toggleOnCpus(bp: Breakpoint, enable: boolean): void {
    const t = this.slotOf(bp);
    const slots = this.slots[t]!;
    const task = this.taskOf(bp)!;
    const weight = this.weightOf(bp);
    const delta = enable ? weight : -weight;
    const tskPinned = this.tskPinned[t]!;
    const work = this.work;
    const cpu = this.cpuOf(bp);
    const first = cpu < 0 ? 0 : cpu;
    const last = cpu < 0 ? this.cpus - 1 : cpu;
    work.cpuLoopIterations += last - first + 1;
    for (let cpu = first; cpu <= last; cpu++) {
      let onCpu = this.taskPinned(task, cpu, t);
      if (!enable) onCpu += weight;
      histogramAdd(tskPinned, cpu * slots, onCpu, delta, work);
    }
  }
}
