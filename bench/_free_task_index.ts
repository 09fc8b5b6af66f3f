/**
 * An index that costs (almost) nothing, for `engine_vs_minimum.ts
 * --free-index`: it splits the engine's cost from the index's.
 *
 * @module
 */
import {
  getIndexKey,
  type TaskBreakpoint,
  type TaskIndex,
  type TaskIndexWork,
  type TaskVisitor,
} from "@hwbp/core";

/**
 * A TaskIndex that costs (almost) nothing: one array of breakpoints per
 * task, in a native `Map` (the practical minimum's own structure), with no
 * seeded hash, no resize policy and no work counters beyond `lookups`.
 * Only for splitting engine cost from index cost. (It once kept the arrays
 * in a plain array indexed by task id, which V8 turns into a slow
 * dictionary once the bench's ever-growing ids leave it sparse.)
 */
export class FreeTaskIndex implements TaskIndex {
  readonly name = "free";
  readonly work: TaskIndexWork = {
    lookups: 0,
    entriesVisited: 0,
    bucketsTouched: 0,
  };
  size = 0;
  readonly #byTask = new Map<number, TaskBreakpoint[]>();

  insert(bp: TaskBreakpoint): void {
    const list = this.#byTask.get(getIndexKey(bp));
    if (list === undefined) this.#byTask.set(getIndexKey(bp), [bp]);
    else list.push(bp);
    this.size++;
  }

  remove(bp: TaskBreakpoint): boolean {
    const list = this.#byTask.get(getIndexKey(bp));
    const i = list === undefined ? -1 : list.indexOf(bp);
    if (i < 0) return false;
    list![i] = list![list!.length - 1]!;
    list!.pop();
    if (list!.length === 0) this.#byTask.delete(getIndexKey(bp));
    this.size--;
    return true;
  }

  visitTask(task: number, visitor: TaskVisitor): void {
    this.work.lookups++;
    const list = this.#byTask.get(task);
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      if (!visitor.visit(list[i]!)) return;
    }
  }

  resetWork(): void {
    this.work.lookups = 0;
  }

  *[Symbol.iterator](): Iterator<TaskBreakpoint> {
    for (const list of this.#byTask.values()) yield* list;
  }
}
