// Each task's inheritable breakpoints, in creation order: what `fork()`
// copies (perf_event_init_task() walks the parent's own event list, not a
// global table). The engine keeps these lists itself instead of asking the
// TaskIndex: the index's work counters model the kernel's accounting
// lookups, and a fork must not show up in them. Only breakpoints created
// with `inherit: true` are listed, so reserve and release of the others
// never touch this map.
import type { Breakpoint } from "./_breakpoint.ts";

export class InheritLists {
  /** task → its first inheritable record; that record's prev is the last. */
  readonly #first = new Map<number, Breakpoint>();
  #count = 0;

  /** Number of listed records, over every task. */
  get size(): number {
    return this.#count;
  }

  /** The task's first inheritable record, or `undefined`. */
  first(task: number): Breakpoint | undefined {
    return this.#first.get(task);
  }

  /** Appends a live task record with `inherit` set. */
  add(bp: Breakpoint): void {
    const task = bp.task!;
    const first = this.#first.get(task);
    bp.next = null;
    if (first === undefined) {
      bp.prev = bp;
      this.#first.set(task, bp);
    } else {
      const last = first.prev!;
      last.next = bp;
      bp.prev = last;
      first.prev = bp;
    }
    this.#count++;
  }

  /** Unlinks a record {@linkcode add} listed. */
  remove(bp: Breakpoint): void {
    const task = bp.task!;
    const first = this.#first.get(task)!;
    const next = bp.next;
    if (bp === first) {
      if (next === null) this.#first.delete(task);
      else {
        next.prev = bp.prev;
        this.#first.set(task, next);
      }
    } else {
      bp.prev!.next = next;
      if (next !== null) next.prev = bp.prev;
      else first.prev = bp.prev;
    }
    bp.prev = null;
    bp.next = null;
    this.#count--;
  }

  /**
   * `null` if the lists hold exactly the live inheritable task records, in
   * a consistent order; else what is wrong. For self-checks.
   */
  verify(live: readonly Breakpoint[]): string | null {
    const expected = live.filter((bp) => bp.inherit && bp.task !== null);
    if (expected.length !== this.#count) {
      return `inherit lists hold ${this.#count} breakpoints, expected ${expected.length}`;
    }
    let seen = 0;
    for (const [task, first] of this.#first) {
      let prev = first.prev!;
      for (
        let bp: Breakpoint | null = first;
        bp !== null;
        bp = bp.next
      ) {
        if (bp.task !== task || bp.owner === null || !bp.inherit) {
          return `inherit list of task ${task} holds a breakpoint that does not belong`;
        }
        if (bp !== first && bp.prev !== prev) {
          return `inherit list of task ${task} is broken`;
        }
        prev = bp;
        seen++;
      }
      if (first.prev !== prev) {
        return `inherit list of task ${task} has a stale tail`;
      }
    }
    return seen === this.#count
      ? null
      : `inherit lists link ${seen} breakpoints, count says ${this.#count}`;
  }
}
