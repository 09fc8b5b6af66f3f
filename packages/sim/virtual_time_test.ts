import assert from "node:assert/strict";
import {
  ARCH_PROFILES,
  BreakpointConstraints,
  type LockingDiscipline,
} from "@hwbp/core";
import { ListTaskIndex } from "@hwbp/list";
import {
  type AccountingCosts,
  type BreakpointThreadOptions,
  type BreakpointThreadResult,
  type CostTable,
  DEFAULT_COST_TABLE,
  deriveFloorCosts,
  KERNEL_FLOOR_ROWS,
  KERNEL_STAGES,
  simulateBreakpointThread,
} from "./mod.ts";

const FREE: AccountingCosts = {
  calls: 0,
  cpuLoopIterations: 0,
  histogramCells: 0,
  lookups: 0,
  entriesVisited: 0,
  bucketsTouched: 0,
  inserts: 0,
  removes: 0,
};

/** A cost table of round numbers, so totals can be worked out by hand. */
function costs(overrides: Partial<CostTable>): CostTable {
  return {
    threadCreate: 0,
    threadExit: 0,
    perEvent: 0,
    accounting: FREE,
    lockAcquire: 0,
    lockWakeup: 0,
    ...overrides,
  };
}

function model(options: BreakpointThreadOptions): BreakpointThreadResult {
  return simulateBreakpointThread({ cpus: 8, clock: "model", ...options });
}

/** Modelled total in nanoseconds, rounded off float noise. */
function ns(result: BreakpointThreadResult): number {
  return Math.round(result.totalSeconds * 1e9 * 1000) / 1000;
}

Deno.test("model with -p 1 adds up every cost", async (t) => {
  const r = 3, tt = 4, b = 2;
  const table = costs({
    threadCreate: 1000,
    threadExit: 700,
    perEvent: 50,
    accounting: { ...FREE, calls: 100 },
    lockAcquire: 7,
    lockWakeup: 1e6, // never paid: nobody waits
  });
  const threads = 1 + r * tt; // the spawner and the batch threads
  const events = 2 * b + 2 * r * tt * b; // inherited, then freed
  const calls = events;
  for (
    const [locking, locks] of [["mutex", 1], ["rwsem", 2]] as const
  ) {
    await t.step(`under ${locking}`, () => {
      const result = model({
        repeat: r,
        threads: tt,
        breakpoints: b,
        parallelism: 1,
        locking,
        costs: table,
      });
      assert.equal(
        ns(result),
        threads * 1000 + threads * 700 + events * 50 +
          calls * (100 + 7 * locks),
      );
      assert.equal(result.breakdown!.waiting, 0);
    });
  }
});

Deno.test("model with -b 0 charges thread costs only", () => {
  const table = costs({
    threadCreate: 10,
    threadExit: 3,
    perEvent: 1e9,
    accounting: { ...FREE, calls: 1e9 },
    lockAcquire: 1e9,
  });
  // Main creates spawner 0 at 10 and spawner 1 at 20. Spawner 0 runs
  // batch 1 (23), spawner 1 batch 2 (33), spawner 0 batch 3 (36) and
  // exits (39); spawner 1 finds no batch and exits at 36.
  const result = model({
    repeat: 3,
    threads: 1,
    breakpoints: 0,
    parallelism: 2,
    costs: table,
  });
  assert.equal(ns(result), 39);
  assert.equal(result.breakdown!.threads * 1e9, 39);
  assert.equal(result.lookups, 0);
});

Deno.test("model serialises accounting under the global mutex, FIFO, with a wake-up per hand-off", () => {
  const table = costs({
    threadCreate: 10,
    threadExit: 10,
    accounting: { ...FREE, calls: 100 },
    lockWakeup: 5,
  });
  const options = {
    repeat: 2,
    threads: 1,
    breakpoints: 1,
    parallelism: 2,
    strategy: "current",
    costs: table,
  } as const;
  // Worked by hand: main reserves for spawner 0 (10..110) and spawner 1
  // (120..220); each call after that finds the mutex held and waits for
  // the previous holder's release plus the 5 ns wake-up.
  const mutex = model({ ...options, locking: "mutex" });
  assert.equal(ns(mutex), 850);
  assert.ok(mutex.breakdown!.waiting > 0);
  // With per-task mutexes and a shared read side, nobody waits.
  const rwsem = model({ ...options, locking: "rwsem" });
  assert.equal(ns(rwsem), 550);
  assert.equal(rwsem.breakdown!.waiting, 0);
});

Deno.test("model's breakdown adds up to the total", () => {
  for (const stage of Object.values(KERNEL_STAGES)) {
    const result = model({
      repeat: 6,
      threads: 5,
      breakpoints: 4,
      parallelism: 4,
      ...stage,
    });
    const { threads, events, accounting, locks, waiting } = result.breakdown!;
    const sum = threads + events + accounting + locks + waiting;
    assert.ok(
      Math.abs(sum - result.totalSeconds) < 1e-12 * result.totalSeconds + 1e-15,
    );
  }
});

