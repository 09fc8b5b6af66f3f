/**
 * {@linkcode ListTaskIndex}: the kernel's global `bp_task_head` list.
 *
 * @module
 */

import type {
  TaskBreakpoint,
  TaskIndex,
  TaskIndexWork,
  TaskVisitor,
} from "@hwbp/core";

/**
 * One link of the list, kept in {@linkcode TaskBreakpoint.indexEntry} the way
 * the kernel embeds `hw.bp_list` in every `struct perf_event`: given the
 * breakpoint, removal finds its neighbours without a search.
 */
class ListNode {
  readonly bp: TaskBreakpoint;
  /**
   * A copy of `bp.task`, which never changes. The kernel's scan reads
   * `iter->hw.target` from the same struct as the list link; keeping the
   * key in the node likewise saves the scan a dependent load per entry.
   */
  readonly task: number;
  /** The index whose list holds this node; `null` once it is unlinked. */
  owner: ListTaskIndex | null;
  prev: ListNode | null = null;
  next: ListNode | null = null;

  constructor(bp: TaskBreakpoint, owner: ListTaskIndex) {
    this.bp = bp;
    this.task = bp.task;
    this.owner = owner;
  }
}

/**
 * A {@linkcode TaskIndex} that keeps every task breakpoint in one doubly
 * linked list: the `bp_task_head` list of `kernel/events/hw_breakpoint.c`
 * up to Linux v5.19.
 *
 * New breakpoints go to the tail (`list_add_tail()`), and removal unlinks in
 * constant time through the node stored in
 * {@linkcode TaskBreakpoint.indexEntry} (`list_del()`). A task lookup has no
 * key to go by: like the old `task_bp_pinned()`, it scans every breakpoint
 * of every task. With the constraint engine calling it once per CPU, that
 * O(n) scan is what made `perf bench breakpoint thread` take minutes on
 * large machines, and what the 2022 move to an rhltable fixed.
 *
 * The list owns {@linkcode TaskBreakpoint.indexEntry} while it holds a
 * breakpoint, and sets it back to `null` on removal.
 *
 * | Method                   | Time | Work counted                        |
 * | ------------------------ | ---- | ----------------------------------- |
 * | insert(bp)               | O(1) | none                                |
 * | remove(bp)               | O(1) | none                                |
 * | visitTask(task, visitor) | O(n) | 1 lookup, 1 list head, each entry   |
 * | size                     | O(1) | none                                |
 * | [Symbol.iterator]()      | O(n) | none                                |
 *
 * @example Usage
 * ```ts
 * import { ListTaskIndex } from "@hwbp/list";
 * import type { TaskBreakpoint } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * const index = new ListTaskIndex();
 * const a: TaskBreakpoint = { task: 1, cpu: -1, slot: 1, weight: 1, indexEntry: null };
 * const b: TaskBreakpoint = { task: 2, cpu: 0, slot: 1, weight: 1, indexEntry: null };
 * index.insert(a);
 * index.insert(b);
 *
 * const seen: TaskBreakpoint[] = [];
 * index.visitTask(2, {
 *   visit(bp) {
 *     seen.push(bp);
 *     return true;
 *   },
 * });
 * assert.deepEqual(seen, [b]);
 * // Finding task 2 meant scanning the whole list.
 * assert.equal(index.work.entriesVisited, 2);
 *
 * assert.equal(index.remove(a), true);
 * assert.equal(a.indexEntry, null);
 * assert.deepEqual([...index], [b]);
 * ```
 */
export class ListTaskIndex implements TaskIndex {
  /**
   * The name of this index in reports: `"list"`.
   *
   * @example Usage
   * ```ts
   * import { ListTaskIndex } from "@hwbp/list";
   * import assert from "node:assert/strict";
   *
   * assert.equal(new ListTaskIndex().name, "list");
   * ```
   */
  readonly name: string = "list";

  #head: ListNode | null = null;
  #tail: ListNode | null = null;
  #size = 0;
  #work: TaskIndexWork = { lookups: 0, entriesVisited: 0, bucketsTouched: 0 };

  /**
   * The number of breakpoints in the list.
   *
   * @returns The number of breakpoints stored.
   *
   * @example Usage
   * ```ts
   * import { ListTaskIndex } from "@hwbp/list";
   * import assert from "node:assert/strict";
   *
   * const index = new ListTaskIndex();
   * index.insert({ task: 1, cpu: -1, slot: 1, weight: 1, indexEntry: null });
   * assert.equal(index.size, 1);
   * ```
   */
  get size(): number {
    return this.#size;
  }

  /**
   * The live work counters. Only {@linkcode ListTaskIndex.visitTask} counts:
   * one lookup, one list head, and every entry it scans, whatever task the
   * entry belongs to.
   *
   * @returns The counters, updated in place as the index works.
   *
   * @example Usage
   * ```ts
   * import { ListTaskIndex } from "@hwbp/list";
   * import assert from "node:assert/strict";
   *
   * const index = new ListTaskIndex();
   * for (let task = 0; task < 3; task++) {
   *   index.insert({ task, cpu: -1, slot: 1, weight: 1, indexEntry: null });
   * }
   * index.visitTask(0, { visit: () => true });
   * assert.deepEqual(index.work, { lookups: 1, entriesVisited: 3, bucketsTouched: 1 });
   * ```
   */
  get work(): Readonly<TaskIndexWork> {
    return this.#work;
  }

