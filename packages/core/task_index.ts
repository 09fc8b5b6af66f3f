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

/**
 * Slot type index, as the kernel's `enum bp_type_idx`: `0` is the
 * instruction pool (`TYPE_INST`), `1` the data pool (`TYPE_DATA`). On a
 * machine with one shared register pool every breakpoint uses `0`.
 */
export type SlotType = 0 | 1;

/**
 * A task-bound breakpoint as a {@linkcode TaskIndex} sees it.
 *
 * The constraint engine owns these objects; an index only stores them and
 * reads {@linkcode TaskBreakpoint.task} as the key.
 *
 * @example Usage
 * ```ts
 * import type { TaskBreakpoint } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * const bp: TaskBreakpoint = { task: 7, cpu: -1, slot: 1, weight: 1, indexEntry: null };
 * assert.equal(bp.task, 7);
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
  /**
   * Storage reserved for the index that holds this breakpoint, like the
   * list head the kernel embeds in `struct hw_perf_event`. An index may
   * keep its node here so that removal needs no search, or a link to the
   * task's next breakpoint so that it needs no node per breakpoint; the
   * engine never reads it. `null` while the breakpoint is in no index.
   */
  indexEntry: unknown;
}

/**
 * Receives a task's breakpoints from {@linkcode TaskIndex.visitTask}.
 *
 * A visitor is a long-lived object rather than a callback so that the
 * engine's hot path allocates no closure per lookup.
 *
 * @example Usage
 * ```ts
 * import type { TaskBreakpoint, TaskVisitor } from "@hwbp/core";
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
 * sum.visit({ task: 1, cpu: -1, slot: 1, weight: 2, indexEntry: null });
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
