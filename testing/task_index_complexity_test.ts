// Complexity of every task index, asserted with its deterministic work
// counters rather than clocks: the list's lookups scan all n breakpoints,
// the hash indexes' examine a small constant number of entries whatever n.

import type { TaskBreakpoint, TaskIndex, TaskVisitor } from "@hwbp/core";
import assert from "node:assert/strict";
import { taskBreakpoint } from "./task_index_suite.ts";
import { TASK_INDEXES } from "./task_indexes.ts";

/** The one index whose lookups are expected to scan everything. */
const LINEAR = "list";

/** Sizes to compare: forty times more breakpoints. */
const SIZES: readonly number[] = [500, 20_000];

/**
 * Breakpoints per task, with the average number of entries a hash lookup
 * may examine: the task's own plus a few of other tasks sharing its chain.
 */
const SHAPES: readonly { perTask: number; maxEntries: number }[] = [
  { perTask: 1, maxEntries: 3 },
  { perTask: 4, maxEntries: 8 },
];

/** Lookups a list test samples: each one scans the whole list. */
const LIST_SAMPLES = 16;

/** Counts the breakpoints handed over, without allocating. */
class Counter implements TaskVisitor {
  count = 0;
  visit(_bp: TaskBreakpoint): boolean {
    this.count++;
    return true;
  }
}

/**
 * Task ids far apart, like aligned kernel addresses: a hash that kept only
 * the low bits would put them all in one bucket.
 */
function taskId(i: number): number {
  return i * 1024;
}

/** Fills `index` with `n` breakpoints, `perTask` to a task. */
function populate(
  index: TaskIndex,
  n: number,
  perTask: number,
): TaskBreakpoint[] {
  const bps: TaskBreakpoint[] = [];
  for (let i = 0; i < n; i++) {
    const bp = taskBreakpoint(
      taskId(Math.floor(i / perTask)),
      (i % perTask) - 1,
    );
    index.insert(bp);
    bps.push(bp);
  }
  return bps;
}

function formatted(n: number): string {
  return n.toLocaleString("en-US");
}

for (const factory of TASK_INDEXES) {
  for (const { perTask, maxEntries } of SHAPES) {
    for (const n of SIZES) {
      const tasks = n / perTask;
      const shape = `${formatted(n)} breakpoints, ${perTask} per task`;

      if (factory.name === LINEAR) {
        Deno.test(
          `${factory.name} lookups scan all ${shape}`,
          async (t) => {
            const index = factory.create();
            const bps = populate(index, n, perTask);
            const counter = new Counter();

            await t.step("for a task that is present", () => {
              index.resetWork();
              for (let s = 0; s < LIST_SAMPLES; s++) {
                counter.count = 0;
                index.visitTask(
                  taskId(Math.floor(s * tasks / LIST_SAMPLES)),
                  counter,
                );
                assert.equal(counter.count, perTask);
              }
              assert.deepEqual(index.work, {
                lookups: LIST_SAMPLES,
                entriesVisited: LIST_SAMPLES * n,
                bucketsTouched: LIST_SAMPLES,
              });
            });

            await t.step("and for a task that is absent", () => {
              index.resetWork();
              index.visitTask(taskId(tasks), counter);
              assert.equal(index.work.entriesVisited, n);
            });

            await t.step("while removal examines no entry", () => {
              index.resetWork();
              for (const bp of bps) index.remove(bp);
              assert.equal(index.work.entriesVisited, 0);
              assert.equal(index.size, 0);
            });
          },
        );
        continue;
      }

      Deno.test(
        `${factory.name} lookups examine at most ${maxEntries} entries on average among ${shape}`,
        async (t) => {
          const index = factory.create();
          const bps = populate(index, n, perTask);
          const counter = new Counter();

          await t.step("for tasks that are present", () => {
            index.resetWork();
            for (let task = 0; task < tasks; task++) {
              counter.count = 0;
              index.visitTask(taskId(task), counter);
              assert.equal(counter.count, perTask);
            }
            const { lookups, entriesVisited, bucketsTouched } = index.work;
            assert.equal(lookups, tasks);
            assert.ok(
              entriesVisited <= maxEntries * lookups,
              `${entriesVisited / lookups} entries per lookup`,
            );
            assert.ok(
              bucketsTouched <= 2 * lookups,
              `${bucketsTouched / lookups} buckets per lookup`,
            );
          });

          await t.step("for tasks that are absent", () => {
            index.resetWork();
            for (let task = tasks; task < 2 * tasks; task++) {
              index.visitTask(taskId(task), counter);
            }
            const { lookups, entriesVisited } = index.work;
            assert.ok(
              entriesVisited <= maxEntries * lookups,
              `${entriesVisited / lookups} entries per lookup`,
            );
          });

          await t.step("and so do removals", () => {
            index.resetWork();
            for (const bp of bps) assert.equal(index.remove(bp), true);
            const { entriesVisited } = index.work;
            assert.ok(
              entriesVisited <= maxEntries * n,
              `${entriesVisited / n} entries per removal`,
            );
            assert.equal(index.size, 0);
          });
        },
      );
    }
  }
}
