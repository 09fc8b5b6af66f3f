// registerWide() (register_wide_hw_breakpoint()) and inherit() (a fork's
// perf_event_init_task()): both all or nothing.
import assert from "node:assert/strict";
import { ListTaskIndex } from "@hwbp/list";
import {
  assertRejects,
  assertRejectsUnchanged,
  STRATEGIES,
} from "../../testing/constraint_assertions.ts";
import { TASK_INDEXES } from "../../testing/task_indexes.ts";
import {
  type AccountingStrategy,
  ARCH_PROFILES,
  BreakpointConstraints,
  type BreakpointConstraintsOptions,
  type BreakpointSpec,
  type TaskIndex,
} from "./mod.ts";

function machine(
  strategy: AccountingStrategy,
  extra: Partial<BreakpointConstraintsOptions> = {},
): BreakpointConstraints {
  return new BreakpointConstraints({
    cpus: 4,
    slots: { inst: 2, data: 2 },
    index: new ListTaskIndex(),
    strategy,
    ...extra,
  });
}

Deno.test("The onlineCpus option defaults to every CPU and is validated", () => {
  assert.deepEqual(machine("current").onlineCpus, [0, 1, 2, 3]);
  const some = machine("current", { onlineCpus: new Set([3, 1]) });
  assert.deepEqual(some.onlineCpus, [1, 3]);
  assert.ok(Object.isFrozen(some.onlineCpus));
  const cases: [unknown, string][] = [
    [[], "onlineCpus is empty"],
    [[0, 0], "online cpu 0 is listed twice"],
    [[4], "online cpu 4 is out of range (0..3)"],
    [[-1], "online cpu -1"],
    [[1.5], "online cpu 1.5"],
    [["1"], 'online cpu "1"'],
    ["01", 'onlineCpus "01" must be an iterable of cpu ids'],
    [null, "onlineCpus null"],
    [3, "onlineCpus 3"],
  ];
  for (const [onlineCpus, fragment] of cases) {
    assertRejects(
      () =>
        machine("current", {
          onlineCpus: onlineCpus as Iterable<number>,
        }),
      "EINVAL",
      fragment,
    );
  }
});

