// State and helpers shared by every accounting strategy.
import {
  asTaskBreakpoint,
  type Breakpoint,
  RecordReader,
  TaskPinnedCounter,
} from "./_breakpoint.ts";
import { histogramAny } from "./_histogram.ts";
import { AccountingWork } from "./_work.ts";
import type {
  SlotType,
  TaskBreakpoint,
  TaskIndex,
  TaskVisitor,
} from "./task_index.ts";

/** A read-only copy of the counters, for snapshots and self-checks. */
export interface AccountingState {
  cpuPinned: number[][];
  tskPinned: number[][][];
  cpuPinnedAll: number[][];
  tskPinnedAll: number[][];
}

/**
 * Per-pool counters every strategy keeps: `cpuPinned[t][c]` is the weight
 * of CPU-pinned breakpoints on CPU c, and `tskPinned[t]` holds one
 * histogram of task usage per CPU (CPU c at offset c × slots[t]).
 */
export abstract class Accounting extends RecordReader {
  readonly cpus: number;
  readonly slots: readonly number[];
  readonly index: TaskIndex;
  readonly cpuPinned: Int32Array[];
  readonly tskPinned: Int32Array[];
  /** Work counters of the accounting itself (the index keeps its own). */
  readonly work: AccountingWork = new AccountingWork();
  readonly #counter: TaskPinnedCounter = new TaskPinnedCounter();
  // The index's methods, bound once per engine. A process that runs
  // several TaskIndex classes would otherwise see `index.visitTask` and
  // friends go polymorphic, then megamorphic, at the one call site every
  // engine shares; a field of the accounting stays monomorphic.
  readonly #visitTask: (task: number, visitor: TaskVisitor) => void;
  readonly #insert: (bp: TaskBreakpoint) => void;
  readonly #remove: (bp: TaskBreakpoint) => boolean;

  constructor(cpus: number, slots: readonly number[], index: TaskIndex) {
    super();
    this.cpus = cpus;
    this.slots = slots;
    this.index = index;
    this.#visitTask = index.visitTask.bind(index);
    this.#insert = index.insert.bind(index);
    this.#remove = index.remove.bind(index);
    this.cpuPinned = slots.map(() => new Int32Array(cpus));
    this.tskPinned = slots.map((s) => new Int32Array(cpus * s));
  }

  /** Whether the strategy keeps the global `cpu_pinned` histogram. */
  abstract readonly hasCpuPinnedAll: boolean;
  /**
   * Whether the strategy keeps the global `tsk_pinned_all` histogram, in
   * which CPU-independent tasks live instead of the per-CPU histograms.
   */
  abstract readonly hasTskPinnedAll: boolean;

  /**
   * `__reserve_bp_slot()` once the type is known: checks the fit and, if
   * `bp` fits, accounts it.
   *
   * @returns -1 if `bp` was accounted, else the slots already pinned on its
   * busiest CPU (so `bp` did not fit and nothing changed).
   */
  reserve(bp: Breakpoint): number {
    this.work.calls++;
    const pinned = this.maxPinnedSlots(bp);
    if (pinned + this.weightOf(bp) > this.slots[this.slotOf(bp)]!) {
      return pinned;
    }
    this.enable(bp);
    return -1;
  }

  /** `__release_bp_slot()`: gives `bp`'s slots back. */
  release(bp: Breakpoint): void {
    this.work.calls++;
    this.disable(bp);
  }

  /**
   * Most slots of `bp`'s pool already pinned on any CPU `bp` can run on
   * (`max_bp_pinned_slots()`); `bp` is not accounted yet.
   */
  abstract maxPinnedSlots(bp: Breakpoint): number;

  /**
   * Accounts a breakpoint that fits, and stores it in the index if it is
   * task-bound (`toggle_bp_slot(bp, true, ...)`). Throws, with every counter
   * restored, if the index refuses it.
   */
  abstract enable(bp: Breakpoint): void;

  /** Reverses {@linkcode enable} (`toggle_bp_slot(bp, false, ...)`). */
  abstract disable(bp: Breakpoint): void;

