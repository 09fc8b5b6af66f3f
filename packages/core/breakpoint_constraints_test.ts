import assert from "node:assert/strict";
import { ListTaskIndex } from "@hwbp/list";
import {
  assertRejects,
  assertRejectsUnchanged,
} from "../../testing/constraint_assertions.ts";
import {
  type AccountingStrategy,
  ARCH_PROFILES,
  BreakpointConstraints,
  type BreakpointConstraintsOptions,
  type BreakpointHandle,
  type BreakpointSpec,
  type ConstraintErrorCode,
  createTaskBreakpoint,
  type TaskBreakpoint,
} from "./mod.ts";

const STRATEGIES: readonly AccountingStrategy[] = ["current", "legacy"];

function machine(strategy: AccountingStrategy): BreakpointConstraints {
  return new BreakpointConstraints({
    cpus: 4,
    ...ARCH_PROFILES.arm64,
    index: new ListTaskIndex(),
    strategy,
  });
}

/** A machine with some of everything live: pinned, all-CPU and per-CPU. */
function busyMachine(strategy: AccountingStrategy): {
  hw: BreakpointConstraints;
  handles: BreakpointHandle[];
} {
  const hw = machine(strategy);
  const handles = [
    hw.reserve({ cpu: 0, type: "w" }),
    hw.reserve({ task: 1, type: "rw" }),
    hw.reserve({ task: 1, cpu: 2, type: "x", weight: 2 }),
    hw.reserve({ task: 2, type: "r" }),
  ];
  return { hw, handles };
}

