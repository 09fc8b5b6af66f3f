import assert from "node:assert/strict";
import { VirtualMutex, VirtualRwsem } from "./_virtual_locks.ts";

/** A lock's grants, recorded in order. */
function recorder(): { granted: number[]; grant: (id: number) => void } {
  const granted: number[] = [];
  return { granted, grant: (id) => granted.push(id) };
}

Deno.test("VirtualMutex has one holder at a time", () => {
  const { granted, grant } = recorder();
  const mutex = new VirtualMutex(grant);
  assert.equal(mutex.lock(1), true);
  assert.equal(mutex.lock(2), false);
  assert.equal(mutex.holder, 1);
  assert.equal(mutex.waiting, 1);
  assert.deepEqual(granted, []);
});

Deno.test("VirtualMutex hands the lock to its waiters first in, first out", () => {
  const { granted, grant } = recorder();
  const mutex = new VirtualMutex(grant);
  mutex.lock(5);
  mutex.lock(3);
  mutex.lock(9);
  mutex.lock(1);
  mutex.unlock(5);
  assert.equal(mutex.holder, 3);
  mutex.unlock(3);
  mutex.unlock(9);
  mutex.unlock(1);
  assert.deepEqual(granted, [3, 9, 1]);
  assert.equal(mutex.holder, -1);
  assert.equal(mutex.waiting, 0);
  assert.equal(mutex.lock(7), true, "free again");
});

Deno.test("VirtualMutex refuses an unlock by a non-holder", () => {
  const mutex = new VirtualMutex(() => {});
  mutex.lock(1);
  assert.throws(() => mutex.unlock(2), /2 does not hold it/);
});

Deno.test("Two VirtualMutexes (two tasks' perf_event_mutex) are independent", () => {
  const { granted, grant } = recorder();
  const task1 = new VirtualMutex(grant);
  const task2 = new VirtualMutex(grant);
  assert.equal(task1.lock(1), true);
  assert.equal(task2.lock(2), true, "another task's mutex is free");
  assert.equal(task1.lock(3), false, "the same task's mutex is not");
  task2.unlock(2);
  assert.deepEqual(granted, []);
  task1.unlock(1);
  assert.deepEqual(granted, [3]);
});

Deno.test("VirtualRwsem lets readers overlap", () => {
  const sem = new VirtualRwsem(() => {});
  assert.equal(sem.downRead(1), true);
  assert.equal(sem.downRead(2), true);
  assert.equal(sem.downRead(3), true);
  assert.equal(sem.readers, 3);
});

Deno.test("VirtualRwsem's writer excludes readers and writers", () => {
  const { granted, grant } = recorder();
  const sem = new VirtualRwsem(grant);
  assert.equal(sem.downWrite(1), true);
  assert.equal(sem.downRead(2), false);
  assert.equal(sem.downWrite(3), false);
  assert.equal(sem.downRead(4), false);
  sem.upWrite(1);
  assert.deepEqual(granted, [2], "the reader at the head, up to the writer");
  assert.equal(sem.readers, 1);
  sem.upRead();
  assert.deepEqual(granted, [2, 3]);
  assert.equal(sem.writer, 3);
  sem.upWrite(3);
  assert.deepEqual(granted, [2, 3, 4]);
  assert.equal(sem.readers, 1);
});

Deno.test("VirtualRwsem's writer waits for every reader, and blocks later readers", () => {
  const { granted, grant } = recorder();
  const sem = new VirtualRwsem(grant);
  sem.downRead(1);
  sem.downRead(2);
  assert.equal(sem.downWrite(3), false);
  assert.equal(
    sem.downRead(4),
    false,
    "a queued writer holds new readers back",
  );
  sem.upRead();
  assert.deepEqual(granted, [], "one reader is still in");
  sem.upRead();
  assert.deepEqual(granted, [3]);
  sem.upWrite(3);
  assert.deepEqual(granted, [3, 4]);
});

Deno.test("VirtualRwsem wakes every queued reader at once after a writer", () => {
  const { granted, grant } = recorder();
  const sem = new VirtualRwsem(grant);
  sem.downWrite(1);
  for (const id of [2, 3, 4]) sem.downRead(id);
  sem.upWrite(1);
  assert.deepEqual(granted, [2, 3, 4]);
  assert.equal(sem.readers, 3);
  assert.equal(sem.waiting, 0);
});

Deno.test("VirtualRwsem refuses releases nobody holds", () => {
  const sem = new VirtualRwsem(() => {});
  assert.throws(() => sem.upRead(), /no reader holds it/);
  sem.downWrite(1);
  assert.throws(() => sem.upWrite(2), /2 does not hold it/);
});
