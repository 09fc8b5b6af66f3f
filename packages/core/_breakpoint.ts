// The engine's record of one breakpoint: the kernel's `struct hw_perf_event`
// with the attributes it was created from and the index's node embedded in it.
// A TaskIndex stores these records (it reads `task`, `cpu`, `slot`, `weight`
// and owns `indexEntry`). Callers never see a record: they hold a `Handle`
// (see _handle.ts) that keeps its record in a #private field, so nothing a
// caller can reach decides liveness, ownership, weight, slot or target.
import type { BreakpointType } from "./breakpoint.ts";
import type { SlotType, TaskBreakpoint } from "./task_index.ts";

// Fields, not getters: the index reads `task` on every lookup, and plain
// fields with every one set in the constructor keep the hidden class
// monomorphic. Only records with a task ever enter a TaskIndex (see
// `asTaskBreakpoint`).
const DISABLED = 1;
const INHERIT = 2;

export class Breakpoint {
  /**
   * The engine this record is live in (its opaque identity token), or
   * `null` before it is made live and once it is released: liveness and
   * ownership in one field.
   */
  owner: object | null = null;
  task: number | null = null;
  cpu = -1;
  type: BreakpointType = "rw";
  slot: SlotType = 0;
  weight = 1;
  /** The index's node, as `TaskBreakpoint.indexEntry`. */
  indexEntry: unknown = null;
  address = 0n;
  length = 0;
  /** `disabled` and `inherit`, as bits: one field instead of two. */
  flags = 0;

  /** Whether the event is disabled (`attr.disabled`); it keeps its slot. */
  get disabled(): boolean {
    return (this.flags & DISABLED) !== 0;
  }
  set disabled(value: boolean) {
    this.flags = value ? this.flags | DISABLED : this.flags & ~DISABLED;
  }

  /** Whether a forked child gets a copy (`attr.inherit`). */
  get inherit(): boolean {
    return (this.flags & INHERIT) !== 0;
  }
  set inherit(value: boolean) {
    this.flags = value ? this.flags | INHERIT : this.flags & ~INHERIT;
  }
}

/** The index's view of a task-bound record (`bp.task !== null`). */
export function asTaskBreakpoint(bp: Breakpoint): TaskBreakpoint {
  return bp as unknown as TaskBreakpoint;
}

/** A new record, not live, with `source`'s target, type, weight and attributes. */
export function copyRecord(source: Breakpoint): Breakpoint {
  const bp = new Breakpoint();
  bp.task = source.task;
  bp.cpu = source.cpu;
  bp.type = source.type;
  bp.slot = source.slot;
  bp.weight = source.weight;
  bp.address = source.address;
  bp.length = source.length;
  bp.flags = source.flags;
  return bp;
}

/** How error messages name a breakpoint: its type and target. */
export function describeRecord(bp: Breakpoint): string {
  const target = bp.task === null
    ? `cpu ${bp.cpu}`
    : bp.cpu < 0
    ? `task ${bp.task}`
    : `task ${bp.task} on cpu ${bp.cpu}`;
  return `"${bp.type}" on ${target}`;
}
