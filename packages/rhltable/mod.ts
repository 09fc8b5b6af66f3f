/**
 * The Linux kernel's `rhltable` (`lib/rhashtable.c`) in TypeScript: a
 * resizable hash multimap whose keys head lists of values, newest first,
 * with the kernel's sizing rules, incremental resizing and flooding
 * defence; plus {@linkcode RhlTableTaskIndex}, the task index the kernel's
 * hardware-breakpoint code has used since v6.1.
 *
 * - {@linkcode RhlTable}: the generic table. Standalone; it needs nothing
 *   from the rest of hwbp.
 * - {@linkcode RhlTableTaskIndex}: a `TaskIndex` of `@hwbp/core` keyed by
 *   task, whose breakpoints link themselves: the same table rules, with
 *   buckets and nodes in typed arrays.
 * - {@linkcode hashKey}: the seeded jhash-style default hash.
 * - {@linkcode RhlTableError}: the `E2BIG` and `EAGAIN` failures.
 *
 * ```ts
 * import { RhlTable } from "@hwbp/rhltable";
 * import assert from "node:assert/strict";
 *
 * const table = new RhlTable<number, string>({ seed: 1 });
 * for (let task = 0; task < 1000; task++) table.insert(task, `bp${task}`);
 * table.insert(7, "second bp of task 7");
 * assert.deepEqual([...table.values(7)], ["second bp of task 7", "bp7"]);
 * assert.equal(table.keyCount, 1000);
 * assert.equal(table.bucketCount, 2048);
 * ```
 *
 * @module
 */
export * from "./hash_key.ts";
export * from "./rhl_table.ts";
export * from "./rhl_table_error.ts";
export * from "./rhl_table_types.ts";
export * from "./rhl_table_task_index.ts";
