// The task index's table keeps its nodes in typed arrays, RhlTable its in
// objects; both follow one set of rules (sizes, thresholds, seeds,
// migration steps, flooding defence). These tests run the two side by side
// on the same keys and seed and require the same decisions at every step.
import assert from "node:assert/strict";
import type { TaskBreakpoint } from "@hwbp/core";
import { hashKey, RhlTable, RhlTableTaskIndex } from "./mod.ts";
import type { RhlTableStats } from "./rhl_table_types.ts";
import { parseOptions } from "./_options.ts";
import { NO_NODE, TaskSlab } from "./_task_slab.ts";
import { TaskTable } from "./_task_table.ts";
import {
  taskBreakpoint as bp,
  visitAll as visit,
} from "../../testing/task_index_helpers.ts";

/** The stats both tables must agree on: all but what each allocates. */
function shape(stats: RhlTableStats): Partial<RhlTableStats> {
  const { nodesAllocated: _n, bucketArraysAllocated: _b, ...rest } = stats;
  return rest;
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** An index and an RhlTable fed the same operations. */
class Pair {
  readonly index: RhlTableTaskIndex;
  readonly table: RhlTable<number, TaskBreakpoint>;
  readonly live: TaskBreakpoint[] = [];
  constructor(seed: number, sizeHint = 0) {
    this.index = new RhlTableTaskIndex({ seed, sizeHint });
    this.table = new RhlTable({ seed, sizeHint });
  }
  insert(b: TaskBreakpoint): void {
    this.index.insert(b);
    this.table.insert(b.task, b);
    this.live.push(b);
  }
  removeAt(at: number): void {
    const b = this.live[at]!;
    this.live[at] = this.live[this.live.length - 1]!;
    this.live.pop();
    assert.ok(this.index.remove(b));
    assert.ok(this.table.remove(b.task, b));
  }
  check(task: number, step: number): void {
    assert.deepEqual(
      shape(this.index.stats()),
      shape(this.table.stats()),
      `step ${step}`,
    );
    assert.equal(this.index.size, this.table.size);
    assert.deepEqual(visit(this.index, task), [...this.table.values(task)]);
  }
}

Deno.test("the task index's table grows, shrinks and migrates as RhlTable does", () => {
  for (const seed of [1, 2, 3]) {
    const next = random(seed);
    const pair = new Pair(seed);
    let task = 0;
    // Waves of new tasks come and go, as in the perf bench, with some
    // wider task ids and some tasks holding several breakpoints.
    for (let step = 0; step < 12_000; step++) {
      const wave = Math.floor(step / 1_000) % 2 === 0;
      if (pair.live.length === 0 || (wave && next() < 0.7)) {
        const t = next() < 0.1 ? 2 ** 40 + task : task;
        const copies = 1 + Math.floor(next() * 3);
        for (let i = 0; i < copies; i++) pair.insert(bp(t, i));
        task++;
        pair.check(t, step);
      } else {
        const at = Math.floor(next() * pair.live.length);
        const t = pair.live[at]!.task;
        pair.removeAt(at);
        pair.check(t, step);
      }
    }
    const stats = pair.index.stats();
    assert.ok(stats.grows > 5 && stats.shrinks > 5, JSON.stringify(stats));
  }
});

Deno.test("the task index's table rehashes a flooded chain as RhlTable does", () => {
  const seed = 11;
  const pair = new Pair(seed, 64);
  // 17 tasks that all land in one bucket of the 128-bucket table (found by
  // hashing candidates with the table's own seed): the 17th meets a chain
  // of 16 and makes both tables rehash with a new seed.
  const { seed: tableSeed, bucketCount } = pair.index.stats();
  assert.equal(bucketCount, 128);
  const bucket = (t: number): number => hashKey(t, tableSeed) & 127;
  const target = bucket(1_000);
  const flood: number[] = [];
  for (let t = 1_000; flood.length < 17; t++) {
    if (bucket(t) === target) flood.push(t);
  }
  for (const t of flood) {
    pair.insert(bp(t));
    pair.check(t, t);
  }
  assert.equal(pair.index.stats().reseeds, 1);
  assert.notEqual(pair.index.stats().seed, tableSeed);
  // Everything is still found, and leaves as it came.
  while (pair.live.length > 0) {
    const t = pair.live[0]!.task;
    pair.removeAt(0);
    pair.check(t, pair.live.length);
  }
  assert.equal(pair.index.stats().keyCount, 0);
});

Deno.test("TaskSlab hands out freed nodes again, newest first, and grows by doubling", () => {
  const slab = new TaskSlab<string>();
  const first = slab.capacity;
  const nodes = Array.from(
    { length: first },
    (_, i) => slab.take(i, `v${i}`, NO_NODE),
  );
  // Node 0 means "none", so the first node is 1 and the slab grew once.
  assert.equal(nodes[0], 1);
  assert.equal(slab.capacity, 2 * first);
  assert.equal(slab.keys[nodes[first - 1]!], first - 1);
  assert.equal(slab.heads[nodes[5]!], "v5");
  slab.give(nodes[3]!);
  slab.give(nodes[7]!);
  assert.equal(slab.heads[nodes[7]!], null);
  assert.equal(slab.take(2 ** 40, "wide", nodes[1]!), nodes[7]);
  assert.equal(slab.take(-5, "again", NO_NODE), nodes[3]);
  assert.equal(slab.keys[nodes[7]!], 2 ** 40);
  assert.equal(slab.chain[nodes[7]!], nodes[1]);
  assert.equal(slab.take(6, "new", NO_NODE), first + 1);
  assert.equal(slab.capacity, 2 * first);
});

Deno.test("the task index's table refuses a new key at its maximum, as RhlTable does, and changes nothing", () => {
  // RhlTableTaskIndex has no maxSize option (the kernel's task_bps_ht has
  // none); its table takes one, as RhlTable's does.
  const table = new TaskTable<TaskBreakpoint>(
    parseOptions<number>({ seed: 14, maxSize: 8 }),
  );
  const work = { entriesVisited: 0, bucketsTouched: 0 };
  const bps = Array.from({ length: 17 }, (_, task) => bp(task));
  for (let task = 0; task < 16; task++) table.insert(task, bps[task]!, work);
  assert.equal(table.tbl.size, 8, "a table at maxSize does not grow");
  const before = {
    size: table.size,
    keys: table.keyCount,
    version: table.version,
  };
  assert.throws(() => table.insert(16, bps[16]!, work), {
    name: "RhlTableError",
    code: "E2BIG",
    message:
      "Cannot insert key 16: the table already holds its maximum of 16 keys (maxSize 8)",
  });
  assert.deepEqual(
    { size: table.size, keys: table.keyCount, version: table.version },
    before,
  );
  const again = bp(3, 1);
  table.insert(3, again, work);
  assert.equal(
    table.nodes.heads[table.find(3, work)],
    again,
    "a known key still joins",
  );
  assert.ok(table.remove(0, bps[0]!, work));
  table.insert(16, bps[16]!, work);
  assert.equal(table.keyCount, 16);
});
