/**
 * The task indexes the simulator can drive, by name.
 *
 * @module
 */
import type { TaskIndex } from "@hwbp/core";
import { ChainedHashTaskIndex } from "@hwbp/chained-hash";
import { ListTaskIndex } from "@hwbp/list";
import { RhlTableTaskIndex } from "@hwbp/rhltable";

/**
 * Name of a built-in {@linkcode TaskIndex}:
 * - `"list"`: `ListTaskIndex` from `@hwbp/list`, the kernel's global list
 *   up to v5.19;
 * - `"chained-hash"`: `ChainedHashTaskIndex` from `@hwbp/chained-hash`;
 * - `"rhltable"`: `RhlTableTaskIndex` from `@hwbp/rhltable`, the kernel's
 *   choice since v6.1.
 *
 * @example Usage
 * ```ts
 * import { type IndexName, simulateBreakpointThread } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * const index: IndexName = "list";
 * assert.equal(simulateBreakpointThread({ cpus: 4, index }).index, "list");
 * ```
 */
export type IndexName = "list" | "chained-hash" | "rhltable";

/**
 * Every {@linkcode IndexName}, from the kernel's oldest to its newest.
 *
 * @example Usage
 * ```ts
 * import { INDEX_NAMES } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(INDEX_NAMES, ["list", "chained-hash", "rhltable"]);
 * ```
 */
export const INDEX_NAMES: readonly IndexName[] = Object.freeze([
  "list",
  "chained-hash",
  "rhltable",
]);

/**
 * Options of {@linkcode createTaskIndex}.
 *
 * @example Usage
 * ```ts
 * import { createTaskIndex, type CreateTaskIndexOptions } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * const options: CreateTaskIndexOptions = { seed: 7 };
 * assert.equal(createTaskIndex("rhltable", options).size, 0);
 * ```
 */
export interface CreateTaskIndexOptions {
  /**
   * Seed of an rhltable's hashing, an integer from 0 to 2³² − 1, for
   * reproducible work counters; the other indexes are deterministic anyway.
   */
  seed?: number;
}

/**
 * Creates an empty task index of a built-in kind.
 *
 * @param name Which index.
 * @param options The rhltable's seed (default: a random one).
 * @returns A new, empty index.
 * @throws {TypeError} If `name` is not a string.
 * @throws {RangeError} If `name` is not one of {@linkcode INDEX_NAMES}.
 *
 * @example Usage
 * ```ts
 * import { createTaskIndex } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * const index = createTaskIndex("rhltable");
 * assert.equal(index.name, "rhltable");
 * assert.equal(index.size, 0);
 * assert.throws(() => createTaskIndex("btree" as never), RangeError);
 * ```
 */
export function createTaskIndex(
  name: IndexName,
  options: CreateTaskIndexOptions = {},
): TaskIndex {
  switch (name) {
    case "list":
      return new ListTaskIndex();
    case "chained-hash":
      return new ChainedHashTaskIndex();
    case "rhltable":
      return new RhlTableTaskIndex(
        options.seed === undefined ? {} : { seed: options.seed },
      );
  }
  if (typeof name !== "string") {
    throw new TypeError(
      `Cannot create task index: name must be a string, got ${typeof name}`,
    );
  }
  throw new RangeError(
    `Cannot create task index: unknown index ${
      JSON.stringify(name)
    } (expected "list", "chained-hash" or "rhltable")`,
  );
}
