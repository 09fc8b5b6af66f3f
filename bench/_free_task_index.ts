/**
 * An index that costs (almost) nothing, for `engine_vs_minimum.ts
 * --free-index`: it splits the engine's cost from the index's.
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
 * A TaskIndex that costs (almost) nothing: one array of breakpoints per
 * task id, for dense ids. Only for splitting engine cost from index cost.
 */
export class FreeTaskIndex implements TaskIndex {
  readonly name = "free";
  readonly work: TaskIndexWork = {
    lookups: 0,
    entriesVisited: 0,
    bucketsTouched: 0,
  };
  size = 0;
  readonly #byTask: (TaskBreakpoint[] | undefined)[] = [];

  insert(bp: TaskBreakpoint): void {
    const list = this.#byTask[bp.task];
    if (list === undefined) this.#byTask[bp.task] = [bp];
    else list.push(bp);
    this.size++;
  }

  remove(bp: TaskBreakpoint): boolean {
    const list = this.#byTask[bp.task];
    const i = list === undefined ? -1 : list.indexOf(bp);
    if (i < 0) return false;
    list![i] = list![list!.length - 1]!;
    list!.pop();
    if (list!.length === 0) this.#byTask[bp.task] = undefined;
    this.size--;
    return true;
  }

  visitTask(task: number, visitor: TaskVisitor): void {
    this.work.lookups++;
    const list = this.#byTask[task];
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      if (!visitor.visit(list[i]!)) return;
    }
  }

  resetWork(): void {
    this.work.lookups = 0;
  }

  *[Symbol.iterator](): Iterator<TaskBreakpoint> {
    for (const list of this.#byTask) if (list !== undefined) yield* list;
  }
}
