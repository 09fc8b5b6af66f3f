// Regression tests for bugs found by adversarial use of the public API:
// an index shared by two engines (B1), writable or shadowed handle fields
// (B2: the handle is the engine's record, so these prove that nothing a
// caller does to it changes what the engine or its index believes), spec
// fields read twice (B3), explicit nulls defaulted (B4), and -0 ids.
import assert from "node:assert/strict";
import { ListTaskIndex } from "@hwbp/list";
import {
  assertRejects,
  assertRejectsUnchanged,
  STRATEGIES,
} from "../../testing/constraint_assertions.ts";
import {
  ARCH_PROFILES,
  BreakpointConstraints,
  type BreakpointHandle,
  type BreakpointSpec,
  createTaskBreakpoint,
  getIndexEntry,
} from "./mod.ts";
import { ChainedHashTaskIndex } from "@hwbp/chained-hash";
import { RhlTableTaskIndex } from "@hwbp/rhltable";

const INDEXES = [ListTaskIndex, ChainedHashTaskIndex, RhlTableTaskIndex];

function machine(index = new ListTaskIndex()): BreakpointConstraints {
  return new BreakpointConstraints({ cpus: 2, slots: 4, index });
}

Deno.test("B1: a second engine refuses an index another engine took", () => {
  const index = new ListTaskIndex();
  const first = machine(index);
  const bp = first.reserve({ task: 1, type: "w" });
  assertRejects(
    () => machine(index),
    "EINVAL",
    'index "list" already belongs to another engine',
  );
  // Even once the first engine is idle again: the index is its for life.
  first.release(bp);
  assert.equal(index.size, 0);
  assertRejects(() => machine(index), "EINVAL", "already belongs");
  // The first engine is untouched and keeps working.
  first.reserve({ task: 1, type: "w" });
  assert.equal(first.verify(), null);
});

Deno.test("B1: a constructor that fails does not claim the index", () => {
  const index = new ListTaskIndex();
  assertRejects(
    () => new BreakpointConstraints({ cpus: 0, slots: 4, index }),
    "EINVAL",
    "cpus 0",
  );
  assertRejects(
    () =>
      new BreakpointConstraints({ cpus: 2, slots: 4, index, onlineCpus: [5] }),
    "EINVAL",
    "online cpu 5",
  );
  assert.equal(machine(index).index, index);
});

for (const strategy of STRATEGIES) {
  Deno.test(`B2 (${strategy}): a released handle made to look live cannot release twice`, () => {
    const hw = new BreakpointConstraints({
      cpus: 2,
      ...ARCH_PROFILES.x86_64,
      index: new ListTaskIndex(),
      strategy,
    });
    const victim = hw.reserve({ task: 1, type: "w" });
    const released = hw.reserve({ task: 1, type: "w" });
    hw.release(released);
    assert.throws(() => {
      (released as { live: boolean }).live = true;
    }, TypeError);
    // Shadowing the getter with an own property fools no one.
    Object.defineProperty(released, "live", { value: true });
    assert.equal(released.live, true);
    assertRejectsUnchanged(
      hw,
      () => hw.release(released),
      "ENOENT",
      "already released",
    );
    assert.equal(victim.live, true);
    assert.equal(hw.index.size, 1);
  });

  Deno.test(`B2 (${strategy}): a weight, type or target written on a handle changes nothing`, () => {
    const hw = new BreakpointConstraints({
      cpus: 2,
      slots: 4,
      index: new ListTaskIndex(),
      strategy,
    });
    const bp = hw.reserve({ task: 1, cpu: 1, type: "w", weight: 2 });
    for (
      const [key, value] of Object.entries({
        weight: 4,
        cpu: 0,
        task: 9,
        type: "x",
      })
    ) {
      assert.throws(() => {
        (bp as unknown as Record<string, unknown>)[key] = value;
      }, TypeError);
      Object.defineProperty(bp, key, { value });
    }
    hw.release(bp);
    assert.equal(hw.isUsed(), false);
    assert.equal(hw.verify(), null);
    for (const row of hw.snapshot().tskPinned.flat(2)) assert.equal(row, 0);
  });
}

Deno.test("B2: the handle is the index's record, with no own state and a frozen class", () => {
  const hw = machine();
  const bp = hw.reserve({ task: 1, type: "rw" });
  const stored = [...hw.index] as unknown[];
  assert.equal(stored.length, 1);
  assert.equal(stored[0], bp);
  assert.equal("indexEntry" in bp, false);
  assert.deepEqual(Reflect.ownKeys(bp), []);
  assert.ok(Object.isFrozen(Object.getPrototypeOf(bp)));
  assert.ok(Object.isFrozen(bp.constructor));
  // The index's entry is reachable only through getIndexEntry().
  assert.notEqual(getIndexEntry([...hw.index][0]!), null);
});

