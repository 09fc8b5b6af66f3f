/**
 * The nine cases of the kernel's KUnit suite for breakpoint constraints
 * (`kernel/events/hw_breakpoint_test.c`), restated for this engine. Each
 * case gets a fresh engine and uses RW (data) breakpoints, as the kernel's
 * `register_test_bp()` does. "current" is task 1, the "other task" task 2,
 * and `get_test_cpu(n)` is CPU n.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  type BreakpointConstraints,
  type BreakpointHandle,
  ConstraintError,
} from "@hwbp/core";

/** The kernel suite's `MAX_TEST_BREAKPOINTS`. */
const MAX_TEST_BREAKPOINTS = 512;
const CURRENT = 1;
const OTHER_TASK = 2;

/** The kernel test's helpers, bound to one engine. */
export class KunitHarness {
  readonly hw: BreakpointConstraints;
  readonly bps: (BreakpointHandle | null)[] = [];

  constructor(hw: BreakpointConstraints) {
    this.hw = hw;
  }

  /** `get_test_bp_slots()`: the data pool's size. */
  get slots(): number {
    return this.hw.slotsOf("rw");
  }

  /** `fill_one_bp_slot()`: the reservation must succeed. */
  fillOne(cpu: number, task: number | null): void {
    this.bps.push(this.hw.reserve({ cpu, task, type: "rw" }));
  }

  /**
   * `fill_bp_slots()`: fills `cpu`/`task` leaving `skip` slots free;
   * returns whether it can be called again.
   */
  fill(cpu: number, task: number | null, skip: number): boolean {
    for (let i = 0; i < this.slots - skip; i++) this.fillOne(cpu, task);
    return this.bps.length + this.slots <= MAX_TEST_BREAKPOINTS;
  }

  /** `TEST_EXPECT_NOSPC(register_test_bp(cpu, tsk, idx))`. */
  expectNoSpace(cpu: number, task: number | null): void {
    const before = this.hw.snapshot();
    assert.throws(
      () => this.hw.reserve({ cpu, task, type: "rw" }),
      (error) => error instanceof ConstraintError && error.code === "ENOSPC",
      `expected ENOSPC for cpu ${cpu}, task ${task}`,
    );
    assert.deepEqual(this.hw.snapshot(), before);
  }

  /** `unregister_test_bp(&test_bps[i])`. */
  unregister(i: number): void {
    const bp = this.bps[i];
    assert.ok(bp, `test breakpoint ${i} is not registered`);
    this.hw.release(bp);
    this.bps[i] = null;
  }

  /** `test_exit()`: releases everything; no slot may stay in use. */
  exit(): void {
    for (let i = 0; i < this.bps.length; i++) {
      if (this.bps[i]) this.unregister(i);
    }
    assert.equal(this.hw.isUsed(), false);
    assert.equal(this.hw.verify(), null);
  }
}

/** One KUnit case: its kernel name, the slots it needs, and its body. */
export interface KunitCase {
  name: string;
  requiresSlots: number;
  run(t: KunitHarness): void;
}

