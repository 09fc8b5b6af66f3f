/**
 * The practical minimum: the simplest correct, fast slot accounting a user
 * would write by hand for the workload `perf bench breakpoint thread` runs,
 * to measure the engine against.
 *
 * Its domain is what the bench does (and what most users do): task-bound
 * breakpoints that target every CPU (`cpu: -1`), plus CPU-pinned
 * breakpoints (`task: null`, one CPU). No task-bound breakpoint is ever
 * pinned to one CPU, so a task's usage is the same on every CPU: one weight
 * per task and pool in a `Map`, the per-CPU CPU-pinned counts in an
 * `Int32Array`, and the two global histograms of the kernel's final
 * accounting (`cpu_pinned` over CPUs, `tsk_pinned_all` over tasks) give
 * every answer in O(slots), with no index of breakpoints at all. It
 * validates nothing and keeps no handles: the caller passes back what it
 * reserved. In its domain it answers exactly as `BreakpointConstraints`
 * does (see `testing/practical_minimum_test.ts`).
 *
 * @module
 */

/**
 * Slot accounting for all-CPU task breakpoints and CPU-pinned ones, the
 * shortest correct way. Pools are numbered as the engine's: 0 for
 * instruction (or the one shared pool), 1 for data.
 *
 * @example Usage
 * ```ts
 * import { PracticalMinimum } from "./practical_minimum.ts";
 * import assert from "node:assert/strict";
 *
 * const min = new PracticalMinimum(256, [4]); // x86: one shared pool of 4
 * assert.ok(min.reserveTask(7, 0, 3));
 * assert.ok(min.reserveCpu(5, 0, 1)); // 3 task slots + 1 pinned = 4
 * assert.ok(!min.reserveTask(7, 0, 1)); // ENOSPC: cpu 5 is full for task 7
 * min.releaseCpu(5, 0, 1);
 * assert.ok(min.reserveTask(7, 0, 1));
 * ```
 */
export class PracticalMinimum {
  /** Number of CPUs. */
  readonly cpus: number;
  /** Slots per CPU, per pool. */
  readonly slots: readonly number[];
  /** Per pool: task → slots it uses (on every CPU). Absent means 0. */
  readonly #taskSlots: Map<number, number>[];
  /** Per pool: CPU-pinned slots per CPU. */
  readonly #cpuPinned: Int32Array[];
  /** Per pool: how many CPUs have n + 1 CPU-pinned slots. */
  readonly #cpuPinnedAll: Int32Array[];
  /** Per pool: how many tasks use n + 1 slots. */
  readonly #tskPinnedAll: Int32Array[];

  /**
   * Creates empty accounting.
   *
   * @param cpus Number of CPUs.
   * @param slots Slots per CPU, one count per pool.
   */
  constructor(cpus: number, slots: readonly number[]) {
    this.cpus = cpus;
    this.slots = slots;
    this.#taskSlots = slots.map(() => new Map<number, number>());
    this.#cpuPinned = slots.map(() => new Int32Array(cpus));
    this.#cpuPinnedAll = slots.map((s) => new Int32Array(s));
    this.#tskPinnedAll = slots.map((s) => new Int32Array(s));
  }

  /**
   * Reserves `weight` slots of `pool` for `task` on every CPU.
   *
   * @returns Whether they fit (`false` is the engine's `ENOSPC`).
   */
  reserveTask(task: number, pool: number, weight: number): boolean {
    const slots = this.slots[pool]!;
    const tasks = this.#taskSlots[pool]!;
    const old = tasks.get(task) ?? 0;
    if (old + weight + maxOf(this.#cpuPinnedAll[pool]!, slots) > slots) {
      return false;
    }
    tasks.set(task, old + weight);
    move(this.#tskPinnedAll[pool]!, old, old + weight);
    return true;
  }

  /** Gives back what {@linkcode reserveTask} took. */
  releaseTask(task: number, pool: number, weight: number): void {
    const tasks = this.#taskSlots[pool]!;
    const old = tasks.get(task)!;
    const now = old - weight;
    if (now === 0) tasks.delete(task);
    else tasks.set(task, now);
    move(this.#tskPinnedAll[pool]!, old, now);
  }

  /**
   * Reserves `weight` slots of `pool` on `cpu`, for no task.
   *
   * @returns Whether they fit beside the busiest task.
   */
  reserveCpu(cpu: number, pool: number, weight: number): boolean {
    const slots = this.slots[pool]!;
    const cpuPinned = this.#cpuPinned[pool]!;
    const old = cpuPinned[cpu]!;
    if (old + weight + maxOf(this.#tskPinnedAll[pool]!, slots) > slots) {
      return false;
    }
    cpuPinned[cpu] = old + weight;
    move(this.#cpuPinnedAll[pool]!, old, old + weight);
    return true;
  }

  /** Gives back what {@linkcode reserveCpu} took. */
  releaseCpu(cpu: number, pool: number, weight: number): void {
    const cpuPinned = this.#cpuPinned[pool]!;
    const old = cpuPinned[cpu]!;
    cpuPinned[cpu] = old - weight;
    move(this.#cpuPinnedAll[pool]!, old, old - weight);
  }

  /** Whether any slot is in use. */
  isUsed(): boolean {
    for (const tasks of this.#taskSlots) if (tasks.size > 0) return true;
    for (const hist of this.#cpuPinnedAll) {
      for (const n of hist) if (n > 0) return true;
    }
    return false;
  }
}

/** The largest count with a member in a histogram, or 0. */
function maxOf(hist: Int32Array, slots: number): number {
  for (let i = slots - 1; i >= 0; i--) if (hist[i]! > 0) return i + 1;
  return 0;
}

/** Moves one member from the bucket of `from` slots to that of `to`. */
function move(hist: Int32Array, from: number, to: number): void {
  if (from > 0) hist[from - 1]!--;
  if (to > 0) hist[to - 1]!++;
}
