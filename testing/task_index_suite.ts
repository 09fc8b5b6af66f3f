/**
 * The conformance suite every {@linkcode TaskIndex} implementation must
 * pass: one set of tests, registered once per implementation by
 * {@linkcode describeTaskIndex}.
 *
 * @module
 */

import {
  createTaskBreakpoint,
  getIndexEntry,
  type SlotType,
  type TaskBreakpoint,
  type TaskIndex,
  type TaskIndexWork,
} from "@hwbp/core";
import assert from "node:assert/strict";
import fc from "fast-check";
import { Collector, taskBreakpoint, visitAll } from "./task_index_helpers.ts";

export { taskBreakpoint };

/** Makes fresh, empty instances of one {@linkcode TaskIndex} implementation. */
export interface TaskIndexFactory {
  /** The implementation's name; every index it creates reports this name. */
  readonly name: string;
  /**
   * How test names call this factory, when it differs from the
   * implementation's name (a variant with non-default options, say).
   * Defaults to {@linkcode TaskIndexFactory.name}.
   */
  readonly label?: string;
  /**
   * Tasks the growth test goes through, two breakpoints each (default
   * 2,000). An index whose lookups are O(n) may ask for fewer: the test
   * looks up twice per insert, so its cost grows with the square.
   */
  readonly growthTasks?: number;
  /**
   * Creates an empty index.
   *
   * @returns A new, empty index.
   */
  create(): TaskIndex;
}

/**
 * Task ids that share their low 32 bits, or use all 53 bits of a safe
 * integer: a hash that drops the high half would confuse them.
 */
const WIDE_TASKS: readonly number[] = [
  2 ** 32,
  2 ** 32 + 1,
  2 ** 52 + 1,
  Number.MAX_SAFE_INTEGER,
];

/**
 * Asserts that `actual` holds exactly the breakpoints of `expected`, each
 * once, in any order (breakpoints compare by identity).
 */
function assertSameBreakpoints(
  actual: Iterable<TaskBreakpoint>,
  expected: Iterable<TaskBreakpoint>,
  message: string,
): void {
  const got = [...actual];
  const want = new Set(expected);
  const unique = new Set(got);
  assert.equal(unique.size, got.length, `${message}: a breakpoint came twice`);
  assert.equal(got.length, want.size, `${message}: wrong number`);
  for (const bp of got) {
    assert.ok(
      want.has(bp),
      `${message}: unexpected breakpoint of task ${bp.task}`,
    );
  }
}

/** What an index observably holds: its size, its members and each task's. */
interface Snapshot {
  size: number;
  all: TaskBreakpoint[];
  byTask: TaskBreakpoint[][];
}

/** Records what `index` holds, looking up each of `tasks`. */
function snapshot(index: TaskIndex, tasks: readonly number[]): Snapshot {
  return {
    size: index.size,
    all: [...index],
    byTask: tasks.map((task) => visitAll(index, task)),
  };
}

/** Asserts that `index` still holds what `before` recorded. */
function assertUnchanged(
  index: TaskIndex,
  tasks: readonly number[],
  before: Snapshot,
): void {
  const after = snapshot(index, tasks);
  assert.equal(after.size, before.size, "size changed");
  assertSameBreakpoints(after.all, before.all, "iteration changed");
  for (let i = 0; i < tasks.length; i++) {
    assertSameBreakpoints(
      after.byTask[i] ?? [],
      before.byTask[i] ?? [],
      `breakpoints of task ${tasks[i]} changed`,
    );
  }
}

/** A copy of the work counters, which may be live. */
function copyWork(index: TaskIndex): TaskIndexWork {
  const { lookups, entriesVisited, bucketsTouched } = index.work;
  return { lookups, entriesVisited, bucketsTouched };
}

/**
 * A small deterministic generator (xorshift32), so that bulk tests walk the
 * same "random" order on every run.
 */
