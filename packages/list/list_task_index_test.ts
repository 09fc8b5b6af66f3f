import { getIndexEntry, setIndexEntry } from "@hwbp/core";
import assert from "node:assert/strict";
import { ListTaskIndex } from "./list_task_index.ts";
import {
  taskBreakpoint as breakpoint,
  visitAll,
} from "../../testing/task_index_helpers.ts";

/** The CPUs of a task's breakpoints, in the order the index visits them. */
function tasksVisited(index: ListTaskIndex, task: number): number[] {
  return visitAll(index, task).map((bp) => bp.cpu);
}

Deno.test("ListTaskIndex keeps breakpoints in insertion order, like list_add_tail()", () => {
  const index = new ListTaskIndex();
  const bps = [
    breakpoint(1, 0),
    breakpoint(2, 0),
    breakpoint(1, 1),
    breakpoint(1, 2),
  ];
  for (const bp of bps) index.insert(bp);
  assert.deepEqual([...index], bps);
  assert.deepEqual(tasksVisited(index, 1), [0, 1, 2]);

  index.remove(bps[2]!);
  index.insert(bps[2]!);
  assert.deepEqual(tasksVisited(index, 1), [0, 2, 1]);
});

Deno.test("ListTaskIndex.remove() unlinks the head, the tail and a middle entry", () => {
  const index = new ListTaskIndex();
  const bps = Array.from({ length: 5 }, (_, i) => breakpoint(i));
  for (const bp of bps) index.insert(bp);
  assert.equal(index.remove(bps[0]!), true);
  assert.equal(index.remove(bps[4]!), true);
  assert.equal(index.remove(bps[2]!), true);
  assert.deepEqual([...index], [bps[1], bps[3]]);
  assert.equal(index.remove(bps[1]!), true);
  assert.equal(index.remove(bps[3]!), true);
  assert.deepEqual([...index], []);
  index.insert(bps[0]!);
  assert.deepEqual([...index], [bps[0]]);
});

Deno.test("ListTaskIndex.insert() refuses a breakpoint that is already in an index", () => {
  const index = new ListTaskIndex();
  const bp = breakpoint(3);
  index.insert(bp);
  const node = getIndexEntry(bp);
  assert.throws(() => index.insert(bp), {
    name: "Error",
    message:
      "Cannot insert breakpoint of task 3: it is already stored in an index",
  });
  assert.throws(() => new ListTaskIndex().insert(bp), Error);
  assert.equal(getIndexEntry(bp), node);
  assert.equal(index.size, 1);
  assert.deepEqual([...index], [bp]);
});

Deno.test("ListTaskIndex.remove() leaves a foreign indexEntry alone", () => {
  const index = new ListTaskIndex();
  index.insert(breakpoint(1));
  const entry = { owner: index };
  const bp = breakpoint(1);
  setIndexEntry(bp, entry);
  assert.equal(index.remove(bp), false);
  assert.equal(getIndexEntry(bp), entry);

  // Another breakpoint's node, copied over, is not this breakpoint's.
  const stored = breakpoint(2);
  index.insert(stored);
  const impostor = breakpoint(2);
  setIndexEntry(impostor, getIndexEntry(stored));
  assert.equal(index.remove(impostor), false);
  assert.equal(index.size, 2);
});

Deno.test("ListTaskIndex.visitTask() counts entries up to where the visitor stops", () => {
  const index = new ListTaskIndex();
  for (const task of [1, 2, 1, 2, 1]) index.insert(breakpoint(task));
  index.visitTask(2, { visit: () => false });
  assert.deepEqual(index.work, {
    lookups: 1,
    entriesVisited: 2,
    bucketsTouched: 1,
  });
  index.resetWork();
  index.visitTask(2, { visit: () => true });
  assert.deepEqual(index.work, {
    lookups: 1,
    entriesVisited: 5,
    bucketsTouched: 1,
  });
});