for (const strategy of STRATEGIES) {
  Deno.test(`registerWide() (${strategy}) pins one breakpoint on each online CPU`, () => {
    const hw = machine(strategy, { onlineCpus: [0, 2, 3] });
    const wide = hw.registerWide({ type: "w", address: 0x40, weight: 2 });
    assert.deepEqual(wide.map((h) => [h.cpu, h.task, h.weight]), [
      [0, null, 2],
      [2, null, 2],
      [3, null, 2],
    ]);
    assert.deepEqual(hw.snapshot().cpuPinned, [[0, 0, 0, 0], [2, 0, 2, 2]]);
    // Constraints count over every possible CPU: the offline CPU 1 still
    // has room, and a task breakpoint on every CPU does not fit anywhere.
    hw.reserve({ cpu: 1, type: "rw" });
    assertRejectsUnchanged(
      hw,
      () => hw.reserve({ task: 1, type: "w" }),
      "ENOSPC",
      "2 of 2 are taken on its busiest cpu",
    );
    for (const h of wide) hw.release(h);
    assert.equal(hw.size, 1);
    assert.equal(hw.verify(), null);
  });

  Deno.test(`registerWide() (${strategy}) releases every CPU's breakpoint when one CPU is full`, () => {
    const hw = machine(strategy);
    hw.reserve({ cpu: 2, type: "w", weight: 2 });
    hw.reserve({ task: 5, cpu: 0, type: "x" });
    const error = assertRejectsUnchanged(
      hw,
      () => hw.registerWide({ type: "rw" }),
      "ENOSPC",
      "needs 1 data slot(s) but 2 of 2 are taken on cpu 2",
    );
    assert.match(error.message, /^Cannot register wide breakpoint: /);
    assert.equal(hw.size, 2);
  });

  Deno.test(`registerWide() (${strategy}) reserves before it parses, like each perf_event_open()`, () => {
    const hw = new BreakpointConstraints({
      cpus: 3,
      ...ARCH_PROFILES.x86_64,
      index: new ListTaskIndex(),
      strategy,
    });
    // Invalid on x86 (no read-only watchpoints); CPU 0 has room, so its
    // parse fails first: EINVAL, and nothing is left behind.
    assertRejectsUnchanged(
      hw,
      () => hw.registerWide({ type: "r" }),
      "EINVAL",
      '"r" at 0x0 length 4 is invalid on x86_64',
    );
    // With CPU 0 full, its reservation fails first: ENOSPC.
    for (let i = 0; i < 4; i++) hw.reserve({ cpu: 0, type: "w" });
    assertRejectsUnchanged(
      hw,
      () => hw.registerWide({ type: "r" }),
      "ENOSPC",
      "on cpu 0",
    );
  });

  Deno.test(`registerWide() (${strategy}) refuses a target and malformed specs`, () => {
    const hw = machine(strategy);
    const cases: [unknown, string][] = [
      [{ type: "w", cpu: 1 }, "a wide breakpoint takes no cpu or task"],
      [{ type: "w", task: 1 }, "takes no cpu or task"],
      [{ type: "w", task: null }, "takes no cpu or task"],
      [{ type: "wx" }, 'unknown type "wx"'],
      [{ type: "w", weight: 0 }, "weight 0"],
      [{ type: "w", address: -1 }, "address -1"],
      [null, "spec must be an object, got null"],
    ];
    for (const [spec, fragment] of cases) {
      assertRejectsUnchanged(
        hw,
        () => hw.registerWide(spec as BreakpointSpec),
        "EINVAL",
        fragment,
      );
    }
  });

  Deno.test(`inherit() (${strategy}) copies the parent's inheritable breakpoints in creation order`, () => {
    const hw = machine(strategy, { slots: { inst: 4, data: 4 } });
    const first = hw.reserve({ task: 1, type: "w", inherit: true, address: 8 });
    hw.reserve({ task: 1, type: "x" }); // not inheritable
    hw.reserve({ task: 1, cpu: 3, type: "x", inherit: true, weight: 2 });
    const dropped = hw.reserve({ task: 1, type: "r", inherit: true });
    hw.reserve({
      task: 1,
      type: "rw",
      inherit: true,
      length: 8,
      disabled: true,
    });
    hw.modify(first, { type: "rw" });
    hw.release(dropped);
    hw.reserve({ task: 2, type: "w", inherit: true }); // another task's
    const copies = hw.inherit(1, 9);
    assert.deepEqual(
      copies.map((h) => [
        h.task,
        h.cpu,
        h.type,
        h.weight,
        h.address,
        h.length,
        h.disabled,
        h.inherit,
      ]),
      [
        [9, -1, "rw", 1, 8n, 4, false, true],
        [9, 3, "x", 2, 0n, 8, false, true],
        [9, -1, "rw", 1, 0n, 8, true, true],
      ],
    );
    assert.equal(hw.verify(), null);
    // The copies are the child's own: inheritable in turn, released alone.
    assert.equal(hw.inherit(9, 10).length, 3);
    for (const h of copies) hw.release(h);
    assert.equal(hw.inherit(9, 11).length, 0);
    assert.equal(hw.inherit(10, 12).length, 3);
    assert.equal(hw.verify(), null);
  });

  Deno.test(`inherit() (${strategy}) fails like fork(): the child keeps none, and the error names the copy`, () => {
    const hw = machine(strategy);
    hw.reserve({ task: 1, type: "w", inherit: true });
    hw.reserve({ task: 1, type: "x", inherit: true });
    hw.reserve({ task: 1, cpu: 1, type: "w", inherit: true });
    // The child already uses both data slots on CPU 1: the third copy
    // does not fit.
    hw.reserve({ task: 7, cpu: 1, type: "rw", weight: 2, inherit: true });
    const error = assertRejectsUnchanged(
      hw,
      () => hw.inherit(1, 7),
      "ENOSPC",
      `Cannot inherit breakpoints: task 7 gets no copy of task 1's inheritable breakpoint #1 ("w" on task 1), so the fork fails: "w" needs 1 data slot(s) but 2 of 2 are taken on its busiest cpu`,
    );
    assert.equal(error.code, "ENOSPC");
    // The child's own inheritable list is as before: one breakpoint.
    assert.equal(hw.inherit(7, 8).length, 1);
    const other = machine(strategy);
    other.reserve({ task: 1, type: "w", inherit: true });
    other.reserve({ task: 1, type: "x", inherit: true });
    other.reserve({ task: 1, cpu: 1, type: "w", inherit: true });
    other.reserve({ task: 7, cpu: 1, type: "rw", inherit: true });
    assertRejectsUnchanged(
      other,
      () => other.inherit(1, 7),
      "ENOSPC",
      `breakpoint #3 ("w" on task 1 on cpu 1), so the fork fails: "w" needs 1 data slot(s) but 2 of 2 are taken on cpu 1`,
    );
  });

  Deno.test(`inherit() (${strategy}) refuses bad task ids and changes nothing`, () => {
    const hw = machine(strategy);
    hw.reserve({ task: 1, type: "w", inherit: true });
    const cases: [unknown, unknown, string][] = [
      [1, 1, "child task 1 must differ from its parent"],
      [-1, 2, "parent task -1 must be a non-negative integer"],
      [1, 2.5, "child task 2.5"],
      [null, 2, "parent task null"],
      [1, "2", 'child task "2"'],
      [1, undefined, "child task undefined"],
    ];
    for (const [parent, child, fragment] of cases) {
      assertRejectsUnchanged(
        hw,
        () => hw.inherit(parent as number, child as number),
        "EINVAL",
        fragment,
      );
    }
    assert.deepEqual(hw.inherit(3, 4), []); // nothing to inherit
  });
}