  /**
   * Appends a breakpoint at the tail of the list and stores its node in
   * {@linkcode TaskBreakpoint.indexEntry}.
   *
   * @param bp The breakpoint to store; its `indexEntry` must be `null`.
   * @throws {Error} If `bp.indexEntry` is not `null`: the breakpoint is
   * already in an index, and overwriting its entry would corrupt that index.
   *
   * @example Usage
   * ```ts
   * import { ListTaskIndex } from "@hwbp/list";
   * import type { TaskBreakpoint } from "@hwbp/core";
   * import assert from "node:assert/strict";
   *
   * const index = new ListTaskIndex();
   * const bp: TaskBreakpoint = { task: 4, cpu: -1, slot: 1, weight: 1, indexEntry: null };
   * index.insert(bp);
   * assert.notEqual(bp.indexEntry, null);
   * assert.throws(() => index.insert(bp), /already stored in an index/);
   * ```
   */
  insert(bp: TaskBreakpoint): void {
    if (bp.indexEntry !== null && bp.indexEntry !== undefined) {
      throw new Error(
        `Cannot insert breakpoint of task ${bp.task}: it is already stored in an index`,
      );
    }
    const node = new ListNode(bp, this);
    const tail = this.#tail;
    node.prev = tail;
    if (tail === null) this.#head = node;
    else tail.next = node;
    this.#tail = node;
    bp.indexEntry = node;
    this.#size++;
  }

  /**
   * Unlinks a breakpoint in constant time through its
   * {@linkcode TaskBreakpoint.indexEntry}, which is then set to `null`.
   *
   * @param bp The breakpoint to remove.
   * @returns `true` if this list held it, `false` (and nothing changes) if
   * it is in no index or in another one.
   *
   * @example Usage
   * ```ts
   * import { ListTaskIndex } from "@hwbp/list";
   * import type { TaskBreakpoint } from "@hwbp/core";
   * import assert from "node:assert/strict";
   *
   * const index = new ListTaskIndex();
   * const other = new ListTaskIndex();
   * const bp: TaskBreakpoint = { task: 4, cpu: -1, slot: 1, weight: 1, indexEntry: null };
   * index.insert(bp);
   *
   * assert.equal(other.remove(bp), false);
   * assert.equal(index.remove(bp), true);
   * assert.equal(bp.indexEntry, null);
   * assert.equal(index.remove(bp), false);
   * ```
   */
  remove(bp: TaskBreakpoint): boolean {
    const node = bp.indexEntry;
    // The node must be ours and still linked, and really the breakpoint's
    // own: anything else is not in this list and must stay untouched.
    if (!(node instanceof ListNode) || node.owner !== this || node.bp !== bp) {
      return false;
    }
    const { prev, next } = node;
    if (prev === null) this.#head = next;
    else prev.next = next;
    if (next === null) this.#tail = prev;
    else next.prev = prev;
    node.prev = null;
    node.next = null;
    node.owner = null;
    bp.indexEntry = null;
    this.#size--;
    return true;
  }

  /**
   * Scans the whole list, in insertion order, and hands the visitor every
   * breakpoint of `task`, until the visitor returns `false`.
   *
   * @param task The task id to look up.
   * @param visitor Receives each breakpoint of the task; it must not change
   * the index.
   *
   * @example Usage
   * ```ts
   * import { ListTaskIndex } from "@hwbp/list";
   * import assert from "node:assert/strict";
   *
   * const index = new ListTaskIndex();
   * for (let i = 0; i < 4; i++) {
   *   index.insert({ task: i % 2, cpu: -1, slot: 1, weight: i + 1, indexEntry: null });
   * }
   * let total = 0;
   * index.visitTask(1, {
   *   visit(bp) {
   *     total += bp.weight;
   *     return true;
   *   },
   * });
   * assert.equal(total, 2 + 4);
   * assert.equal(index.work.entriesVisited, 4);
   * ```
   */
  visitTask(task: number, visitor: TaskVisitor): void {
    const work = this.#work;
    work.lookups++;
    work.bucketsTouched++;
    // Count in a local and publish once: a store to the counters object
    // per entry would cost about as much as the scan itself.
    let visited = 0;
    let node = this.#head;
    while (node !== null) {
      const next = node.next;
      visited++;
      if (node.task === task && !visitor.visit(node.bp)) break;
      node = next;
    }
    work.entriesVisited += visited;
  }

  /**
   * Sets every work counter back to zero.
   *
   * @example Usage
   * ```ts
   * import { ListTaskIndex } from "@hwbp/list";
   * import assert from "node:assert/strict";
   *
   * const index = new ListTaskIndex();
   * index.visitTask(1, { visit: () => true });
   * index.resetWork();
   * assert.deepEqual(index.work, { lookups: 0, entriesVisited: 0, bucketsTouched: 0 });
   * ```
   */
  resetWork(): void {
    const work = this.#work;
    work.lookups = 0;
    work.entriesVisited = 0;
    work.bucketsTouched = 0;
  }

  /**
   * Every breakpoint in the list, in insertion order.
   *
   * @returns An iterator over the stored breakpoints.
   *
   * @example Usage
   * ```ts
   * import { ListTaskIndex } from "@hwbp/list";
   * import assert from "node:assert/strict";
   *
   * const index = new ListTaskIndex();
   * for (const task of [3, 1, 2]) {
   *   index.insert({ task, cpu: -1, slot: 1, weight: 1, indexEntry: null });
   * }
   * assert.deepEqual([...index].map((bp) => bp.task), [3, 1, 2]);
   * ```
   */
  *[Symbol.iterator](): IterableIterator<TaskBreakpoint> {
    let node = this.#head;
    while (node !== null) {
      const next = node.next;
      yield node.bp;
      node = next;
    }
  }
}
