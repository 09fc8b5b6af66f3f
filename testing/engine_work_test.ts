// Complexity of whole engine operations, asserted with the engine's and the
// index's work counters: the kernel's story in counts instead of seconds.
import assert from "node:assert/strict";
import {
  ACCOUNTING_STRATEGIES,
  type AccountingStrategy,
  ARCH_PROFILES,
  BreakpointConstraints,
  type EngineWork,
  type TaskIndex,
} from "@hwbp/core";
import { ListTaskIndex } from "@hwbp/list";
import { TASK_INDEXES } from "./task_indexes.ts";

const CPUS = 64;

/**
 * Builds `tasks` tasks with two all-CPU breakpoints each, then counts the
 * entries visited to reserve and release one breakpoint of a new task, as
 * the engine reports them.
 */
function entriesForOneNewTask(
  index: TaskIndex,
  strategy: AccountingStrategy,
  tasks: number,
): { reserve: number; release: number; releaseLookups: number } {
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
  hw.resetWork();
  const bp = hw.reserve({ task: tasks, type: "rw" });
  const reserve = hw.readWork().entriesVisited;
  hw.resetWork();
  hw.release(bp);
  const { entriesVisited, lookups } = hw.readWork();
  return { reserve, release: entriesVisited, releaseLookups: lookups };
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
    assert.equal(work.releaseLookups, CPUS);
  }
});

// Exact engine counts for small known cases, per strategy. A machine of
// C = 16 CPUs with x86's one shared pool of S = 4 slots, and a list index.
const C = 16;
const S = 4;

function smallMachine(strategy: AccountingStrategy): BreakpointConstraints {
  return new BreakpointConstraints({
    cpus: C,
    ...ARCH_PROFILES.x86_64,
    index: new ListTaskIndex(),
    strategy,
  });
}

/** The counters every case below leaves at zero, filled in. */
function work(counts: Partial<EngineWork>): EngineWork {
  return {
    calls: 0,
    cpuLoopIterations: 0,
    histogramCells: 0,
    lookups: 0,
    entriesVisited: 0,
    bucketsTouched: 0,
    inserts: 0,
    removes: 0,
    ...counts,
  };
}

/**
 * The list index's share for a lone task: each lookup touches the list head
 * (one bucket) and visits `entries` entries in all; removal goes through
 * the breakpoint's own node and counts nothing.
 */
function withList(counts: Partial<EngineWork>, entries = 0): EngineWork {
  return work({
    ...counts,
    bucketsTouched: counts.lookups ?? 0,
    entriesVisited: entries,
  });
}

Deno.test("a new task's all-CPU breakpoint: legacy loops twice over the CPUs, current not at all", () => {
  const expected: Record<
    AccountingStrategy,
    { reserve: Partial<EngineWork>; release: Partial<EngineWork> }
  > = {
    // Fit check: one lookup per CPU. Toggle: one lookup and one histogram
    // cell (0 → 1 slot) per CPU.
    legacy: {
      reserve: {
        calls: 1,
        cpuLoopIterations: 2 * C,
        histogramCells: C,
        lookups: 2 * C,
        inserts: 1,
      },
      release: {
        calls: 1,
        cpuLoopIterations: C,
        histogramCells: C,
        lookups: C,
        removes: 1,
      },
    },
    // Fit check: one lookup and the S cells of the empty CPU-pinned
    // histogram, no loop. Toggle: still one lookup and cell per CPU.
    "reserve-fastpath": {
      reserve: {
        calls: 1,
        cpuLoopIterations: C,
        histogramCells: S + C,
        lookups: 1 + C,
        inserts: 1,
      },
      release: {
        calls: 1,
        cpuLoopIterations: C,
        histogramCells: C,
        lookups: C,
        removes: 1,
      },
    },
    // Fit check as above; toggle case 1: one lookup, one global cell.
    current: {
      reserve: {
        calls: 1,
        cpuLoopIterations: 0,
        histogramCells: S + 1,
        lookups: 2,
        inserts: 1,
      },
      release: {
        calls: 1,
        cpuLoopIterations: 0,
        histogramCells: 1,
        lookups: 1,
        removes: 1,
      },
    },
  };
  for (const strategy of ACCOUNTING_STRATEGIES) {
    const hw = smallMachine(strategy);
    const bp = hw.reserve({ task: 1, type: "rw" });
    assert.deepEqual(
      hw.readWork(),
      withList(expected[strategy].reserve),
      `${strategy} reserve`,
    );
    hw.resetWork();
    hw.release(bp);
    // Legacy and reserve-fastpath count while bp is still listed: each
    // per-CPU lookup visits it.
    assert.deepEqual(
      hw.readWork(),
      withList(
        expected[strategy].release,
        strategy === "current" ? 0 : C,
      ),
      `${strategy} release`,
    );
  }
});