/** A machine with `tasks` other tasks and task 1's three inheritable ones. */
function populated(index: TaskIndex, tasks: number): BreakpointConstraints {
  const hw = new BreakpointConstraints({
    cpus: 8,
    ...ARCH_PROFILES.x86_64,
    index,
  });
  for (let task = 100; task < 100 + tasks; task++) {
    hw.reserve({ task, type: "rw", inherit: true });
  }
  for (let i = 0; i < 3; i++) {
    hw.reserve({ task: 1, type: "rw", inherit: true });
  }
  hw.resetWork();
  return hw;
}

Deno.test("inherit() finds the parent's breakpoints without the index: it costs what reserving the copies costs", () => {
  for (const factory of TASK_INDEXES) {
    const inherited = populated(factory.create(), 1000);
    inherited.inherit(1, 2);
    const byHand = populated(factory.create(), 1000);
    for (let i = 0; i < 3; i++) {
      byHand.reserve({ task: 2, type: "rw", inherit: true });
    }
    const a = inherited.readWork();
    const b = byHand.readWork();
    // Hash chains depend on each table's seed; everything else must match.
    if (factory.name !== "list") {
      a.entriesVisited = b.entriesVisited = 0;
      a.bucketsTouched = b.bucketsTouched = 0;
    }
    assert.deepEqual(a, b, factory.name);
  }
  // With a hash index, the population hardly matters.
  for (const factory of TASK_INDEXES.filter((f) => f.name !== "list")) {
    for (const tasks of [10, 2000]) {
      const hw = populated(factory.create(), tasks);
      hw.inherit(1, 2);
      const visited = hw.readWork().entriesVisited;
      assert.ok(visited <= 40, `${factory.name}: ${visited} at ${tasks} tasks`);
    }
  }
});

Deno.test("registerWide(), inherit() and a type change take the locks bp_constraints_lock() takes", () => {
  const hw = machine("current");
  hw.reserve({ task: 1, type: "w", inherit: true });
  const bp = hw.reserve({ task: 3, type: "w" });
  const guard = hw.lock(2); // task 2's perf_event_mutex, bp_cpuinfo_sem read
  assertRejectsUnchanged(
    hw,
    () => hw.registerWide({ type: "w" }),
    "EDEADLK",
    "Cannot register wide breakpoint: bp_cpuinfo_sem is read-locked",
  );
  assertRejectsUnchanged(
    hw,
    () => hw.inherit(1, 2),
    "EDEADLK",
    "Cannot inherit breakpoints: perf_event_mutex of task 2 is held",
  );
  assert.equal(hw.inherit(1, 4).length, 1); // another child runs in parallel
  guard.unlock();
  const own = hw.lock(3);
  // Attributes alone need no lock (modify_bp_slot() is not called); a new
  // type does, even within the same pool.
  hw.modify(bp, { address: 0x80, disabled: true });
  assertRejectsUnchanged(
    hw,
    () => hw.modify(bp, "rw"),
    "EDEADLK",
    "Cannot modify breakpoint: perf_event_mutex of task 3 is held",
  );
  own.unlock();
  hw.modify(bp, "rw");
  assert.equal(hw.verify(), null);
});
