// Each task's inheritable breakpoints, in creation order: what `fork()`
// copies (perf_event_init_task() walks the parent's own event list, not a
// global table). The engine keeps these lists itself instead of asking the
// TaskIndex: the index's work counters model the kernel's accounting
// lookups, and a fork must not show up in them. Only breakpoints created
// with `inherit: true` are listed, so reserve and release of the others
// never touch this map. A task has a handful of them, so a plain array
// (removal O(k)) beats list links in every record.
import { type Breakpoint, isInherited, isLive, taskOf } from "./_breakpoint.ts";

export class InheritLists {
  readonly #lists = new Map<number, Breakpoint[]>();
  #count = 0;

  /** Number of listed records, over every task. */
  get size(): number {
    return this.#count;
  }

  /** The task's inheritable records in creation order, or `undefined`. */
  of(task: number): readonly Breakpoint[] | undefined {
    return this.#lists.get(task);
  }

  /** Appends a live task record with `inherit` set. */
  add(bp: Breakpoint): void {
    const task = taskOf(bp)!;
    const list = this.#lists.get(task);
    if (list === undefined) this.#lists.set(task, [bp]);
    else list.push(bp);
    this.#count++;
  }

  /** Unlists a record {@linkcode add} listed. */
  remove(bp: Breakpoint): void {
    const task = taskOf(bp)!;
    const list = this.#lists.get(task)!;
    if (list.length === 1) {
      this.#lists.delete(task);
    } else {
      list.splice(list.indexOf(bp), 1);
    }
    this.#count--;
  }

  /**
   * `null` if the lists hold exactly the live inheritable task records;
   * else what is wrong. For self-checks.
   */
  verify(live: readonly Breakpoint[]): string | null {
    const expected = live.filter((bp) =>
      isInherited(bp) && taskOf(bp) !== null
    );
    if (expected.length !== this.#count) {
      return `inherit lists hold ${this.#count} breakpoints, expected ${expected.length}`;
    }
    const listed = new Set<Breakpoint>();
    for (const [task, list] of this.#lists) {
      if (list.length === 0) return `inherit list of task ${task} is empty`;
      for (const bp of list) {
        if (
          taskOf(bp) !== task || !isLive(bp) || !isInherited(bp) ||
          listed.has(bp)
        ) {
          return `inherit list of task ${task} holds a breakpoint that does not belong`;
        }
        listed.add(bp);
      }
    }
    return listed.size === this.#count
      ? null
      : `inherit lists hold ${listed.size} breakpoints, count says ${this.#count}`;
  }
}
