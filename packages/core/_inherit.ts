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
    bp.nextInherit = null;
    if (first === undefined) {
      bp.prevInherit = bp;
      this.#first.set(task, bp);
    } else {
      const last = first.prevInherit!;
      last.nextInherit = bp;
      bp.prevInherit = last;
      first.prevInherit = bp;
    }
    this.#count++;
  }

  /** Unlinks a record {@linkcode add} listed. */
  remove(bp: Breakpoint): void {
    const task = bp.task!;
    const first = this.#first.get(task)!;
    const next = bp.nextInherit;
    if (bp === first) {
      if (next === null) this.#first.delete(task);
      else {
        next.prevInherit = bp.prevInherit;
        this.#first.set(task, next);
      }
    } else {
      bp.prevInherit!.nextInherit = next;
      if (next !== null) next.prevInherit = bp.prevInherit;
      else first.prevInherit = bp.prevInherit;
    }
    bp.prevInherit = null;
    bp.nextInherit = null;
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
      let prev = first.prevInherit!;
      for (
        let bp: Breakpoint | null = first;
        bp !== null;
        bp = bp.nextInherit
      ) {
        if (bp.task !== task || !bp.live || !bp.inherit) {
          return `inherit list of task ${task} holds a breakpoint that does not belong`;
        }
        if (bp !== first && bp.prevInherit !== prev) {
          return `inherit list of task ${task} is broken`;
        }
        prev = bp;
        seen++;
      }
      if (first.prevInherit !== prev) {
        return `inherit list of task ${task} has a stale tail`;
      }
    }
    return seen === this.#count
      ? null
      : `inherit lists link ${seen} breakpoints, count says ${this.#count}`;
  }
}