Deno.test("model counts what the wall clock run counts", () => {
  const shape = { repeat: 7, threads: 3, breakpoints: 2, parallelism: 3 };
  const wall = simulateBreakpointThread({ cpus: 8, ...shape });
  const modelled = model(shape);
  for (
    const key of [
      "reserves",
      "releases",
      "spawnerReserves",
      "spawnerReleases",
    ] as const
  ) {
    assert.equal(modelled[key], wall[key], key);
  }
  assert.equal(modelled.clock, "model");
});

Deno.test("model gives identical results for identical inputs", () => {
  const options = { repeat: 5, threads: 6, breakpoints: 3, parallelism: 4 };
  for (const stage of Object.values(KERNEL_STAGES)) {
    const a = model({ ...options, ...stage });
    const b = model({ ...options, ...stage });
    assert.deepEqual(a, b);
  }
});

Deno.test("model never reads a clock, so a faster engine models the same time", () => {
  const result = model({
    repeat: 4,
    threads: 3,
    breakpoints: 2,
    parallelism: 2,
    now: () => {
      throw new Error("the model read the clock");
    },
  });
  assert.ok(result.totalSeconds > 0);
});

Deno.test("model's list work index counts exactly what ListTaskIndex counts", async (t) => {
  const shapes = [
    { repeat: 5, threads: 3, breakpoints: 2, parallelism: 3 },
    { repeat: 2, threads: 4, breakpoints: 4, parallelism: 5 },
  ];
  for (const strategy of ["legacy", "reserve-fastpath", "current"] as const) {
    for (const locking of ["mutex", "rwsem"] as LockingDiscipline[]) {
      for (const shape of shapes) {
        await t.step(`${strategy}, ${locking}, -p ${shape.parallelism}`, () => {
          const table = { ...DEFAULT_COST_TABLE, lockWakeup: 3000 };
          const real = simulateBreakpointThread({
            clock: "model",
            costs: table,
            ...shape,
            constraints: new BreakpointConstraints({
              cpus: 8,
              ...ARCH_PROFILES.x86_64,
              index: new ListTaskIndex(),
              strategy,
              locking,
            }),
          });
          const fast = model({
            costs: table,
            ...shape,
            index: "list",
            strategy,
            locking,
          });
          assert.deepEqual(fast, { ...real, seed: fast.seed });
        });
      }
    }
  }
});

Deno.test("model reproduces the kernel's floor rows with the derived costs", () => {
  const floor = deriveFloorCosts();
  for (const key of ["threadCreate", "threadExit", "perEvent"] as const) {
    assert.ok(
      Math.abs(floor[key] - DEFAULT_COST_TABLE[key]) <= 1e-9 * floor[key],
      `DEFAULT_COST_TABLE.${key} is deriveFloorCosts().${key}`,
    );
  }
  const { workload } = KERNEL_FLOOR_ROWS;
  const noBreakpoints = simulateBreakpointThread({
    ...workload,
    breakpoints: 0,
    clock: "model",
  });
  assert.ok(Math.abs(noBreakpoints.totalSeconds - 0.060) < 1e-9);
  const disabled = simulateBreakpointThread({
    ...workload,
    strategy: "none",
    clock: "model",
  });
  assert.ok(Math.abs(disabled.totalSeconds - 0.067) < 1e-9);
});

Deno.test("deriveFloorCosts() splits a thread by createShare and checks its rows", () => {
  const floor = deriveFloorCosts({ createShare: 0.25 });
  const even = deriveFloorCosts();
  assert.ok(floor.threadCreate < floor.threadExit);
  assert.ok(floor.perEvent > 0);
  assert.ok(even.threadCreate === even.threadExit);
  assert.throws(
    () => deriveFloorCosts({ noBreakpoints: 0.07, accountingDisabled: 0.06 }),
    /accountingDisabled 0.06 must exceed noBreakpoints 0.07/,
  );
  assert.throws(() => deriveFloorCosts({ createShare: 1 }), RangeError);
  assert.throws(() => deriveFloorCosts({ noBreakpoints: -1 }), RangeError);
});

Deno.test("model rejects a cost table with a bad cost, naming it", () => {
  assert.throws(
    () => model({ costs: { ...DEFAULT_COST_TABLE, lockWakeup: -1 } }),
    {
      name: "RangeError",
      message:
        "Cannot simulate breakpoint thread: Invalid cost table: lockWakeup -1 must be a finite number of nanoseconds, at least 0",
    },
  );
  assert.throws(
    () => simulateBreakpointThread({ costs: DEFAULT_COST_TABLE }),
    /costs needs clock "model"/,
  );
});
