// Complexity of whole engine operations, asserted with the index's work
// counters: the kernel's story in entries visited instead of seconds.
import assert from "node:assert/strict";
import {
  type AccountingStrategy,
  ARCH_PROFILES,
  BreakpointConstraints,
  type TaskIndex,
} from "@hwbp/core";
import { ListTaskIndex } from "@hwbp/list";
import { TASK_INDEXES } from "./task_indexes.ts";

const CPUS = 64;

/**
 * Builds `tasks` tasks with two all-CPU breakpoints each, then counts the
 * entries visited to reserve and release one breakpoint of a new task.
 */
function entriesForOneNewTask(
  index: TaskIndex,
  strategy: AccountingStrategy,
  tasks: number,
): { reserve: number; release: number } {
  const hw = new BreakpointConstraints({
    cpus: CPUS,
    ...ARCH_PROFILES.x86_64,
    index,
    strategy,
  });
  for (let task = 0; task < tasks; task++) {
    hw.reserve({ task, type: "rw" });
    hw.reserve({ task, type: "rw" });
  }
  index.resetWork();
  const bp = hw.reserve({ task: tasks, type: "rw" });
  const reserve = index.work.entriesVisited;
  index.resetWork();
  hw.release(bp);
  return { reserve, release: index.work.entriesVisited };
}

Deno.test("current + list visits the whole list a fixed number of times per operation", () => {
  for (const tasks of [100, 1_000]) {
    const n = 2 * tasks;
    const work = entriesForOneNewTask(new ListTaskIndex(), "current", tasks);
    // Reserve: one lookup for the fast path, one for toggle case 1.
    assert.equal(work.reserve, 2 * n);
    // Release: the breakpoint is removed first, then one lookup.
    assert.equal(work.release, n);
  }
});

Deno.test("legacy + list visits the whole list once per CPU: O(cpus × n)", () => {
  const tasks = 200;
  const n = 2 * tasks;
  const work = entriesForOneNewTask(new ListTaskIndex(), "legacy", tasks);
  // Reserve: a lookup per CPU to check, another per CPU to toggle.
  assert.equal(work.reserve, 2 * CPUS * n);
  // Release: a lookup per CPU while the breakpoint is still listed.
  assert.equal(work.release, CPUS * (n + 1));
});

Deno.test("current + a hash index costs the same at 100 and 10,000 tasks", () => {
  for (const factory of TASK_INDEXES.filter((f) => f.name !== "list")) {
    const small = entriesForOneNewTask(factory.create(), "current", 100);
    const large = entriesForOneNewTask(factory.create(), "current", 10_000);
    const smallTotal = small.reserve + small.release;
    const largeTotal = large.reserve + large.release;
    // A handful of chain entries, whatever the population.
    assert.ok(
      largeTotal <= 24,
      `${factory.name}: ${largeTotal} entries at 10,000 tasks`,
    );
    assert.ok(
      smallTotal <= 24,
      `${factory.name}: ${smallTotal} entries at 100 tasks`,
    );
  }
});

Deno.test("legacy + a hash index still pays once per CPU, but not per task", () => {
  for (const factory of TASK_INDEXES.filter((f) => f.name !== "list")) {
    const index = factory.create();
    const work = entriesForOneNewTask(index, "legacy", 1_000);
    // 3 × CPUS lookups of a task with at most one breakpoint.
    assert.ok(
      work.reserve + work.release <= 3 * CPUS * 6,
      `${factory.name}: ${work.reserve + work.release} entries`,
    );
    assert.equal(index.work.lookups, CPUS);
  }
});