/** The kernel's `hw_breakpoint_test_cases[]`, in its order. */
export const KUNIT_CASES: readonly KunitCase[] = [
  {
    name: "test_one_cpu",
    requiresSlots: 1,
    run(t) {
      t.fill(0, null, 0);
      t.expectNoSpace(-1, CURRENT);
      t.expectNoSpace(0, null);
    },
  },
  {
    name: "test_many_cpus",
    requiresSlots: 1,
    run(t) {
      // CPUs are independent.
      for (let cpu = 0; cpu < t.hw.cpus; cpu++) {
        const more = t.fill(cpu, null, 0);
        t.expectNoSpace(cpu, null);
        if (!more) break;
      }
    },
  },
  {
    name: "test_one_task_on_all_cpus",
    requiresSlots: 1,
    run(t) {
      t.fill(-1, CURRENT, 0);
      t.expectNoSpace(-1, CURRENT);
      t.expectNoSpace(0, CURRENT);
      t.expectNoSpace(0, null);
      // Remove one, and a CPU-pinned breakpoint fits again.
      t.unregister(0);
      t.fillOne(0, null);
    },
  },
  {
    name: "test_two_tasks_on_all_cpus",
    requiresSlots: 1,
    run(t) {
      // Tasks are independent.
      t.fill(-1, CURRENT, 0);
      t.fill(-1, OTHER_TASK, 0);
      t.expectNoSpace(-1, CURRENT);
      t.expectNoSpace(-1, OTHER_TASK);
      t.expectNoSpace(0, CURRENT);
      t.expectNoSpace(0, OTHER_TASK);
      t.expectNoSpace(0, null);
      // Freeing a slot of one task is not enough for a CPU-pinned one.
      t.unregister(0);
      t.expectNoSpace(0, null);
    },
  },
  {
    name: "test_one_task_on_one_cpu",
    requiresSlots: 1,
    run(t) {
      t.fill(0, CURRENT, 0);
      t.expectNoSpace(-1, CURRENT);
      t.expectNoSpace(0, CURRENT);
      t.expectNoSpace(0, null);
      // As above, but the task's usage is CPU-dependent here.
      t.unregister(0);
      t.fillOne(0, null);
    },
  },
  {
    name: "test_one_task_mixed",
    requiresSlots: 3,
    run(t) {
      t.fillOne(0, CURRENT);
      t.fill(-1, CURRENT, 1);
      t.expectNoSpace(-1, CURRENT);
      t.expectNoSpace(0, CURRENT);
      t.expectNoSpace(0, null);
      // From CPU-dependent usage back to CPU-independent.
      t.unregister(0);
      t.unregister(1);
      t.fillOne(0, null);
      t.fillOne(0, null);
      t.expectNoSpace(0, null);
    },
  },
  {
    name: "test_two_tasks_on_one_cpu",
    requiresSlots: 1,
    run(t) {
      t.fill(0, CURRENT, 0);
      t.fill(0, OTHER_TASK, 0);
      t.expectNoSpace(-1, CURRENT);
      t.expectNoSpace(-1, OTHER_TASK);
      t.expectNoSpace(0, CURRENT);
      t.expectNoSpace(0, OTHER_TASK);
      t.expectNoSpace(0, null);
      // Another CPU is still free.
      t.fill(1, null, 0);
    },
  },
  {
    name: "test_two_tasks_on_one_all_cpus",
    requiresSlots: 1,
    run(t) {
      t.fill(0, CURRENT, 0);
      t.fill(-1, OTHER_TASK, 0);
      t.expectNoSpace(-1, CURRENT);
      t.expectNoSpace(-1, OTHER_TASK);
      t.expectNoSpace(0, CURRENT);
      t.expectNoSpace(0, OTHER_TASK);
      t.expectNoSpace(0, null);
      // The task on every CPU blocks other CPUs too.
      t.expectNoSpace(1, null);
    },
  },
  {
    name: "test_task_on_all_and_one_cpu",
    requiresSlots: 3,
    run(t) {
      t.fill(-1, CURRENT, 2);
      // From breakpoints on every CPU only, to mixed.
      const taskOnCpu = t.bps.length;
      t.fillOne(0, CURRENT);
      t.fillOne(-1, CURRENT);
      t.expectNoSpace(-1, CURRENT);
      t.expectNoSpace(0, CURRENT);
      t.expectNoSpace(0, null);
      // Another CPU's slots can still be used up.
      const cpuPinned = t.bps.length;
      t.fillOne(1, null);
      t.expectNoSpace(1, null);
      // Back to a task on every CPU only; CPU 1's pinned one still blocks.
      t.unregister(taskOnCpu);
      t.expectNoSpace(-1, CURRENT);
      t.unregister(cpuPinned);
      t.fillOne(-1, CURRENT);
      t.expectNoSpace(-1, CURRENT);
      t.expectNoSpace(0, CURRENT);
      t.expectNoSpace(0, null);
      t.expectNoSpace(1, null);
    },
  },
];