for (const strategy of STRATEGIES) {
  for (const Index of INDEXES) {
    Deno.test(`B2 (${strategy}, ${new Index().name}): own properties and a swapped prototype on a handle change nothing the engine or its index believes`, () => {
      const hw = new BreakpointConstraints({
        cpus: 2,
        slots: 4,
        index: new Index(),
        strategy,
      });
      const bp = hw.reserve({ task: 1, cpu: 1, type: "w", weight: 2 });
      const other = hw.reserve({ task: 1, type: "w" });
      const before = hw.snapshot();
      for (
        const [key, value] of Object.entries({
          task: 9,
          cpu: 0,
          slot: 0,
          weight: 4,
          type: "x",
          live: false,
          indexEntry: {},
        })
      ) {
        Object.defineProperty(bp, key, { value, configurable: true });
      }
      assert.equal(bp.task, 9); // the caller fooled itself only
      Object.setPrototypeOf(other, { task: 7, weight: 3, cpu: 1, slot: 0 });
      assert.deepEqual(hw.snapshot(), before);
      assert.equal(hw.verify(), null);
      // Task 1 still holds 3 of its 4 slots on cpu 1: one more fits, two do not.
      assertRejectsUnchanged(
        hw,
        () => hw.reserve({ task: 1, cpu: 1, type: "w", weight: 2 }),
        "ENOSPC",
        "3 of 4 are taken on cpu 1",
      );
      hw.release(bp);
      hw.release(other);
      assert.equal(hw.index.size, 0);
      assert.equal(hw.isUsed(), false);
      assert.equal(hw.verify(), null);
    });
  }
}

Deno.test("B2: records the index yields cannot be written either", () => {
  const hw = machine();
  hw.reserve({ task: 1, type: "w" });
  for (const record of hw.index) {
    for (const key of ["task", "cpu", "slot", "weight"]) {
      assert.throws(() => {
        (record as unknown as Record<string, unknown>)[key] = 5;
      }, TypeError);
    }
    // The entry is no property: writing one leaves the index's own alone.
    const entry = getIndexEntry(record);
    (record as unknown as { indexEntry: unknown }).indexEntry = null;
    assert.equal(getIndexEntry(record), entry);
  }
  assert.equal(hw.verify(), null);
});

Deno.test("B2: no handle made outside the engine passes for a live one", () => {
  const hw = machine();
  const bp = hw.reserve({ task: 1, type: "rw" });
  // The class makes records, as createTaskBreakpoint() does, never live ones:
  // only the engine sets a record's owner.
  const Ctor = bp.constructor as new () => BreakpointHandle;
  const fresh = new Ctor();
  assert.equal(fresh.live, false);
  assertRejectsUnchanged(
    hw,
    () => hw.release(fresh),
    "ENOENT",
    "was already released",
  );
  assert.throws(
    () => {
      class Impostor extends (Ctor as new () => object) {
        override toString(): string {
          return "impostor";
        }
      }
      hw.release(new Impostor() as BreakpointHandle);
    },
    (error) =>
      error instanceof Error && /ENOENT|already released/.test(String(error)),
  );
  const lookalike = Object.create(Object.getPrototypeOf(bp));
  assertRejectsUnchanged(
    hw,
    () => hw.release(lookalike),
    "EINVAL",
    "an object is not a breakpoint handle",
  );
  assert.throws(() => lookalike.task, TypeError);
  // A breakpoint made for testing an index is never live in an engine.
  const made = createTaskBreakpoint({ task: 1 });
  assertRejectsUnchanged(
    hw,
    () => hw.release(made as unknown as BreakpointHandle),
    "ENOENT",
    'handle "rw" on task 1',
  );
});

Deno.test("B2: nothing reachable from a handle or its class changes the engine's books", () => {
  const hw = machine();
  const bp = hw.reserve({ task: 1, cpu: 1, type: "rw", weight: 2 });
  const before = hw.snapshot();
  const fields = Deno.inspect(bp);
  // Every function reachable from the handle, its prototype and its class,
  // called with the handle, must leave the books and the handle as they were.
  const holders = [bp, Object.getPrototypeOf(bp), bp.constructor];
  for (const holder of holders) {
    for (const key of Reflect.ownKeys(holder)) {
      const descriptor = Object.getOwnPropertyDescriptor(holder, key)!;
      for (const fn of [descriptor.value, descriptor.get]) {
        if (typeof fn !== "function" || fn === bp.constructor) continue;
        for (const self of [holder, bp]) {
          try {
            fn.call(self, bp, {}, () => "");
          } catch {
            // Refusing is fine; changing something is not.
          }
        }
      }
    }
  }
  assert.deepEqual(hw.snapshot(), before);
  assert.equal(Deno.inspect(bp), fields);
  assert.equal(hw.verify(), null);
});