function xorshift32(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return function next(): number {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

/** Shuffles in place with a deterministic generator (Fisher-Yates). */
function shuffle<T>(items: T[], seed: number): T[] {
  const random = xorshift32(seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = random() % (i + 1);
    const item = items[i]!;
    items[i] = items[j]!;
    items[j] = item;
  }
  return items;
}

/** One step of the model test. */
type Operation =
  | {
    kind: "insert";
    task: number;
    cpu: number;
    slot: SlotType;
    weight: number;
  }
  | { kind: "remove"; pick: number }
  | { kind: "removeStranger"; task: number }
  | { kind: "visit"; task: number; limit: number | null };

const taskArbitrary: fc.Arbitrary<number> = fc.oneof(
  // Few tasks, so that tasks collect several breakpoints...
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 7 }) },
  // ...some more, so that hash tables fill up...
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 999 }) },
  // ...and ids beyond 32 bits.
  { weight: 1, arbitrary: fc.constantFrom(...WIDE_TASKS) },
);

const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("insert" as const),
      task: taskArbitrary,
      cpu: fc.integer({ min: -1, max: 3 }),
      slot: fc.constantFrom<SlotType>(0, 1),
      weight: fc.integer({ min: 1, max: 4 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("remove" as const),
      pick: fc.nat(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("removeStranger" as const),
      task: taskArbitrary,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("visit" as const),
      task: taskArbitrary,
      limit: fc.option(fc.integer({ min: 1, max: 3 })),
    }),
  },
);

/**
 * Replays `operations` against a fresh index and a
 * `Map<number, Set<TaskBreakpoint>>` model, and asserts after every step
 * that the two agree.
 */
function checkAgainstModel(
  factory: TaskIndexFactory,
  operations: readonly Operation[],
): void {
  const index = factory.create();
  const model = new Map<number, Set<TaskBreakpoint>>();
  // Every breakpoint ever inserted, live or removed, for removals to pick.
  const created: TaskBreakpoint[] = [];
  let modelSize = 0;
  let visits = 0;
  let work = copyWork(index);

  for (const op of operations) {
    switch (op.kind) {
      case "insert": {
        const bp = taskBreakpoint(op.task, op.cpu, op.slot, op.weight);
        index.insert(bp);
        created.push(bp);
        const bps = model.get(op.task);
        if (bps === undefined) model.set(op.task, new Set([bp]));
        else bps.add(bp);
        modelSize++;
        break;
      }
      case "remove": {
        if (created.length === 0) break;
        const bp = created[op.pick % created.length]!;
        const bps = model.get(bp.task);
        const live = bps !== undefined && bps.has(bp);
        assert.equal(index.remove(bp), live, `remove() of task ${bp.task}`);
        if (live) {
          bps.delete(bp);
          if (bps.size === 0) model.delete(bp.task);
          modelSize--;
        }
        assert.equal(getIndexEntry(bp), null, "indexEntry after remove()");
        break;
      }
      case "removeStranger": {
        // Perhaps equal in every field to a stored one, but never inserted.
        const bp = taskBreakpoint(op.task);
        assert.equal(index.remove(bp), false, "remove() of a stranger");
        assert.equal(getIndexEntry(bp), null);
        break;
      }
      case "visit": {
        const expected = model.get(op.task) ?? new Set();
        const collector = new Collector(op.limit ?? Infinity);
        index.visitTask(op.task, collector);
        visits++;
        if (op.limit === null) {
          assertSameBreakpoints(
            collector.seen,
            expected,
            `visitTask(${op.task})`,
          );
        } else {
          assert.equal(
            collector.seen.length,
            Math.min(op.limit, expected.size),
            `visitTask(${op.task}) stopping after ${op.limit}`,
          );
          assert.equal(new Set(collector.seen).size, collector.seen.length);
          for (const bp of collector.seen) assert.ok(expected.has(bp));
        }
        break;
      }
    }
    assert.equal(index.size, modelSize, `size after ${op.kind}`);
    const now = copyWork(index);
    assert.equal(now.lookups, visits, "lookups counts visitTask() calls");
    assert.ok(now.entriesVisited >= work.entriesVisited, "entriesVisited fell");
    assert.ok(now.bucketsTouched >= work.bucketsTouched, "bucketsTouched fell");
    work = now;
  }

  const all: TaskBreakpoint[] = [];
  for (const [task, bps] of model) {
    assertSameBreakpoints(visitAll(index, task), bps, `final task ${task}`);
    all.push(...bps);
  }
  assertSameBreakpoints(index, all, "final iteration");
}

