import assert from "node:assert/strict";
import { getIndexEntry, type TaskIndex } from "@hwbp/core";
import { RhlTableTaskIndex } from "./mod.ts";
import {
  taskBreakpoint as bp,
  visitAll as visit,
} from "../../testing/task_index_helpers.ts";

// The behaviour every TaskIndex shares is tested once for all of them, in
// testing/task_index_suite.ts; these tests cover what is particular to
// this one.

Deno.test("RhlTableTaskIndex is a TaskIndex named rhltable that needs no arguments", () => {
  const index: TaskIndex = new RhlTableTaskIndex();
  assert.equal(index.name, "rhltable");
  assert.equal(index.size, 0);
  assert.deepEqual(index.work, {
    lookups: 0,
    entriesVisited: 0,
    bucketsTouched: 0,
  });
  assert.deepEqual([...index], []);
});

Deno.test("RhlTableTaskIndex passes its options to the table", async (t) => {
  await t.step("sizeHint sizes the first table", () => {
    const index = new RhlTableTaskIndex({ sizeHint: 10_000 });
    assert.equal(index.stats().bucketCount, 16_384);
  });

  await t.step("seed makes the layout reproducible", () => {
    function order(seed: number): number[] {
      const index = new RhlTableTaskIndex({ seed });
      for (let task = 0; task < 200; task++) index.insert(bp(task));
      return [...index].map((b) => b.task);
    }
    assert.deepEqual(order(1), order(1));
    assert.notDeepEqual(order(1), order(2));
  });

  await t.step("automaticShrinking: false keeps the table large", () => {
    const index = new RhlTableTaskIndex({ automaticShrinking: false });
    const bps = Array.from({ length: 1000 }, (_, task) => bp(task));
    for (const b of bps) index.insert(b);
    for (const b of bps) index.remove(b);
    assert.equal(index.stats().bucketCount, 2048);
    assert.equal(index.stats().shrinks, 0);
  });

  await t.step("bad options are refused with the table's errors", () => {
    assert.throws(() => new RhlTableTaskIndex({ sizeHint: -1 }), {
      name: "RangeError",
      message:
        "Cannot create RhlTable: sizeHint -1 is not an integer in 0..2147483648",
    });
    assert.throws(
      () => new RhlTableTaskIndex({ seed: "x" as unknown as number }),
      {
        name: "TypeError",
        message: 'Cannot create RhlTable: seed must be a number, got "x"',
      },
    );
  });
});

Deno.test("RhlTableTaskIndex.visitTask() walks a task's breakpoints newest first", () => {
  const index = new RhlTableTaskIndex({ seed: 3 });
  const bps = [bp(9, 0), bp(9, 1), bp(4), bp(9, 2)];
  for (const b of bps) index.insert(b);
  assert.deepEqual(visit(index, 9), [bps[3], bps[1], bps[0]]);
  assert.deepEqual(visit(index, 9, 2), [bps[3], bps[1]]);
  assert.deepEqual(visit(index, 5), []);
  assert.equal(index.stats().keyCount, 2);
  assert.equal(index.size, 4);
});

Deno.test("RhlTableTaskIndex counts the chain entries and breakpoints a lookup examines", async (t) => {
  const index = new RhlTableTaskIndex({ seed: 4 });
  const perTask = 3;
  for (let task = 0; task < 2000; task++) {
    for (let i = 0; i < perTask; i++) index.insert(bp(task, i));
  }

  await t.step("each breakpoint reached after the first counts once", () => {
    for (let task = 0; task < 2000; task++) {
      index.resetWork();
      visit(index, task, 1);
      const first = { ...index.work };
      index.resetWork();
      visit(index, task);
      const all = { ...index.work };
      assert.equal(first.lookups, 1);
      assert.equal(all.lookups, 1);
      assert.ok(first.entriesVisited >= 1);
      assert.equal(all.entriesVisited - first.entriesVisited, perTask - 1);
      assert.equal(all.bucketsTouched, first.bucketsTouched);
    }
  });

  await t.step("other tasks' keys in the same chain count too", () => {
    index.resetWork();
    for (let task = 0; task < 2000; task++) visit(index, task, 1);
    const { lookups, entriesVisited, bucketsTouched } = index.work;
    assert.equal(lookups, 2000);
    assert.equal(bucketsTouched, 2000);
    // 2000 keys in 4096 buckets: some chains hold more than one key.
    assert.ok(entriesVisited > lookups);
    assert.ok(entriesVisited / lookups <= 2);
  });

  await t.step("a lookup of an absent task touches one bucket", () => {
    index.resetWork();
    visit(index, 1_000_000);
    assert.equal(index.work.lookups, 1);
    assert.equal(index.work.bucketsTouched, 1);
  });

  await t.step("removals count their walk but not as lookups", () => {
    const extra = bp(7, 9);
    index.insert(extra);
    index.resetWork();
    assert.ok(index.remove(extra));
    assert.equal(index.work.lookups, 0);
    assert.equal(index.work.bucketsTouched, 1);
    assert.ok(index.work.entriesVisited >= 1);
  });

  await t.step("an insert's own chain walk is not counted", () => {
    index.resetWork();
    index.insert(bp(123_456));
    assert.deepEqual(index.work, {
      lookups: 0,
      entriesVisited: 0,
      bucketsTouched: 0,
    });
  });

  await t.step("the work object is live", () => {
    const work = index.work;
    index.resetWork();
    visit(index, 1);
    assert.equal(work.lookups, 1);
  });
});

