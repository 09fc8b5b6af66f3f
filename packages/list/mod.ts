/**
 * The task index of Linux up to v5.19: one global list of every task-bound
 * breakpoint, `bp_task_head` in `kernel/events/hw_breakpoint.c`.
 *
 * Inserting and removing are O(1) (`list_add_tail()`, `list_del()`), but
 * finding one task's breakpoints scans the whole list, as the kernel's old
 * `task_bp_pinned()` did. The constraint engine does that for every CPU a
 * breakpoint can run on, which is why `perf bench breakpoint thread` took
 * 236 seconds on a 256-CPU machine before the kernel switched to an
 * rhltable. Use it as the baseline the hash indexes are measured against.
 *
 * ```ts
 * import { ListTaskIndex } from "@hwbp/list";
 * import { createTaskBreakpoint, type TaskBreakpoint } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * const index = new ListTaskIndex();
 * for (let task = 0; task < 100; task++) {
 *   index.insert(createTaskBreakpoint({ task, cpu: -1, slot: 1, weight: 1 }));
 * }
 * const found: TaskBreakpoint[] = [];
 * index.visitTask(42, {
 *   visit(bp) {
 *     found.push(bp);
 *     return true;
 *   },
 * });
 * assert.equal(found.length, 1);
 * assert.equal(index.work.entriesVisited, 100);
 * ```
 *
 * @module
 */
export * from "./list_task_index.ts";