/** A spec whose every read is counted; `type` answers "x", then "rw". */
function countingSpec(
  fields: Record<string, unknown>,
  reads: Map<string, number>,
): BreakpointSpec {
  let typeReads = 0;
  return new Proxy(fields, {
    get(target, key, receiver) {
      reads.set(String(key), (reads.get(String(key)) ?? 0) + 1);
      if (key === "type") return typeReads++ === 0 ? "x" : "rw";
      return Reflect.get(target, key, receiver);
    },
  }) as unknown as BreakpointSpec;
}

const SPEC_FIELDS = [
  "address",
  "cpu",
  "disabled",
  "inherit",
  "length",
  "task",
  "type",
  "weight",
];

Deno.test("B3: reserve() reads each spec field once, so a flipping type cannot cross pools", () => {
  const hw = new BreakpointConstraints({
    cpus: 1,
    slots: { inst: 2, data: 2 },
    index: new ListTaskIndex(),
  });
  const reads = new Map<string, number>();
  const bp = hw.reserve(
    countingSpec({ task: 1, address: 8, length: 8 }, reads),
  );
  assert.deepEqual([...reads.keys()].sort(), SPEC_FIELDS);
  for (const [key, count] of reads) assert.equal(count, 1, key);
  assert.equal(bp.type, "x");
  // In the instruction pool, and only there.
  assert.deepEqual(hw.snapshot().tskPinnedAll, [[1, 0], [0, 0]]);
  assert.equal(hw.verify(), null);
});

Deno.test("B3: registerWide() reads each spec field once", () => {
  const hw = new BreakpointConstraints({
    cpus: 2,
    slots: { inst: 2, data: 2 },
    index: new ListTaskIndex(),
  });
  const reads = new Map<string, number>();
  const wide = hw.registerWide(countingSpec({ weight: 2 }, reads));
  assert.deepEqual([...reads.keys()].sort(), SPEC_FIELDS);
  for (const [key, count] of reads) assert.equal(count, 1, key);
  assert.deepEqual(wide.map((h) => h.type), ["x", "x"]);
  assert.deepEqual(hw.snapshot().cpuPinned, [[2, 2], [0, 0]]);
});

Deno.test("B4: an explicit null cpu or weight is EINVAL, a null task means CPU-pinned", () => {
  const hw = machine();
  hw.reserve({ task: 1, type: "w" });
  assertRejectsUnchanged(
    hw,
    () =>
      hw.reserve(
        { task: 1, type: "w", cpu: null } as unknown as BreakpointSpec,
      ),
    "EINVAL",
    "cpu null is not a cpu id: leave cpu out for the default (-1, every cpu)",
  );
  assertRejectsUnchanged(
    hw,
    () =>
      hw.reserve(
        { task: 1, type: "w", weight: null } as unknown as BreakpointSpec,
      ),
    "EINVAL",
    "weight null is not a weight: leave weight out for the default (1)",
  );
  const pinned = hw.reserve({ task: null, cpu: 1, type: "w" });
  assert.deepEqual([pinned.task, pinned.cpu], [null, 1]);
});

Deno.test("Handles report a -0 cpu or task as 0", () => {
  const hw = machine();
  const bp = hw.reserve({ task: -0, cpu: -0, type: "w", inherit: true });
  assert.ok(Object.is(bp.task, 0));
  assert.ok(Object.is(bp.cpu, 0));
  const [child] = hw.inherit(-0, 5);
  assert.ok(Object.is(child!.task, 5));
  const pinned = hw.reserve({ cpu: -0, type: "x" });
  assert.ok(Object.is(pinned.cpu, 0));
});

Deno.test("B3: dbgReserve() reads each spec field once", () => {
  const hw = new BreakpointConstraints({
    cpus: 1,
    slots: { inst: 2, data: 2 },
    index: new ListTaskIndex(),
  });
  const reads = new Map<string, number>();
  const bp = hw.dbgReserve(countingSpec({ cpu: 0 }, reads));
  assert.deepEqual([...reads.keys()].sort(), SPEC_FIELDS);
  for (const [key, count] of reads) assert.equal(count, 1, key);
  assert.equal(bp.type, "x");
  assert.deepEqual(hw.snapshot().cpuPinned, [[1], [0]]);
});

Deno.test("Handles show their fields when inspected", () => {
  const hw = machine();
  const bp = hw.reserve({ task: 1, type: "w", address: 0x10 });
  const shown = Deno.inspect(bp);
  assert.match(shown, /^BreakpointHandle \{/);
  for (
    const part of [
      "task: 1",
      "cpu: -1",
      'type: "w"',
      "live: true",
      "address: 16n",
    ]
  ) {
    assert.ok(shown.includes(part), `${shown} should show ${part}`);
  }
  hw.release(bp);
  assert.ok(Deno.inspect(bp).includes("live: false"));
});
