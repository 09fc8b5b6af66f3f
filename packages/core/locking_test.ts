import assert from "node:assert/strict";
import { ListTaskIndex } from "@hwbp/list";
import {
  ACCOUNTING_STRATEGIES,
  BreakpointConstraints,
  ConstraintError,
  type ConstraintErrorCode,
  LOCKING_DISCIPLINES,
  type LockingDiscipline,
} from "./mod.ts";

function machine(locking?: LockingDiscipline): BreakpointConstraints {
  return new BreakpointConstraints({
    cpus: 4,
    slots: 4,
    sharedSlots: true,
    index: new ListTaskIndex(),
    ...(locking === undefined ? {} : { locking }),
  });
}

function throwsCode(
  fn: () => unknown,
  code: ConstraintErrorCode,
  message?: RegExp,
): void {
  assert.throws(fn, (error) => {
    assert.ok(error instanceof ConstraintError, String(error));
    assert.equal(error.code, code, error.message);
    if (message) assert.match(error.message, message);
    return true;
  });
}

Deno.test("the default discipline is rwsem, as Linux v6.1", () => {
  assert.equal(machine().locking, "rwsem");
  assert.deepEqual(LOCKING_DISCIPLINES, ["mutex", "rwsem"]);
  for (const locking of LOCKING_DISCIPLINES) {
    assert.equal(machine(locking).locking, locking);
  }
});

Deno.test("an unknown discipline is rejected with EINVAL naming it", () => {
  throwsCode(
    () =>
      new BreakpointConstraints({
        cpus: 1,
        slots: 1,
        index: new ListTaskIndex(),
        locking: "spinlock" as LockingDiscipline,
      }),
    "EINVAL",
    /^Cannot create constraints: unknown locking "spinlock" \(expected "mutex" or "rwsem"\)$/,
  );
});

Deno.test("locksFor() lists what bp_constraints_lock() takes, in order", () => {
  const mutex = machine("mutex");
  assert.deepEqual(mutex.locksFor(3), [
    { lock: "nr_bp_mutex", mode: "exclusive" },
  ]);
  assert.deepEqual(mutex.locksFor(null), [
    { lock: "nr_bp_mutex", mode: "exclusive" },
  ]);
  const rwsem = machine("rwsem");
  assert.deepEqual(rwsem.locksFor(3), [
    { lock: "perf_event_mutex", task: 3, mode: "exclusive" },
    { lock: "bp_cpuinfo_sem", mode: "read" },
  ]);
  assert.deepEqual(rwsem.locksFor(null), [
    { lock: "bp_cpuinfo_sem", mode: "write" },
  ]);
  assert.ok(Object.isFrozen(rwsem.locksFor(3)));
});

Deno.test("locksFor(), lock() and isLocked() reject a malformed task", () => {
  const hw = machine();
  for (const task of [-1, 1.5, NaN, "3", undefined]) {
    throwsCode(
      () => hw.locksFor(task as number),
      "EINVAL",
      /^Cannot list locks: task .* must be a non-negative integer or null$/,
    );
    throwsCode(
      () => hw.lock(task as number),
      "EINVAL",
      /^Cannot lock constraints: task/,
    );
  }
  throwsCode(() => hw.isLocked(-2), "EINVAL", /^Cannot test locks: task -2/);
  assert.equal(hw.isLocked(), false);
});

Deno.test("a guard holds its locks until unlock(), and unlocks once", () => {
  const hw = machine();
  const guard = hw.lock(5);
  assert.equal(guard.task, 5);
  assert.deepEqual(guard.locks, hw.locksFor(5));
  assert.equal(guard.held, true);
  assert.equal(hw.isLocked(), true);
  guard.unlock();
  assert.equal(guard.held, false);
  assert.equal(hw.isLocked(), false);
  throwsCode(
    () => guard.unlock(),
    "EINVAL",
    /^Cannot unlock constraints: the guard for task 5 was already unlocked$/,
  );
  assert.equal(hw.isLocked(), false);
});

Deno.test("rwsem: tasks lock in parallel; a CPU-pinned lock excludes everyone", () => {
  const hw = machine("rwsem");
  const a = hw.lock(1);
  const b = hw.lock(2);
  throwsCode(
    () => hw.lock(1),
    "EDEADLK",
    /^Cannot lock constraints: perf_event_mutex of task 1 is held, and in one thread the wait would never end$/,
  );
  throwsCode(
    () => hw.lock(null),
    "EDEADLK",
    /bp_cpuinfo_sem is read-locked by 2 task\(s\)/,
  );
  a.unlock();
  b.unlock();
  const pinned = hw.lock(null);
  throwsCode(() => hw.lock(1), "EDEADLK", /bp_cpuinfo_sem is write-locked/);
  throwsCode(() => hw.lock(null), "EDEADLK", /bp_cpuinfo_sem is write-locked/);
  pinned.unlock();
  hw.lock(1).unlock();
  assert.equal(hw.isLocked(), false);
});

Deno.test("mutex: one nr_bp_mutex serialises everything", () => {
  const hw = machine("mutex");
  const guard = hw.lock(1);
  for (const task of [1, 2, null]) {
    throwsCode(() => hw.lock(task), "EDEADLK", /nr_bp_mutex is held/);
    assert.equal(hw.isLocked(task), true);
  }
  guard.unlock();
  assert.equal(hw.isLocked(1), false);
});