Deno.test("RhlTableTaskIndex keeps lookups O(1) while 30,000 tasks come and go", () => {
  const index = new RhlTableTaskIndex({ seed: 5 });
  const bps = Array.from({ length: 30_000 }, (_, task) => bp(task * 17));
  for (const b of bps) index.insert(b);
  index.resetWork();
  for (const b of bps) assert.equal(visit(index, b.task).length, 1);
  assert.ok(index.work.entriesVisited / index.work.lookups <= 4);
  for (const b of bps) assert.ok(index.remove(b));
  assert.equal(index.size, 0);
  assert.equal(index.stats().bucketCount, 4);
});

Deno.test("RhlTableTaskIndex counts the buckets incremental migration moves in bucketsTouched", () => {
  const index = new RhlTableTaskIndex({ seed: 6 });
  const bps = Array.from({ length: 49 }, (_, task) => bp(task));
  for (const b of bps.slice(0, 48)) index.insert(b);
  index.resetWork();
  // The 49th task starts a grow of 64 buckets; each later insert or
  // removal moves 16 of them.
  index.insert(bps[48]!);
  assert.equal(index.work.bucketsTouched, 0);
  index.insert(bp(1000));
  assert.equal(index.work.bucketsTouched, 16);
  assert.ok(index.remove(bps[0]!));
  assert.equal(index.work.bucketsTouched, 16 + 16 + 1);
  index.insert(bp(1001));
  index.insert(bp(1002));
  assert.equal(index.work.bucketsTouched, 64 + 1);
  assert.equal(index.stats().migrating, false);
  assert.equal(index.work.lookups, 0);
});

Deno.test("RhlTableTaskIndex with a seed counts the same work in every run", () => {
  function run(): unknown {
    const index = new RhlTableTaskIndex({ seed: 7 });
    const bps = Array.from({ length: 5000 }, (_, i) => bp(i % 3000, i % 4));
    for (const b of bps) index.insert(b);
    for (let task = 0; task < 3000; task += 2) visit(index, task);
    for (const b of bps) assert.ok(index.remove(b));
    return { ...index.work };
  }
  const work = run();
  assert.deepEqual(run(), work);
  // Pinned: the same in every process and on every machine.
  assert.deepEqual(work, PINNED_INDEX_WORK);
});

const PINNED_INDEX_WORK = {
  lookups: 1500,
  entriesVisited: 11_568,
  bucketsTouched: 18_708,
};

Deno.test("RhlTableTaskIndex allocates one table node per task: the breakpoints link themselves", () => {
  const index = new RhlTableTaskIndex({ seed: 5 });
  // Enough tasks to grow the table several times while the links hold.
  const bps = Array.from({ length: 4000 }, (_, i) => bp(i >> 2, i & 3));
  for (const b of bps) index.insert(b);
  const stats = index.stats();
  assert.equal(stats.keyCount, 1000);
  assert.equal(stats.nodesAllocated, 1000);
  assert.ok(stats.grows > 0);
  assert.equal(index.size, 4000);
  // Each task's breakpoints, newest first, through their own links.
  assert.deepEqual(visit(index, 7), [bps[31], bps[30], bps[29], bps[28]]);
  // Removing from the middle, the head and the tail of a task's list.
  assert.ok(index.remove(bps[29]!));
  assert.ok(index.remove(bps[31]!));
  assert.ok(index.remove(bps[28]!));
  assert.deepEqual(visit(index, 7), [bps[30]]);
  for (const b of [bps[29]!, bps[31]!, bps[28]!]) {
    assert.equal(getIndexEntry(b), null);
  }
  assert.ok(index.remove(bps[30]!));
  assert.equal(index.stats().keyCount, 999);
  assert.deepEqual(visit(index, 7), []);
  assert.equal(index.stats().nodesAllocated, 1000);
});