  /** The global histograms, empty for a strategy without them. */
  abstract globalState(): Pick<
    AccountingState,
    "cpuPinnedAll" | "tskPinnedAll"
  >;

  /**
   * Most slots any task uses on `cpu` in pool `slot`
   * (`max_task_bp_pinned()`), what a CPU-pinned breakpoint must fit beside.
   */
  abstract maxTaskPinned(cpu: number, slot: SlotType): number;

  /**
   * The busiest of `bp`'s CPUs, asking each one: its CPU-pinned slots plus
   * `bp`'s task's slots there, or, for a CPU-pinned `bp`, the most any task
   * uses there. The slow path of `max_bp_pinned_slots()`, and all of
   * v5.19's `fetch_bp_busy_slots()`.
   */
  maxPinnedOnCpus(bp: Breakpoint): number {
    const t = this.slotOf(bp);
    const task = this.taskOf(bp);
    const cpuPinned = this.cpuPinned[t]!;
    const cpu = this.cpuOf(bp);
    const first = cpu < 0 ? 0 : cpu;
    const last = cpu < 0 ? this.cpus - 1 : cpu;
    this.work.cpuLoopIterations += last - first + 1;
    let max = 0;
    for (let cpu = first; cpu <= last; cpu++) {
      const used = cpuPinned[cpu]! +
        (task === null
          ? this.maxTaskPinned(cpu, t)
          : this.taskPinned(task, cpu, t));
      if (used > max) max = used;
    }
    return max;
  }

  /**
   * Weight of `task`'s breakpoints in pool `slot` that run on `cpu`; with
   * `cpu` -1, that weight if all of them target every CPU, else -1.
   */
  taskPinned(task: number, cpu: number, slot: SlotType): number {
    const counter = this.#counter;
    counter.cpu = cpu;
    counter.slot = slot;
    counter.count = 0;
    this.#visitTask(task, counter);
    return counter.count;
  }

  /** Inserts into the index, as the last step of enabling a task breakpoint. */
  insertTask(bp: Breakpoint): void {
    this.work.inserts++;
    this.#insert(asTaskBreakpoint(bp));
  }

  /** Removes from the index; a live task breakpoint must be there. */
  removeTask(bp: Breakpoint): void {
    this.work.removes++;
    if (!this.#remove(asTaskBreakpoint(bp))) throw this.#lost(bp);
  }

  /** The error for an index that lost a live breakpoint (out of line). */
  #lost(bp: Breakpoint): Error {
    return new Error(
      `Task index "${this.index.name}" lost a live breakpoint of task ${
        this.taskOf(bp)
      }: the index is corrupt`,
    );
  }

  /** Whether any slot is in use anywhere (`hw_breakpoint_is_used()`). */
  isUsed(): boolean {
    for (let t = 0; t < this.slots.length; t++) {
      const slots = this.slots[t]!;
      const cpuPinned = this.cpuPinned[t]!;
      const tskPinned = this.tskPinned[t]!;
      for (let cpu = 0; cpu < this.cpus; cpu++) {
        if (cpuPinned[cpu] !== 0) return true;
        if (histogramAny(tskPinned, cpu * slots, slots)) return true;
      }
    }
    return this.globalInUse();
  }

  /** Whether a global histogram (if the strategy keeps any) has a member. */
  abstract globalInUse(): boolean;

  /** A copy of every counter. */
  state(): AccountingState {
    const perCpu = (hist: Int32Array, slots: number): number[][] => {
      const rows: number[][] = [];
      for (let cpu = 0; cpu < this.cpus; cpu++) {
        rows.push(Array.from(hist.subarray(cpu * slots, (cpu + 1) * slots)));
      }
      return rows;
    };
    return {
      cpuPinned: this.cpuPinned.map((a) => Array.from(a)),
      tskPinned: this.tskPinned.map((h, t) => perCpu(h, this.slots[t]!)),
      ...this.globalState(),
    };
  }
}
