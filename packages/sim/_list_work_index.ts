// The list index's work, counted exactly, at the speed of a hash table.
//
// The kernel's list (v5.19 task_bp_pinned(), and ListTaskIndex of
// @hwbp/list) walks every entry of the one global list on each lookup and
// stops early only when the visitor asks it to. The engine's visitor stops
// early only for a task that has a CPU-specific breakpoint, which `perf
// bench breakpoint thread` never creates. So in that workload each lookup
// examines exactly as many entries as the list holds, and a removal (the
// entry knows its neighbours) examines none. This index keeps the same
// breakpoints per task in a Map and charges its work counters with that
// closed form, so the virtual-time model can run the 236-second kernel's
// ~24 billion list steps in well under a second. A test runs the model with
// the real ListTaskIndex on small workloads and checks every counter and
// the modelled total against this one. Should a visitor ever stop early,
// the closed form would no longer hold: this index throws instead of
// miscounting.
import {
  getIndexEntry,
  getIndexKey,
  setIndexEntry,
  type TaskBreakpoint,
  type TaskIndex,
  type TaskIndexWork,
  type TaskVisitor,
} from "@hwbp/core";

export class ListWorkIndex implements TaskIndex {
  readonly name: string = "list";
  readonly #tasks = new Map<number, TaskBreakpoint[]>();
  // The legacy strategy looks the same task up once per CPU in a row:
  // the last lookup's answer, until the next insert or removal.
  #lastTask = NaN;
  #lastBps: TaskBreakpoint[] | undefined = undefined;
  #size = 0;
  readonly #work: TaskIndexWork = {
    lookups: 0,
    entriesVisited: 0,
    bucketsTouched: 0,
  };

  get size(): number {
    return this.#size;
  }

  get work(): Readonly<TaskIndexWork> {
    return this.#work;
  }

  insert(bp: TaskBreakpoint): void {
    if (getIndexEntry(bp) !== null) {
      throw new Error(
        `Cannot insert breakpoint of task ${
          getIndexKey(bp)
        }: it is already stored in an index`,
      );
    }
    let bps = this.#tasks.get(getIndexKey(bp));
    if (bps === undefined) {
      bps = [];
      this.#tasks.set(getIndexKey(bp), bps);
    }
    bps.push(bp);
    this.#lastTask = NaN;
    setIndexEntry(bp, this);
    this.#size++;
  }

  remove(bp: TaskBreakpoint): boolean {
    if (getIndexEntry(bp) !== this) return false;
    const bps = this.#tasks.get(getIndexKey(bp));
    const at = bps === undefined ? -1 : bps.indexOf(bp);
    if (at < 0) return false;
    bps!.splice(at, 1);
    if (bps!.length === 0) this.#tasks.delete(getIndexKey(bp));
    this.#lastTask = NaN;
    setIndexEntry(bp, null);
    this.#size--;
    return true;
  }

  visitTask(task: number, visitor: TaskVisitor): void {
    const work = this.#work;
    work.lookups++;
    work.bucketsTouched++;
    work.entriesVisited += this.#size;
    let bps = this.#lastBps;
    if (task !== this.#lastTask) {
      bps = this.#lastBps = this.#tasks.get(task);
      this.#lastTask = task;
    }
    if (bps === undefined) return;
    for (let i = 0; i < bps.length; i++) {
      if (!visitor.visit(bps[i]!)) {
        throw new Error(
          `Cannot count list work for task ${task}: the visitor stopped early, ` +
            "so the list's walk length depends on entry order",
        );
      }
    }
  }

  resetWork(): void {
    const work = this.#work;
    work.lookups = 0;
    work.entriesVisited = 0;
    work.bucketsTouched = 0;
  }

  *[Symbol.iterator](): Iterator<TaskBreakpoint> {
    for (const bps of this.#tasks.values()) yield* bps;
  }
}
