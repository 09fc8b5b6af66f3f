/**
 * {@linkcode ListTaskIndex}: the kernel's global `bp_task_head` list.
 *
 * @module
 */

import {
  getIndexEntry,
  getIndexKey,
  setIndexEntry,
  type TaskBreakpoint,
  type TaskIndex,
  type TaskIndexWork,
  type TaskVisitor,
} from "@hwbp/core";

/**
 * The entry of a breakpoint in the list, kept in
 * index entry (`getIndexEntry()`) the way the kernel embeds
 * `hw.bp_list` in every `struct perf_event`: given the breakpoint, removal
 * finds its place without a search.
 */
class ListNode {
  /** The index whose list holds this entry; `null` once it is unlinked. */
  owner: ListTaskIndex | null;
  /** The entry's position in the index's link and key arrays. */
  readonly at: number;

  constructor(owner: ListTaskIndex, at: number) {
    this.owner = owner;
    this.at = at;
  }
}

/** The end of the list, and of the free list, in the link arrays. */
const NIL = -1;
const INITIAL_CAPACITY = 16;

/**
 * A {@linkcode TaskIndex} that keeps every task breakpoint in one doubly
 * linked list: the `bp_task_head` list of `kernel/events/hw_breakpoint.c`
 * up to Linux v5.19.
 *
 * New breakpoints go to the tail (`list_add_tail()`), and removal unlinks in
 * constant time through the node stored in
 * index entry (`getIndexEntry()`) (`list_del()`). A task lookup has no
 * key to go by: like the old `task_bp_pinned()`, it scans every breakpoint
 * of every task. With the constraint engine calling it once per CPU, that
 * O(n) scan is what made `perf bench breakpoint thread` take minutes on
 * large machines, and what the 2022 move to an rhltable fixed.
 *
 * The list owns index entry (`getIndexEntry()`) while it holds a
 * breakpoint, and sets it back to `null` on removal.
 *
 * | Method                   | Time | Work counted                        |
 * | ------------------------ | ---- | ----------------------------------- |
 * | insert(bp)               | O(1) | none (amortized: arrays double)     |
 * | remove(bp)               | O(1) | none                                |
 * | visitTask(task, visitor) | O(n) | 1 lookup, 1 list head, each entry   |
 * | size                     | O(1) | none                                |
 * | [Symbol.iterator]()      | O(n) | none                                |
 *
 * @example Usage
 * ```ts
 * import { ListTaskIndex } from "@hwbp/list";
 * import { createTaskBreakpoint, getIndexEntry, type TaskBreakpoint } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * const index = new ListTaskIndex();
 * const a: TaskBreakpoint = createTaskBreakpoint({ task: 1, cpu: -1, slot: 1, weight: 1 });
 * const b: TaskBreakpoint = createTaskBreakpoint({ task: 2, cpu: 0, slot: 1, weight: 1 });
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
 * assert.equal(getIndexEntry(a), null);
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

  // The links and keys live in typed arrays, one position per entry, not in
  // a heap object per entry: the kernel's scan walks `struct perf_event`s
  // the allocator placed, but a V8 heap object lands wherever the garbage
  // collector's copying order puts it, and this O(n) walk reads every entry
  // per CPU, so its speed depended on that placement (up to 50% between
  // runs of the same workload). The arrays keep the walk's memory compact
  // whatever else the process allocates. `#tasks[i]` copies `bp.task`,
  // which never changes, as the kernel's scan reads `iter->hw.target` from
  // the struct that holds the link.
  #head = NIL;
  #tail = NIL;
  #free = NIL;
  #used = 0;
  #next: Int32Array = new Int32Array(INITIAL_CAPACITY);
  #prev: Int32Array = new Int32Array(INITIAL_CAPACITY);
  #tasks: Float64Array = new Float64Array(INITIAL_CAPACITY);
  #bps: (TaskBreakpoint | null)[] = new Array(INITIAL_CAPACITY).fill(null);
  #size = 0;
  #work: TaskIndexWork = { lookups: 0, entriesVisited: 0, bucketsTouched: 0 };

  /**
   * The number of breakpoints in the list.
   *
   * @returns The number of breakpoints stored.
   *
   * @example Usage
   * ```ts
   * import { createTaskBreakpoint } from "@hwbp/core";
   * import { ListTaskIndex } from "@hwbp/list";
   * import assert from "node:assert/strict";
   *
   * const index = new ListTaskIndex();
   * index.insert(createTaskBreakpoint({ task: 1, cpu: -1, slot: 1, weight: 1 }));
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
   * import { createTaskBreakpoint } from "@hwbp/core";
   * import { ListTaskIndex } from "@hwbp/list";
   * import assert from "node:assert/strict";
   *
   * const index = new ListTaskIndex();
   * for (let task = 0; task < 3; task++) {
   *   index.insert(createTaskBreakpoint({ task, cpu: -1, slot: 1, weight: 1 }));
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
   * index entry (`getIndexEntry()`).
   *
   * @param bp The breakpoint to store; its index entry must be `null`.
   * @throws {Error} If `getIndexEntry(bp)` is not `null`: the breakpoint is
   * already in an index, and overwriting its entry would corrupt that index.
   *
   * @example Usage
   * ```ts
   * import { ListTaskIndex } from "@hwbp/list";
   * import { createTaskBreakpoint, getIndexEntry, type TaskBreakpoint } from "@hwbp/core";
   * import assert from "node:assert/strict";
   *
   * const index = new ListTaskIndex();
   * const bp: TaskBreakpoint = createTaskBreakpoint({ task: 4, cpu: -1, slot: 1, weight: 1 });
   * index.insert(bp);
   * assert.notEqual(getIndexEntry(bp), null);
   * assert.throws(() => index.insert(bp), /already stored in an index/);
   * ```
   */
  insert(bp: TaskBreakpoint): void {
    if (getIndexEntry(bp) !== null) {
      throw new Error(
        `Cannot insert breakpoint of task ${
          getIndexKey(bp)
        }: it is already stored in an index`,
      );
    }
    const at = this.#take();
    const tail = this.#tail;
    this.#prev[at] = tail;
    this.#next[at] = NIL;
    this.#tasks[at] = getIndexKey(bp);
    this.#bps[at] = bp;
    if (tail === NIL) this.#head = at;
    else this.#next[tail] = at;
    this.#tail = at;
    setIndexEntry(bp, new ListNode(this, at));
    this.#size++;
  }

  /**
   * Unlinks a breakpoint in constant time through its
   * index entry (`getIndexEntry()`), which is then set to `null`.
   *
   * @param bp The breakpoint to remove.
   * @returns `true` if this list held it, `false` (and nothing changes) if
   * it is in no index or in another one.
   *
   * @example Usage
   * ```ts
   * import { ListTaskIndex } from "@hwbp/list";
   * import { createTaskBreakpoint, getIndexEntry, type TaskBreakpoint } from "@hwbp/core";
   * import assert from "node:assert/strict";
   *
   * const index = new ListTaskIndex();
   * const other = new ListTaskIndex();
   * const bp: TaskBreakpoint = createTaskBreakpoint({ task: 4, cpu: -1, slot: 1, weight: 1 });
   * index.insert(bp);
   *
   * assert.equal(other.remove(bp), false);
   * assert.equal(index.remove(bp), true);
   * assert.equal(getIndexEntry(bp), null);
   * assert.equal(index.remove(bp), false);
   * ```
   */
  remove(bp: TaskBreakpoint): boolean {
    const node = getIndexEntry(bp);
    // The entry must be ours and still linked, and really the breakpoint's
    // own: anything else is not in this list and must stay untouched.
    if (
      !(node instanceof ListNode) || node.owner !== this ||
      this.#bps[node.at] !== bp
    ) {
      return false;
    }
    const at = node.at;
    const prev = this.#prev[at]!;
    const next = this.#next[at]!;
    if (prev === NIL) this.#head = next;
    else this.#next[prev] = next;
    if (next === NIL) this.#tail = prev;
    else this.#prev[next] = prev;
    this.#bps[at] = null;
    this.#next[at] = this.#free;
    this.#free = at;
    node.owner = null;
    setIndexEntry(bp, null);
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
   * import { createTaskBreakpoint } from "@hwbp/core";
   * import { ListTaskIndex } from "@hwbp/list";
   * import assert from "node:assert/strict";
   *
   * const index = new ListTaskIndex();
   * for (let i = 0; i < 4; i++) {
   *   index.insert(createTaskBreakpoint({ task: i % 2, cpu: -1, slot: 1, weight: i + 1 }));
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
    const nextOf = this.#next;
    const tasks = this.#tasks;
    let at = this.#head;
    while (at !== NIL) {
      const next = nextOf[at]!;
      visited++;
      if (tasks[at] === task && !visitor.visit(this.#bps[at]!)) break;
      at = next;
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
   * import { createTaskBreakpoint } from "@hwbp/core";
   * import { ListTaskIndex } from "@hwbp/list";
   * import assert from "node:assert/strict";
   *
   * const index = new ListTaskIndex();
   * for (const task of [3, 1, 2]) {
   *   index.insert(createTaskBreakpoint({ task, cpu: -1, slot: 1, weight: 1 }));
   * }
   * assert.deepEqual([...index].map((bp) => bp.task), [3, 1, 2]);
   * ```
   */
  *[Symbol.iterator](): IterableIterator<TaskBreakpoint> {
    let at = this.#head;
    while (at !== NIL) {
      const next = this.#next[at]!;
      yield this.#bps[at]!;
      at = next;
    }
  }

  /** A free position in the arrays, which double when all are used. */
  #take(): number {
    const free = this.#free;
    if (free !== NIL) {
      this.#free = this.#next[free]!;
      return free;
    }
    if (this.#used === this.#next.length) this.#grow();
    return this.#used++;
  }

  #grow(): void {
    const capacity = this.#next.length * 2;
    const next = new Int32Array(capacity);
    next.set(this.#next);
    this.#next = next;
    const prev = new Int32Array(capacity);
    prev.set(this.#prev);
    this.#prev = prev;
    const tasks = new Float64Array(capacity);
    tasks.set(this.#tasks);
    this.#tasks = tasks;
    const bps = this.#bps;
    for (let i = bps.length; i < capacity; i++) bps.push(null);
  }
}