for (const strategy of STRATEGIES) {
  Deno.test(`BreakpointConstraints (${strategy}) rejects bad reserve specs and changes nothing`, async (t) => {
    const { hw } = busyMachine(strategy);
    const cases: [string, unknown, ConstraintErrorCode, string][] = [
      [
        "cpu past the last CPU",
        { cpu: 4, task: 1, type: "w" },
        "EINVAL",
        "cpu 4",
      ],
      ["cpu below -1", { cpu: -2, task: 1, type: "w" }, "EINVAL", "cpu -2"],
      ["a fractional cpu", { cpu: 1.5, type: "w" }, "EINVAL", "cpu 1.5"],
      ["a NaN cpu", { cpu: NaN, type: "w" }, "EINVAL", "cpu NaN"],
      ["a string cpu", { cpu: "1", type: "w" }, "EINVAL", 'cpu "1"'],
      ["a fractional task", { task: 2.5, type: "w" }, "EINVAL", "task 2.5"],
      ["a negative task", { task: -1, type: "w" }, "EINVAL", "task -1"],
      ["a string task", { task: "7", type: "w" }, "EINVAL", 'task "7"'],
      ["a bigint task", { task: 7n, type: "w" }, "EINVAL", "task 7n"],
      ["an unknown type", { task: 1, type: "rwx" }, "EINVAL", 'type "rwx"'],
      ["the empty type", { task: 1, type: "" }, "EINVAL", 'type ""'],
      ["a numeric type", { task: 1, type: 3 }, "EINVAL", "type 3"],
      ["a missing type", { task: 1 }, "EINVAL", "type undefined"],
      [
        "an inherited type name",
        { task: 1, type: "toString" },
        "EINVAL",
        'type "toString"',
      ],
      ["weight zero", { task: 1, type: "w", weight: 0 }, "EINVAL", "weight 0"],
      [
        "a negative weight",
        { task: 1, type: "w", weight: -1 },
        "EINVAL",
        "weight -1",
      ],
      [
        "a fractional weight",
        { task: 1, type: "w", weight: 1.5 },
        "EINVAL",
        "weight 1.5",
      ],
      ["no task and every CPU", { type: "w" }, "EINVAL", "cpu -1"],
      [
        "an explicit null task on every CPU",
        { task: null, cpu: -1, type: "x" },
        "EINVAL",
        "cpu -1",
      ],
      ["no spec", undefined, "EINVAL", "undefined"],
      ["a null spec", null, "EINVAL", "null"],
    ];
    for (const [name, spec, code, fragment] of cases) {
      await t.step(name, () => {
        assertRejectsUnchanged(
          hw,
          () => hw.reserve(spec as BreakpointSpec),
          code,
          fragment,
        );
      });
    }
    await t.step("a breakpoint that does not fit", () => {
      assertRejectsUnchanged(
        hw,
        () => hw.reserve({ task: 1, cpu: 2, type: "x", weight: 5 }),
        "ENOSPC",
        "needs 5 inst slot(s) but 2 of 6 are taken on cpu 2",
      );
      assertRejectsUnchanged(
        hw,
        () => hw.reserve({ task: 3, type: "w", weight: 4 }),
        "ENOSPC",
        "but 1 of 4 are taken on its busiest cpu",
      );
    });
  });

  Deno.test(`BreakpointConstraints (${strategy}) rejects dead, foreign and fake handles`, async (t) => {
    const { hw, handles } = busyMachine(strategy);
    const released = handles[3]!;
    hw.release(released);
    const other = machine(strategy);
    const foreign = other.reserve({ task: 1, type: "w" });

    await t.step("a handle released twice", () => {
      assertRejectsUnchanged(
        hw,
        () => hw.release(released),
        "ENOENT",
        'handle "r" on task 2 was already released',
      );
      assertRejectsUnchanged(
        hw,
        () => hw.modify(released, "w"),
        "ENOENT",
        "already released",
      );
    });
    await t.step("a handle from another instance", () => {
      assertRejectsUnchanged(
        hw,
        () => hw.release(foreign),
        "ENOENT",
        "belongs to another instance",
      );
      assertRejectsUnchanged(
        hw,
        () => hw.modify(foreign, "x"),
        "ENOENT",
        "another instance",
      );
      assert.equal(other.verify(), null);
      assert.equal(other.size, 1);
    });
    await t.step("a look-alike object", () => {
      const fake = {
        task: 1,
        cpu: -1,
        type: "rw",
        weight: 1,
        live: true,
      } as BreakpointHandle;
      assertRejectsUnchanged(
        hw,
        () => hw.release(fake),
        "EINVAL",
        "an object is not a breakpoint handle",
      );
      assertRejectsUnchanged(
        hw,
        () => hw.release(null as unknown as BreakpointHandle),
        "EINVAL",
        "null",
      );
    });
    await t.step("an unknown type for modify", () => {
      assertRejectsUnchanged(
        hw,
        () => hw.modify(handles[1]!, "rx" as "r"),
        "EINVAL",
        'type "rx"',
      );
    });
    await t.step("a modify that does not fit restores the old type", () => {
      // Task 1 has 2 inst slots on CPU 2 and data usage elsewhere; filling
      // the data pool of task 1 makes a move from inst to data impossible.
      const fillers = [1, 2, 3].map(() =>
        hw.reserve({ task: 1, cpu: 2, type: "w" })
      );
      assertRejectsUnchanged(
        hw,
        () => hw.modify(handles[2]!, "w"),
        "ENOSPC",
        "needs 2 data slot(s)",
      );
      assert.equal(handles[2]!.type, "x");
      for (const f of fillers) hw.release(f);
    });
  });

  Deno.test(`BreakpointConstraints (${strategy}) releases and modifies back to an unused machine`, () => {
    const { hw, handles } = busyMachine(strategy);
    hw.modify(handles[1]!, "x");
    hw.modify(handles[1]!, "x"); // same type: nothing to do
    assert.equal(handles[1]!.type, "x");
    assert.equal(hw.verify(), null);
    for (const h of handles) hw.release(h);
    assert.equal(hw.isUsed(), false);
    assert.equal(hw.size, 0);
    assert.equal(hw.index.size, 0);
    assert.equal(hw.verify(), null);
  });
}

