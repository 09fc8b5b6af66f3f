import { getIndexEntry, type TaskBreakpoint } from "@hwbp/core";
import assert from "node:assert/strict";
import { ChainedHashTaskIndex } from "./chained_hash_task_index.ts";
import {
  taskBreakpoint as breakpoint,
  visitAll,
} from "../../testing/task_index_helpers.ts";

/** The CPUs of a task's breakpoints, in the order the index visits them. */
function cpusOf(index: ChainedHashTaskIndex, task: number): number[] {
  return visitAll(index, task).map((bp) => bp.cpu);
}

Deno.test("ChainedHashTaskIndex starts with 64 buckets unless told otherwise", () => {
  assert.equal(new ChainedHashTaskIndex().bucketCount, 64);
  assert.equal(new ChainedHashTaskIndex({}).bucketCount, 64);
  for (const initialBuckets of [1, 2, 1024, 2 ** 20]) {
    assert.equal(
      new ChainedHashTaskIndex({ initialBuckets }).bucketCount,
      initialBuckets,
    );
  }
});

Deno.test("ChainedHashTaskIndex rejects an initialBuckets that is not a power of two", () => {
  for (
    const [value, shown] of [
      [0, "0"],
      [-4, "-4"],
      [3, "3"],
      [48, "48"],
      [1.5, "1.5"],
      [NaN, "NaN"],
      [Infinity, "Infinity"],
      [2 ** 31, "2147483648"],
    ] as const
  ) {
    assert.throws(() => new ChainedHashTaskIndex({ initialBuckets: value }), {
      name: "RangeError",
      message:
        `Cannot create chained-hash index: initialBuckets ${shown} is not a power of two from 1 to 2^30`,
    });
  }
  assert.throws(
    () =>
      new ChainedHashTaskIndex({ initialBuckets: "64" as unknown as number }),
    { name: "RangeError", message: /initialBuckets "64" is not/ },
  );
});

Deno.test("ChainedHashTaskIndex doubles once its entries outnumber its buckets", () => {
  const index = new ChainedHashTaskIndex({ initialBuckets: 4 });
  const bps: TaskBreakpoint[] = [];
  for (let i = 0; i < 4; i++) bps.push(breakpoint(7, i));
  for (const bp of bps) index.insert(bp);
  assert.deepEqual(index.stats(), { buckets: 4, longestChain: 4, grows: 0 });

  // Load factor 1 is allowed; the fifth entry doubles the table.
  const fifth = breakpoint(8);
  index.insert(fifth);
  assert.equal(index.bucketCount, 8);
  assert.equal(index.stats().grows, 1);
  for (let task = 100; task < 104; task++) index.insert(breakpoint(task));
  assert.deepEqual([index.bucketCount, index.stats().grows], [16, 2]);
});

Deno.test("ChainedHashTaskIndex never shrinks", () => {
  const index = new ChainedHashTaskIndex({ initialBuckets: 1 });
  const bps = Array.from({ length: 100 }, (_, task) => breakpoint(task));
  for (const bp of bps) index.insert(bp);
  assert.equal(index.bucketCount, 128);
  for (const bp of bps) index.remove(bp);
  assert.equal(index.size, 0);
  assert.deepEqual(index.stats(), { buckets: 128, longestChain: 0, grows: 7 });
});

Deno.test("ChainedHashTaskIndex visits a task's breakpoints newest first, across growth", () => {
  const index = new ChainedHashTaskIndex({ initialBuckets: 1 });
  for (let cpu = 0; cpu < 4; cpu++) {
    index.insert(breakpoint(5, cpu));
    index.insert(breakpoint(1000 + cpu));
  }
  assert.equal(index.stats().grows, 3);
  assert.deepEqual(cpusOf(index, 5), [3, 2, 1, 0]);
});

/** A task other than `task` that lands in the same of `buckets` buckets. */
function collidingTask(task: number, buckets: number): number {
  for (let other = task + 1;; other++) {
    const probe = new ChainedHashTaskIndex({ initialBuckets: buckets });
    probe.insert(breakpoint(task));
    probe.insert(breakpoint(other));
    if (probe.stats().longestChain === 2) return other;
  }
}

Deno.test("ChainedHashTaskIndex counts every chain entry it examines, other tasks' too", () => {
  const index = new ChainedHashTaskIndex({ initialBuckets: 4 });
  const neighbour = collidingTask(2, 4);
  const [a, b, c] = [breakpoint(2), breakpoint(neighbour), breakpoint(2)];
  // Newest first, the shared chain is [a, b, c].
  index.insert(c);
  index.insert(b);
  index.insert(a);
  assert.equal(index.stats().longestChain, 3);

  index.visitTask(2, { visit: () => true });
  assert.deepEqual(index.work, {
    lookups: 1,
    entriesVisited: 3,
    bucketsTouched: 1,
  });
  index.resetWork();
  index.visitTask(2, { visit: () => false });
  assert.deepEqual(index.work, {
    lookups: 1,
    entriesVisited: 1,
    bucketsTouched: 1,
  });

  index.resetWork();
  assert.equal(index.remove(c), true);
  assert.deepEqual(index.work, {
    lookups: 0,
    entriesVisited: 3,
    bucketsTouched: 1,
  });
  index.resetWork();
  assert.equal(index.remove(c), false);
  assert.deepEqual(index.work, {
    lookups: 0,
    entriesVisited: 2,
    bucketsTouched: 1,
  });
  assert.equal(index.size, 2);
});

Deno.test("ChainedHashTaskIndex leaves indexEntry alone", () => {
  const index = new ChainedHashTaskIndex();
  const bp = breakpoint(1);
  index.insert(bp);
  assert.equal(getIndexEntry(bp), null);
  index.remove(bp);
  assert.equal(getIndexEntry(bp), null);
});

Deno.test("ChainedHashTaskIndex spreads ids that differ only in their high bits", () => {
  // Strided ids, and ids that share their low 32 bits: a hash of the low
  // bits alone would put each family in a single bucket.
  for (const stride of [1, 1024, 2 ** 20, 2 ** 32, 2 ** 40]) {
    const index = new ChainedHashTaskIndex({ initialBuckets: 1024 });
    for (let i = 0; i < 1024; i++) index.insert(breakpoint(i * stride + 5));
    const { buckets, longestChain } = index.stats();
    assert.equal(buckets, 1024);
    assert.ok(
      longestChain <= 8,
      `stride ${stride}: a chain of ${longestChain}`,
    );
  }
});