Deno.test("isLocked(task) is bp_constraints_is_locked() for that breakpoint", () => {
  const hw = machine("rwsem");
  const guard = hw.lock(1);
  assert.equal(hw.isLocked(), true);
  assert.equal(hw.isLocked(1), true); // its perf_event_mutex
  assert.equal(hw.isLocked(2), false); // only the read side is taken
  assert.equal(hw.isLocked(null), true); // read-locked
  guard.unlock();
  const pinned = hw.lock(null);
  assert.equal(hw.isLocked(2), true); // write-locked
  assert.equal(hw.isLocked(null), true);
  pinned.unlock();
  assert.equal(hw.isLocked(null), false);
});

Deno.test("reserve, release and modify that need a held lock throw EDEADLK and change nothing", () => {
  const hw = machine("rwsem");
  const mine = hw.reserve({ task: 1, type: "w" });
  const pinned = hw.reserve({ cpu: 0, type: "x" });
  const before = hw.snapshot();
  const guard = hw.lock(1);
  throwsCode(
    () => hw.reserve({ task: 1, type: "w" }),
    "EDEADLK",
    /^Cannot reserve breakpoint: perf_event_mutex of task 1 is held/,
  );
  throwsCode(
    () => hw.release(mine),
    "EDEADLK",
    /^Cannot release breakpoint: perf_event_mutex of task 1 is held/,
  );
  throwsCode(
    () => hw.modify(mine, "x"),
    "EDEADLK",
    /^Cannot modify breakpoint: perf_event_mutex of task 1 is held/,
  );
  throwsCode(
    () => hw.reserve({ cpu: 1, type: "w" }),
    "EDEADLK",
    /^Cannot reserve breakpoint: bp_cpuinfo_sem is read-locked/,
  );
  throwsCode(() => hw.release(pinned), "EDEADLK", /read-locked/);
  assert.deepEqual(hw.snapshot(), before);
  assert.equal(mine.live, true);
  assert.equal(pinned.live, true);
  // Another task takes its own mutex and the read side: it runs.
  const other = hw.reserve({ task: 2, type: "w" });
  hw.modify(other, "x");
  hw.release(other);
  // Same type: modify_user_hw_breakpoint_check() takes no lock.
  hw.modify(mine, "w");
  guard.unlock();
  hw.release(mine);
  hw.release(pinned);
  assert.equal(hw.isUsed(), false);
  assert.equal(hw.verify(), null);
});

Deno.test("dbgReserve() and dbgRelease() fail with EBUSY while locked, changing nothing", () => {
  for (const locking of LOCKING_DISCIPLINES) {
    const hw = machine(locking);
    const held = hw.reserve({ task: 1, type: "w" });
    const before = hw.snapshot();
    const guard = hw.lock(1);
    throwsCode(
      () => hw.dbgReserve({ task: 1, type: "w" }),
      "EBUSY",
      /^Cannot reserve breakpoint: the constraints are locked \(.*\) and the debugger never waits$/,
    );
    throwsCode(
      () => hw.dbgRelease(held),
      "EBUSY",
      /^Cannot release breakpoint/,
    );
    throwsCode(() => hw.dbgReserve({ cpu: 2, type: "x" }), "EBUSY");
    assert.deepEqual(hw.snapshot(), before);
    assert.equal(held.live, true);
    guard.unlock();
    // A failed debugger call leaves the waiting entries waiting.
    const again = hw.lock(1);
    throwsCode(() => hw.reserve({ task: 1, type: "w" }), "EDEADLK");
    again.unlock();
  }
});

Deno.test("dbgReserve() goes ahead where the kernel's lock test lets it", () => {
  // Under rwsem a task-bound guard holds one task's mutex and the read
  // side: bp_constraints_is_locked() is false for another task's breakpoint.
  const hw = machine("rwsem");
  const guard = hw.lock(1);
  const other = hw.dbgReserve({ task: 2, type: "w" });
  assert.equal(other.live, true);
  hw.dbgRelease(other);
  assert.equal(other.live, false);
  guard.unlock();
  // Under the mutex, any guard blocks every debugger call.
  const mutex = machine("mutex");
  const held = mutex.lock(1);
  throwsCode(() => mutex.dbgReserve({ task: 2, type: "w" }), "EBUSY");
  held.unlock();
});

Deno.test("dbgReserve() and dbgRelease() succeed when unlocked, on every strategy", () => {
  for (const strategy of ACCOUNTING_STRATEGIES) {
    const hw = new BreakpointConstraints({
      cpus: 2,
      slots: 1,
      index: new ListTaskIndex(),
      strategy,
    });
    const bp = hw.dbgReserve({ task: 4, type: "rw" });
    throwsCode(() => hw.dbgReserve({ task: 4, type: "w" }), "ENOSPC");
    throwsCode(
      () => hw.dbgReserve({ task: 4, type: "bad" as "w" }),
      "EINVAL",
    );
    hw.dbgRelease(bp);
    throwsCode(() => hw.dbgRelease(bp), "ENOENT");
    assert.equal(hw.isUsed(), false);
    assert.equal(hw.verify(), null);
  }
});
