import assert from "node:assert/strict";
import {
  ConstraintError,
  createTaskBreakpoint,
  getIndexEntry,
  getIndexKey,
  setIndexEntry,
  type TaskBreakpoint,
  type TaskBreakpointInit,
} from "./mod.ts";

Deno.test("createTaskBreakpoint() fills the defaults and reads -0 as 0", () => {
  const bp = createTaskBreakpoint({ task: -0, cpu: -0 });
  assert.deepEqual([bp.task, bp.cpu, bp.slot, bp.weight], [0, 0, 1, 1]);
  assert.ok(Object.is(bp.task, 0) && Object.is(bp.cpu, 0));
  assert.equal(getIndexKey(bp), 0);
  assert.equal(getIndexEntry(bp), null);
  const data = createTaskBreakpoint({
    task: 2 ** 40,
    cpu: 3,
    slot: 0,
    weight: 2,
  });
  assert.deepEqual([data.task, data.cpu, data.slot, data.weight], [
    2 ** 40,
    3,
    0,
    2,
  ]);
});

Deno.test("createTaskBreakpoint() refuses each bad field with EINVAL naming it", () => {
  const cases: [unknown, string][] = [
    [null, "init null must be an object"],
    [{ task: -1 }, "task -1 must be a non-negative integer"],
    [{ task: 1.5 }, "task 1.5 must be a non-negative integer"],
    [{ task: "1" }, 'task "1" must be a non-negative integer'],
    [{ task: 1, cpu: -2 }, "cpu -2 must be an integer of -1 or more"],
    [{ task: 1, slot: 2 }, "slot 2 must be 0 or 1"],
    [{ task: 1, weight: 0 }, "weight 0 must be a positive integer"],
  ];
  for (const [init, message] of cases) {
    assert.throws(
      () => createTaskBreakpoint(init as TaskBreakpointInit),
      (error) =>
        error instanceof ConstraintError && error.code === "EINVAL" &&
        error.message === `Cannot create task breakpoint: ${message}`,
      message,
    );
  }
});

Deno.test("the index accessors refuse objects that are not breakpoints", () => {
  const plain = { task: 1, cpu: -1, slot: 1, weight: 1 } as TaskBreakpoint;
  assert.throws(() => getIndexKey(plain), TypeError);
  assert.throws(() => getIndexEntry(plain), TypeError);
  assert.throws(() => setIndexEntry(plain, null), TypeError);
  // A breakpoint's entry is its own: setting one leaves another's alone.
  const a = createTaskBreakpoint({ task: 1 });
  const b = createTaskBreakpoint({ task: 1 });
  setIndexEntry(a, b);
  assert.equal(getIndexEntry(a), b);
  assert.equal(getIndexEntry(b), null);
});
