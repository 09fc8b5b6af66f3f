/**
 * The registry of every {@linkcode TaskIndex} implementation, for the
 * conformance suite, the complexity tests and the benchmarks to run over.
 * It follows `@hwbp/sim`'s `INDEX_NAMES`: an index added there is tested
 * everywhere.
 *
 * @module
 */

import type { TaskIndex } from "@hwbp/core";
import { createTaskIndex, INDEX_NAMES } from "@hwbp/sim";
import type { TaskIndexFactory } from "./task_index_suite.ts";

export type { TaskIndexFactory };

/** Every task index implementation, each with its default options. */
export const TASK_INDEXES: readonly TaskIndexFactory[] = INDEX_NAMES.map((
  name,
) => ({
  name,
  // The list's lookups walk every entry: its growth test stays at 600
  // tasks (1,200 entries) to keep the suite fast.
  ...(name === "list" ? { growthTasks: 600 } : {}),
  create(): TaskIndex {
    return createTaskIndex(name);
  },
}));
