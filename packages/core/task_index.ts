/**
 * The pluggable per-task index: where the constraint engine keeps every
 * task-bound breakpoint, keyed by task id.
 *
 * The kernel used one global list until v5.19 and an `rhltable` afterwards;
 * this interface is the seam between the constraint logic and either
 * choice.
 *
 * @module
 */
import {
  asTaskBreakpoint,
  linkOf,
  newRecord,
  setCpu,
  setLink,
  setSlot,
  setTask,
  setWeight,
  taskOf,
} from "./_breakpoint.ts";
import { describe } from "./_describe.ts";
import { ConstraintError } from "./constraint_error.ts";

/**
 * Slot type index, as the kernel's `enum bp_type_idx`: `0` is the
 * instruction pool (`TYPE_INST`), `1` the data pool (`TYPE_DATA`). On a
 * machine with one shared register pool every breakpoint uses `0`.
 */
export type SlotType = 0 | 1;

/**
 * A task-bound breakpoint as a {@linkcode TaskIndex} sees it.
 *
 * The constraint engine owns these objects: each is also the
 * `BreakpointHandle` the caller holds, one object per breakpoint. Its
 * state lives in `#private` fields; the fields below are getters with no
 * setter, on a frozen prototype of a frozen class. The guarantee: nothing a
 * holder does to the object itself changes what the engine believes.
 * Assigning a field throws a `TypeError`; an own property defined over a
 * getter, or a prototype swapped in, changes what that holder reads and
 * nothing else, because the engine reads its `#private` fields and an
 * index reads the key with {@linkcode getIndexKey} and keeps its link with
 * {@linkcode getIndexEntry} and {@linkcode setIndexEntry}; a breakpoint
 * made outside an engine is never live in one. Those two functions are
 * exported for index authors, and are the one way around the guarantee:
 * a holder who calls `setIndexEntry()` on a live breakpoint, or changes
 * what `getIndexEntry()` returns, corrupts the index, as calling
 * `remove()` on the engine's index would (`verify()` reports it). To test
 * an index without an engine, make breakpoints with
 * {@linkcode createTaskBreakpoint}.
 *
 * @example Usage
 * ```ts
 * import { createTaskBreakpoint, type TaskBreakpoint } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * const bp: TaskBreakpoint = createTaskBreakpoint({ task: 7, cpu: -1, slot: 1, weight: 1 });
 * assert.equal(bp.task, 7);
 * assert.throws(() => {
 *   (bp as { weight: number }).weight = 9;
 * }, TypeError);
 * ```
 */
export interface TaskBreakpoint {
  /** The task this breakpoint is bound to (a non-negative integer). */
  readonly task: number;
  /** The CPU it is pinned to, or `-1` for every CPU. */
  readonly cpu: number;
  /** The slot pool it counts against. */
  readonly slot: SlotType;
  /** How many slots it takes. */
  readonly weight: number;
}

/**
 * What {@linkcode createTaskBreakpoint} builds a breakpoint from.
 *
 * @example Usage
 * ```ts
 * import { createTaskBreakpoint, type TaskBreakpointInit } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * const init: TaskBreakpointInit = { task: 3, cpu: 0, weight: 2 };
 * const bp = createTaskBreakpoint(init);
 * assert.deepEqual([bp.task, bp.cpu, bp.slot, bp.weight], [3, 0, 1, 2]);
 * ```
 */
export interface TaskBreakpointInit {
  /** The task (a non-negative integer). */
  task: number;
  /** The CPU, or `-1` (the default) for every CPU. */
  cpu?: number;
  /** The slot pool; default `1`, the data pool. */
  slot?: SlotType;
  /** Slots it takes (a positive integer); default `1`. */
  weight?: number;
}

/**
 * A task-bound breakpoint that belongs to no engine, for testing and
 * measuring a {@linkcode TaskIndex} on its own. It is the same kind of
 * object an engine makes (so an index sees one shape), with an empty
 * index entry; an engine never takes it as a handle of its own.
 *
 * @param init The task, and optionally the CPU, pool and weight.
 * @returns A new breakpoint whose index entry is `null`.
 * @throws {ConstraintError} `EINVAL` naming a field that is out of range.
 *
 * @example Usage
 * ```ts
 * import { createTaskBreakpoint } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * const bp = createTaskBreakpoint({ task: 4 });
 * assert.deepEqual([bp.task, bp.cpu, bp.slot, bp.weight], [4, -1, 1, 1]);
 * assert.throws(() => createTaskBreakpoint({ task: -1 }), /task -1/);
 * ```
 */