/**
 * Registers the conformance tests of one {@linkcode TaskIndex}
 * implementation with `Deno.test`. Call it once per implementation from a
 * test file.
 *
 * @param factory Creates fresh instances of the implementation under test.
 */
export function describeTaskIndex(factory: TaskIndexFactory): void {
  const { name } = factory;
  const label = factory.label ?? name;

  Deno.test(`${label} index starts empty`, async (t) => {
    const index = factory.create();

    await t.step("with the name of its implementation", () => {
      assert.equal(index.name, name);
    });

    await t.step("with size 0 and nothing to iterate", () => {
      assert.equal(index.size, 0);
      assert.deepEqual([...index], []);
    });

    await t.step("with all work counters at zero", () => {
      assert.deepEqual(copyWork(index), {
        lookups: 0,
        entriesVisited: 0,
        bucketsTouched: 0,
      });
    });

    await t.step("and visits nothing for any task", () => {
      const tasks = [0, 1, 1234, ...WIDE_TASKS];
      for (const task of tasks) assert.deepEqual(visitAll(index, task), []);
      assert.equal(index.work.lookups, tasks.length);
      assert.equal(index.work.entriesVisited, 0);
      assert.ok(index.work.bucketsTouched >= tasks.length);
    });

    await t.step("and removes nothing", () => {
      assert.equal(index.remove(taskBreakpoint(0)), false);
      assert.equal(index.size, 0);
    });
  });

  Deno.test(`${label} index finds what it stores until it is removed`, async (t) => {
    await t.step("insert() makes a breakpoint visible to its task", () => {
      const index = factory.create();
      const bp = taskBreakpoint(7, 2, 0, 3);
      index.insert(bp);
      assert.equal(index.size, 1);
      assert.deepEqual(visitAll(index, 7), [bp]);
      assert.deepEqual(visitAll(index, 8), []);
      assert.deepEqual([...index], [bp]);
    });

    await t.step(
      "remove() returns true, hides it and clears its index entry",
      () => {
        const index = factory.create();
        const bp = taskBreakpoint(7);
        index.insert(bp);
        assert.equal(index.remove(bp), true);
        assert.equal(getIndexEntry(bp), null);
        assert.equal(index.size, 0);
        assert.deepEqual(visitAll(index, 7), []);
        assert.deepEqual([...index], []);
      },
    );

    await t.step(
      "an own task property defined on a stored breakpoint fools no lookup or removal",
      () => {
        const index = factory.create();
        const bp = taskBreakpoint(7);
        const sibling = taskBreakpoint(7);
        index.insert(bp);
        index.insert(sibling);
        // What a caller can do to its handle: the index keys by getIndexKey().
        Object.defineProperty(bp, "task", { value: 8 });
        assert.equal(visitAll(index, 7).length, 2);
        assert.deepEqual(visitAll(index, 8), []);
        assert.equal(index.remove(bp), true);
        assert.deepEqual(visitAll(index, 7), [sibling]);
        assert.equal(index.size, 1);
      },
    );

    await t.step("a removed breakpoint can be inserted again", () => {
      const index = factory.create();
      const bp = taskBreakpoint(7);
      index.insert(bp);
      index.remove(bp);
      index.insert(bp);
      assert.deepEqual(visitAll(index, 7), [bp]);
      assert.equal(index.remove(bp), true);
    });

    await t.step("a task's several breakpoints are all visited", () => {
      const index = factory.create();
      const bps = [
        taskBreakpoint(3, -1, 1, 1),
        taskBreakpoint(3, 0, 1, 2),
        taskBreakpoint(3, 1, 0, 1),
        taskBreakpoint(3, -1, 0, 4),
      ];
      for (const bp of bps) index.insert(bp);
      assertSameBreakpoints(visitAll(index, 3), bps, "task 3");

      assert.equal(index.remove(bps[1]!), true);
      assertSameBreakpoints(
        visitAll(index, 3),
        [bps[0]!, bps[2]!, bps[3]!],
        "task 3 without its second breakpoint",
      );
      assert.equal(index.size, 3);
    });

    await t.step("breakpoints with equal fields are distinct entries", () => {
      const index = factory.create();
      const a = taskBreakpoint(5);
      const b = taskBreakpoint(5);
      index.insert(a);
      index.insert(b);
      assertSameBreakpoints(visitAll(index, 5), [a, b], "twins");
      assert.equal(index.remove(b), true);
      assert.deepEqual(visitAll(index, 5), [a]);
    });

    await t.step("many tasks keep their breakpoints apart", () => {
      const index = factory.create();
      const tasks = [
        ...Array.from({ length: 300 }, (_, i) => i),
        ...WIDE_TASKS,
      ];
      const byTask = new Map<number, TaskBreakpoint[]>();
      // Interleave the tasks so that no task's breakpoints are adjacent.
      for (let round = 0; round < 3; round++) {
        for (const task of tasks) {
          if (round > task % 3) continue;
          const bp = taskBreakpoint(task, round - 1);
          index.insert(bp);
          byTask.set(task, [...(byTask.get(task) ?? []), bp]);
        }
      }
      for (const task of tasks) {
        assertSameBreakpoints(
          visitAll(index, task),
          byTask.get(task) ?? [],
          `task ${task}`,
        );
      }
      for (const task of [300, 2 ** 32 + 2, 2 ** 52]) {
        assert.deepEqual(visitAll(index, task), [], `absent task ${task}`);
      }
    });
  });

  Deno.test(`${label} index stops a walk when the visitor returns false`, async (t) => {
    const index = factory.create();
    const mine = Array.from({ length: 5 }, (_, cpu) => taskBreakpoint(1, cpu));
    for (const bp of mine) {
      index.insert(taskBreakpoint(0));
      index.insert(bp);
      index.insert(taskBreakpoint(2));
    }

    for (const limit of [1, 2, 4]) {
      await t.step(`after ${limit} of 5 breakpoints`, () => {
        const collector = new Collector(limit);
        index.visitTask(1, collector);
        assert.equal(collector.seen.length, limit);
        assert.equal(new Set(collector.seen).size, limit);
        for (const bp of collector.seen) assert.ok(mine.includes(bp));
      });
    }
  });

  Deno.test(
    `${label} index.remove() returns false and changes nothing for a breakpoint it does not hold`,
    async (t) => {
      const tasks = [1, 2, 3];
      function populated(): { index: TaskIndex; stored: TaskBreakpoint[] } {
        const index = factory.create();
        const stored = tasks.flatMap((task) => [
          taskBreakpoint(task, -1),
          taskBreakpoint(task, 0),
        ]);
        for (const bp of stored) index.insert(bp);
        return { index, stored };
      }

      await t.step(
        "one never inserted, even with a stored one's fields",
        () => {
          const { index, stored } = populated();
          const before = snapshot(index, tasks);
          const { task, cpu, slot, weight } = stored[0]!;
          const twin = createTaskBreakpoint({ task, cpu, slot, weight });
          assert.equal(index.remove(twin), false);
          assert.equal(index.remove(taskBreakpoint(99)), false);
          assert.equal(getIndexEntry(twin), null);
          assertUnchanged(index, tasks, before);
        },
      );

      await t.step("one removed already", () => {
        const { index, stored } = populated();
        const bp = stored[3]!;
        assert.equal(index.remove(bp), true);
        const before = snapshot(index, tasks);
        assert.equal(index.remove(bp), false);
        assert.equal(getIndexEntry(bp), null);
        assertUnchanged(index, tasks, before);
      });

      await t.step("one held by another index of the same kind", () => {
        const { index, stored } = populated();
        const other = populated();
        const theirs = other.stored[2]!;
        const entry = getIndexEntry(theirs);
        const before = snapshot(index, tasks);
        const otherBefore = snapshot(other.index, tasks);

        assert.equal(index.remove(theirs), false);
        assert.equal(getIndexEntry(theirs), entry, "indexEntry changed");
        assertUnchanged(index, tasks, before);
        assertUnchanged(other.index, tasks, otherBefore);
        assert.equal(other.index.remove(theirs), true);
        assert.equal(index.remove(stored[2]!), true);
      });
    },
  );

  Deno.test(`${label} index counts and iterates every stored breakpoint`, async (t) => {
    const index = factory.create();
    const bps = Array.from(
      { length: 1000 },
      (_, i) => taskBreakpoint(i % 97, (i % 5) - 1),
    );

    await t.step("size grows by one per insert()", () => {
      for (let i = 0; i < bps.length; i++) {
        index.insert(bps[i]!);
        assert.equal(index.size, i + 1);
      }
    });

    await t.step("iteration yields each breakpoint once", () => {
      assertSameBreakpoints(index, bps, "iteration");
    });

    await t.step("size and iteration follow removals", () => {
      const kept = bps.filter((_, i) => i % 3 !== 0);
      for (let i = 0; i < bps.length; i += 3) {
        assert.equal(index.remove(bps[i]!), true);
      }
      assert.equal(index.size, kept.length);
      assertSameBreakpoints(index, kept, "iteration after removals");
      for (const bp of kept) assert.equal(index.remove(bp), true);
      assert.equal(index.size, 0);
      assert.deepEqual([...index], []);
    });
  });

  Deno.test(`${label} index.resetWork() sets every work counter to zero`, () => {
    const index = factory.create();
    for (let task = 0; task < 10; task++) index.insert(taskBreakpoint(task));
    visitAll(index, 3);
    index.remove(taskBreakpoint(4));
    assert.equal(index.work.lookups, 1);
    assert.ok(index.work.entriesVisited > 0);
    assert.ok(index.work.bucketsTouched > 0);

    index.resetWork();
    assert.deepEqual(copyWork(index), {
      lookups: 0,
      entriesVisited: 0,
      bucketsTouched: 0,
    });
    assert.equal(index.size, 10, "resetWork() touched the contents");
    visitAll(index, 3);
    assert.equal(index.work.lookups, 1);
  });

  Deno.test(`${label} index stays correct while it grows`, async (t) => {
    const tasks = factory.growthTasks ?? 2000;
    const perTask = 2;
    const index = factory.create();
    // Strided ids, like aligned addresses: a hash of the low bits alone
    // would pile them into a few buckets.
    const ids = shuffle(Array.from({ length: tasks }, (_, i) => i * 1024), 1);
    const byTask = new Map<number, TaskBreakpoint[]>();
    const random = xorshift32(2);

    await t.step("inserting, with lookups between inserts", () => {
      for (let round = 0; round < perTask; round++) {
        for (let i = 0; i < ids.length; i++) {
          const task = ids[i]!;
          const bp = taskBreakpoint(task, round - 1);
          index.insert(bp);
          const bps = byTask.get(task) ?? [];
          bps.push(bp);
          byTask.set(task, bps);
          // The task just inserted and one inserted earlier.
          assert.equal(visitAll(index, task).length, round + 1);
          const earlier = ids[random() % (i + 1)]!;
          assert.equal(visitAll(index, earlier).length, round + 1);
        }
      }
      assert.equal(index.size, tasks * perTask);
    });

    await t.step("every task finds exactly its breakpoints", () => {
      for (const [task, bps] of byTask) {
        assertSameBreakpoints(visitAll(index, task), bps, `task ${task}`);
      }
      assertSameBreakpoints(index, [...byTask.values()].flat(), "iteration");
    });

    await t.step(
      "removing them all in random order, with lookups between",
      () => {
        const all = shuffle([...byTask.values()].flat(), 3);
        const left = new Map<number, number>();
        for (const [task, bps] of byTask) left.set(task, bps.length);
        for (let i = 0; i < all.length; i++) {
          const bp = all[i]!;
          assert.equal(index.remove(bp), true);
          left.set(bp.task, left.get(bp.task)! - 1);
          assert.equal(visitAll(index, bp.task).length, left.get(bp.task));
          const other = ids[random() % ids.length]!;
          assert.equal(visitAll(index, other).length, left.get(other));
        }
        assert.equal(index.size, 0);
        assert.deepEqual([...index], []);
      },
    );

    await t.step("and stays usable once empty", () => {
      const bp = taskBreakpoint(ids[0]!);
      index.insert(bp);
      assert.deepEqual(visitAll(index, bp.task), [bp]);
    });
  });

  Deno.test(`${label} index agrees with a Map-of-Sets model on random operations`, () => {
    fc.assert(
      fc.property(
        fc.array(operationArbitrary, { maxLength: 200, size: "large" }),
        (operations) => checkAgainstModel(factory, operations),
      ),
      { numRuns: 120 },
    );
  });
}