Deno.test("a CPU-pinned reserve loops over its one CPU and reads the task histograms", () => {
  const cells: Record<AccountingStrategy, number> = {
    legacy: S, // max of the CPU's task histogram
    "reserve-fastpath": S + 1, // ... and one cell of the global histogram
    current: 2 * S + 1, // the max merges the CPU's and the global histogram
  };
  for (const strategy of ACCOUNTING_STRATEGIES) {
    const hw = smallMachine(strategy);
    hw.reserve({ cpu: 3, type: "x" });
    assert.deepEqual(
      hw.readWork(),
      work({ calls: 1, cpuLoopIterations: 1, histogramCells: cells[strategy] }),
      strategy,
    );
  }
});

Deno.test("current moves a task into every CPU's histogram for its first CPU-specific breakpoint", () => {
  const hw = smallMachine("current");
  const all = hw.reserve({ task: 1, type: "rw" });
  hw.resetWork();
  const one = hw.reserve({ task: 1, cpu: 5, type: "rw" });
  // Fit: one CPU. Toggle case 2a: a loop over every CPU.
  assert.equal(hw.readWork().cpuLoopIterations, 1 + C);
  hw.resetWork();
  hw.release(one);
  // Case 2b: the reverse loop.
  assert.equal(hw.readWork().cpuLoopIterations, C);
  hw.release(all);
  assert.equal(hw.verify(), null);
});

Deno.test("failed reserves count as calls; a modify counts its release, reserve and rollback", () => {
  for (const strategy of ACCOUNTING_STRATEGIES) {
    const hw = smallMachine(strategy);
    const handles = [1, 2, 3, 4].map(() => hw.reserve({ task: 1, type: "w" }));
    hw.resetWork();
    assert.throws(() => hw.reserve({ task: 1, type: "w" }));
    assert.equal(hw.readWork().calls, 1, strategy);
    hw.resetWork();
    hw.modify(handles[0]!, "x"); // one shared pool: it still fits
    assert.equal(hw.readWork().calls, 2, strategy);
    const other = new BreakpointConstraints({
      cpus: C,
      slots: { inst: 1, data: 4 },
      index: new ListTaskIndex(),
      strategy,
    });
    const data = other.reserve({ task: 1, type: "w" });
    other.reserve({ task: 1, type: "x" });
    other.resetWork();
    assert.throws(() => other.modify(data, "x"));
    // __release_bp_slot, the failed __reserve_bp_slot, the rollback.
    assert.equal(other.readWork().calls, 3, strategy);
    assert.equal(other.verify(), null);
  }
});

Deno.test("readWork() fills the caller's object; resetWork() zeroes engine and index", () => {
  const hw = smallMachine("legacy");
  hw.reserve({ task: 1, type: "rw" });
  const into = work({});
  assert.equal(hw.readWork(into), into);
  assert.equal(into.lookups, hw.index.work.lookups);
  assert.equal(into.lookups, 2 * C);
  hw.resetWork();
  assert.deepEqual(hw.readWork(into), work({}));
  assert.equal(hw.index.work.lookups, 0);
});