export function createTaskBreakpoint(init: TaskBreakpointInit): TaskBreakpoint {
  const context = "Cannot create task breakpoint";
  if (typeof init !== "object" || init === null) {
    throw new ConstraintError(
      "EINVAL",
      `${context}: init ${describe(init)} must be an object`,
    );
  }
  const { task, cpu = -1, slot = 1, weight = 1 } = init;
  if (!Number.isSafeInteger(task) || task < 0) {
    throw new ConstraintError(
      "EINVAL",
      `${context}: task ${describe(task)} must be a non-negative integer`,
    );
  }
  if (!Number.isSafeInteger(cpu) || cpu < -1) {
    throw new ConstraintError(
      "EINVAL",
      `${context}: cpu ${describe(cpu)} must be an integer of -1 or more`,
    );
  }
  if (slot !== 0 && slot !== 1) {
    throw new ConstraintError(
      "EINVAL",
      `${context}: slot ${describe(slot)} must be 0 or 1`,
    );
  }
  if (!Number.isSafeInteger(weight) || weight < 1) {
    throw new ConstraintError(
      "EINVAL",
      `${context}: weight ${describe(weight)} must be a positive integer`,
    );
  }
  const bp = newRecord();
  setTask(bp, task === 0 ? 0 : task);
  setCpu(bp, cpu === 0 ? 0 : cpu);
  setSlot(bp, slot);
  setWeight(bp, weight);
  return asTaskBreakpoint(bp);
}

/**
 * The task of a breakpoint, read from the engine's own field: the key an
 * index files it under. An index reads the key with this rather than
 * {@linkcode TaskBreakpoint.task}: a caller may define an own `task`
 * property on its handle, which changes what the caller reads and nothing
 * this returns, so the index keeps finding the breakpoint where it put it.
 *
 * @param bp A breakpoint from an engine or {@linkcode createTaskBreakpoint}.
 * @returns Its task id.
 * @throws {TypeError} If `bp` is another kind of object.
 *
 * @example Usage
 * ```ts
 * import { createTaskBreakpoint, getIndexKey } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * const bp = createTaskBreakpoint({ task: 7 });
 * Object.defineProperty(bp, "task", { value: 9 });
 * assert.equal(bp.task, 9);
 * assert.equal(getIndexKey(bp), 7);
 * ```
 */
export const getIndexKey: (bp: TaskBreakpoint) => number = taskOf as (
  bp: TaskBreakpoint,
) => number;

/**
 * The index entry of a breakpoint: the storage a {@linkcode TaskIndex}
 * keeps in each breakpoint it holds, like the list head the kernel embeds
 * in `struct hw_perf_event`. An index may keep its node there, so that
 * removal needs no search, or a link to the task's next breakpoint, so
 * that it needs no node per breakpoint. The engine never reads it. It is
 * `null` while the breakpoint is in no index.
 *
 * For index implementations only: the entry lives in a `#private` field,
 * which nothing else reaches.
 *
 * @param bp A breakpoint from an engine or {@linkcode createTaskBreakpoint}.
 * @returns What the index holding `bp` last stored, or `null`.
 * @throws {TypeError} If `bp` is another kind of object.
 *
 * @example Usage
 * ```ts
 * import { createTaskBreakpoint, getIndexEntry, setIndexEntry } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * const bp = createTaskBreakpoint({ task: 1 });
 * assert.equal(getIndexEntry(bp), null);
 * setIndexEntry(bp, "node");
 * assert.equal(getIndexEntry(bp), "node");
 * assert.throws(() => getIndexEntry({ task: 1, cpu: -1, slot: 1, weight: 1 }), TypeError);
 * ```
 */
export const getIndexEntry: (bp: TaskBreakpoint) => unknown = linkOf;

/**
 * Sets the index entry of a breakpoint (see {@linkcode getIndexEntry}).
 * Only the index that holds `bp`, or is inserting it, may call this, and
 * it must set `null` when it lets `bp` go: the engine trusts its index.
 *
 * @param bp A breakpoint from an engine or {@linkcode createTaskBreakpoint}.
 * @param entry What the index keeps there, or `null`.
 * @throws {TypeError} If `bp` is another kind of object.
 *
 * @example Usage
 * ```ts
 * import { createTaskBreakpoint, getIndexEntry, setIndexEntry } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * const older = createTaskBreakpoint({ task: 1 });
 * const newer = createTaskBreakpoint({ task: 1 });
 * setIndexEntry(newer, older); // a link to the task's next breakpoint
 * assert.equal(getIndexEntry(newer), older);
 * setIndexEntry(newer, null);
 * assert.equal(getIndexEntry(newer), null);
 * ```
 */