Deno.test("BreakpointConstraints rejects options that make no sense", async (t) => {
  const valid: BreakpointConstraintsOptions = {
    cpus: 2,
    slots: 4,
    index: new ListTaskIndex(),
  };
  const cases: [string, unknown, string][] = [
    ["zero CPUs", { ...valid, cpus: 0 }, "cpus 0"],
    ["fractional CPUs", { ...valid, cpus: 2.5 }, "cpus 2.5"],
    ["too many CPUs", { ...valid, cpus: 1e6 }, "cpus 1000000"],
    ["negative slots", { ...valid, slots: -1 }, "slots -1"],
    ["too many slots", { ...valid, slots: 65 }, "slots 65"],
    [
      "negative data slots",
      { ...valid, slots: { inst: 2, data: -2 } },
      "slots.data -2",
    ],
    [
      "missing inst slots",
      { ...valid, slots: { data: 2 } },
      "slots.inst undefined",
    ],
    ["a shared pool of two sizes", {
      ...valid,
      slots: { inst: 2, data: 4 },
      sharedSlots: true,
    }, "slots.inst 2 and slots.data 4"],
    [
      "a non-boolean sharedSlots",
      { ...valid, sharedSlots: "yes" },
      'sharedSlots "yes"',
    ],
    ["an unknown strategy", { ...valid, strategy: "fast" }, 'strategy "fast"'],
    ["no index", { cpus: 2, slots: 4 }, "index undefined"],
    ["an index that is not one", { ...valid, index: {} }, "index an object"],
    ["no options", undefined, "undefined"],
  ];
  for (const [name, options, fragment] of cases) {
    await t.step(name, () => {
      assertRejects(
        () =>
          new BreakpointConstraints(options as BreakpointConstraintsOptions),
        "EINVAL",
        fragment,
      );
    });
  }
  await t.step("an index that already holds breakpoints", () => {
    const index = new ListTaskIndex();
    index.insert(createTaskBreakpoint({ task: 1 }));
    assertRejects(
      () => new BreakpointConstraints({ ...valid, index }),
      "EINVAL",
      "holds 1 breakpoints",
    );
  });
});

Deno.test("BreakpointConstraints maps types to pools like find_slot_idx()", () => {
  const split = new BreakpointConstraints({
    cpus: 1,
    ...ARCH_PROFILES.powerpc,
    index: new ListTaskIndex(),
  });
  assert.deepEqual(["r", "w", "rw", "x"].map((t) => split.slotsOf(t as "r")), [
    2,
    2,
    2,
    0,
  ]);
  // POWER10 has no instruction breakpoints at all: since Linux 6.15,
  // hw_breakpoint_event_init() refuses the type before reserving.
  assertRejects(
    () => split.reserve({ cpu: 0, type: "x" }),
    "EOPNOTSUPP",
    'type "x" is not supported: the inst pool has 0 slots',
  );
  const shared = new BreakpointConstraints({
    cpus: 1,
    ...ARCH_PROFILES.sh,
    index: new ListTaskIndex(),
  });
  shared.reserve({ cpu: 0, type: "r" });
  shared.reserve({ cpu: 0, type: "w" });
  // One pool of two, whatever the data type.
  assertRejects(
    () => shared.reserve({ cpu: 0, type: "rw" }),
    "ENOSPC",
    "shared slot(s) but 2 of 2",
  );
});

Deno.test("BreakpointConstraints rolls back when the index refuses to grow", () => {
  // A real index with a hard capacity, as an rhltable with a max size
  // behaves: its insert throws an error carrying code E2BIG.
  class BoundedListIndex extends ListTaskIndex {
    override insert(bp: TaskBreakpoint): void {
      if (this.size >= 2) {
        throw Object.assign(new Error("index is at its maximum size"), {
          code: "E2BIG",
        });
      }
      super.insert(bp);
    }
  }
  for (const strategy of STRATEGIES) {
    const hw = new BreakpointConstraints({
      cpus: 3,
      slots: 4,
      index: new BoundedListIndex(),
      strategy,
    });
    hw.reserve({ task: 1, type: "w" });
    hw.reserve({ task: 2, cpu: 1, type: "w" });
    for (
      const spec of [{ task: 3, type: "w" }, { task: 1, cpu: 2, type: "w" }, {
        task: 2,
        type: "x",
      }] as const
    ) {
      assertRejectsUnchanged(hw, () => hw.reserve(spec), "E2BIG", "is full");
    }
  }
});

Deno.test("BreakpointConstraints allocates one handle per reserve and keeps the index in step", () => {
  const hw = new BreakpointConstraints({
    cpus: 8,
    slots: 4,
    sharedSlots: true,
    index: new ListTaskIndex(),
  });
  const a = hw.reserve({ task: 5, type: "rw" });
  const b = hw.reserve({ task: 5, type: "rw" });
  assert.notEqual(a, b);
  assert.equal(hw.index.size, 2);
  assert.equal(hw.size, 2);
  hw.reserve({ cpu: 3, type: "x" });
  assert.equal(hw.index.size, 2); // CPU-pinned breakpoints stay out of the index
  assert.equal(hw.size, 3);
});
