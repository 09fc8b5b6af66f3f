/**
 * A separate-chaining hash table of task breakpoints, keyed by task id: the
 * simple way to make task lookups O(1), between the kernel's old global list
 * (`bp_task_head`, `@hwbp/list`) and the rhltable that replaced it in Linux
 * 6.1 (`task_bps_ht` in `kernel/events/hw_breakpoint.c`, looked up by
 * `task_bp_pinned()`; `@hwbp/rhltable`).
 *
 * Buckets are a power of two; the table doubles with an all-at-once rehash
 * when the breakpoints outnumber the buckets, and never shrinks.
 *
 * ```ts
 * import { createTaskBreakpoint } from "@hwbp/core";
 * import { ChainedHashTaskIndex } from "@hwbp/chained-hash";
 * import assert from "node:assert/strict";
 *
 * const index = new ChainedHashTaskIndex();
 * for (let task = 0; task < 1000; task++) {
 *   index.insert(createTaskBreakpoint({ task, cpu: -1, slot: 1, weight: 1 }));
 * }
 * let found = 0;
 * index.visitTask(42, {
 *   visit() {
 *     found++;
 *     return true;
 *   },
 * });
 * assert.equal(found, 1);
 * assert.ok(index.work.entriesVisited < 10); // not 1000, as with a list
 * ```
 *
 * @module
 */
export * from "./chained_hash_task_index.ts";
