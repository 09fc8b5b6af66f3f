// The engine's record of one breakpoint: the kernel's `struct hw_perf_event`
// with the attributes it was created from and the list nodes embedded in it.
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
export class Breakpoint {
  /** The engine that owns this record (an opaque identity token). */
  readonly owner: object;
  task: number | null = null;
  cpu = -1;
  type: BreakpointType = "rw";
  slot: SlotType = 0;
  weight = 1;
  /** The index's node, as `TaskBreakpoint.indexEntry`. */
  indexEntry: unknown = null;
  address = 0n;
  length = 0;
  disabled = false;
  inherit = false;
  /** Set once the slot is reserved and the attributes parsed. */
  live = false;
  /** Neighbours in the owner's list of live breakpoints, for self-checks. */
  prevLive: Breakpoint | null = null;
  nextLive: Breakpoint | null = null;
  /**
   * Neighbours in the task's list of inheritable breakpoints (see
   * _inherit.ts): the first record's `prevInherit` is the last one.
   */
  prevInherit: Breakpoint | null = null;
  nextInherit: Breakpoint | null = null;

  constructor(owner: object) {
    this.owner = owner;
  }
}

/** The index's view of a task-bound record (`bp.task !== null`). */
export function asTaskBreakpoint(bp: Breakpoint): TaskBreakpoint {
  return bp as unknown as TaskBreakpoint;
}

/** A new record with `source`'s target, type, weight and attributes. */
export function copyRecord(source: Breakpoint, owner: object): Breakpoint {
  const bp = new Breakpoint(owner);
  bp.task = source.task;
  bp.cpu = source.cpu;
  bp.type = source.type;
  bp.slot = source.slot;
  bp.weight = source.weight;
  bp.address = source.address;
  bp.length = source.length;
  bp.disabled = source.disabled;
  bp.inherit = source.inherit;
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