export const setIndexEntry: (bp: TaskBreakpoint, entry: unknown) => void =
  setLink;

/**
 * Receives a task's breakpoints from {@linkcode TaskIndex.visitTask}.
 *
 * A visitor is a long-lived object rather than a callback so that the
 * engine's hot path allocates no closure per lookup.
 *
 * @example Usage
 * ```ts
 * import { createTaskBreakpoint, type TaskBreakpoint, type TaskVisitor } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * class WeightSum implements TaskVisitor {
 *   total = 0;
 *   visit(bp: TaskBreakpoint): boolean {
 *     this.total += bp.weight;
 *     return true;
 *   }
 * }
 * const sum = new WeightSum();
 * sum.visit(createTaskBreakpoint({ task: 1, weight: 2 }));
 * assert.equal(sum.total, 2);
 * ```
 */
export interface TaskVisitor {
  /**
   * Called once per breakpoint of the task.
   *
   * @param bp A breakpoint of the task being visited.
   * @returns `true` to go on, `false` to stop the walk early.
   */
  visit(bp: TaskBreakpoint): boolean;
}

/**
 * Deterministic work counters of a {@linkcode TaskIndex}. They let tests
 * assert complexity (an O(1) lookup against an O(n) one) without clocks.
 *
 * @example Usage
 * ```ts
 * import type { TaskIndexWork } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * const work: TaskIndexWork = { lookups: 2, entriesVisited: 10, bucketsTouched: 2 };
 * assert.equal(work.entriesVisited / work.lookups, 5);
 * ```
 */
export interface TaskIndexWork {
  /** Calls to {@linkcode TaskIndex.visitTask}. */
  lookups: number;
  /**
   * Stored entries examined by lookups and removals, including entries of
   * other tasks that share the list or hash chain.
   */
  entriesVisited: number;
  /** List heads or hash buckets touched by lookups and removals. */
  bucketsTouched: number;
}

/**
 * Stores task-bound breakpoints keyed by task, for the constraint engine.
 *
 * Implementations: `ListTaskIndex` (`@hwbp/list`, the pre-2022 kernel's
 * global list), `ChainedHashTaskIndex` (`@hwbp/chained-hash`) and
 * `RhlTableTaskIndex` (`@hwbp/rhltable`, the kernel's choice since v6.1).
 * Every implementation passes the same conformance suite.
 *
 * An implementation keys each breakpoint by {@linkcode getIndexKey} (not
 * `bp.task`, which the caller holding the breakpoint can shadow), may keep
 * one value per breakpoint with {@linkcode setIndexEntry}, read back with
 * {@linkcode getIndexEntry}, and sets it to `null` when it lets the
 * breakpoint go.
 *
 * @example Usage
 * ```ts
 * import type { TaskBreakpoint, TaskIndex, TaskVisitor } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * function countOf(index: TaskIndex, task: number): number {
 *   const counter = new (class implements TaskVisitor {
 *     n = 0;
 *     visit(_bp: TaskBreakpoint): boolean {
 *       this.n++;
 *       return true;
 *     }
 *   })();
 *   index.visitTask(task, counter);
 *   return counter.n;
 * }
 * assert.equal(typeof countOf, "function");
 * ```
 */
export interface TaskIndex {
  /** A short name for reports, such as `"list"` or `"rhltable"`. */
  readonly name: string;
  /** Number of breakpoints stored. */
  readonly size: number;
  /** Live work counters; they only grow until {@linkcode TaskIndex.resetWork}. */
  readonly work: Readonly<TaskIndexWork>;
  /**
   * Stores a breakpoint. The caller guarantees it is not stored already.
   *
   * @param bp The breakpoint to store.
   */
  insert(bp: TaskBreakpoint): void;
  /**
   * Removes a breakpoint.
   *
   * @param bp The breakpoint to remove.
   * @returns Whether it was stored (and so is now removed).
   */
  remove(bp: TaskBreakpoint): boolean;
  /**
   * Walks every stored breakpoint of one task, in no promised order, until
   * the visitor returns `false`. The visitor must not change the index.
   *
   * @param task The task id to look up.
   * @param visitor Receives each breakpoint of the task.
   */
  visitTask(task: number, visitor: TaskVisitor): void;
  /** Resets every work counter to zero. */
  resetWork(): void;
  /**
   * Every stored breakpoint, in no promised order. For inspection and
   * self-checks, not for the hot path.
   */
  [Symbol.iterator](): Iterator<TaskBreakpoint>;
}
