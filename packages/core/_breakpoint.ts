// The engine's concrete handle. Private to the package: callers only see it
// through the readonly `BreakpointHandle` and `TaskBreakpoint` views, so a
// handle cannot be forged with a plain object.
import type { BreakpointHandle, BreakpointType } from "./breakpoint.ts";
import type { SlotType, TaskBreakpoint } from "./task_index.ts";

// Fields, not getters: the index reads `task` on every lookup, and plain
// fields keep the hidden class monomorphic. Only handles with a task ever
// enter a TaskIndex (see `asTaskBreakpoint`).
export class Breakpoint implements BreakpointHandle {
  readonly task: number | null;
  readonly cpu: number;
  type: BreakpointType;
  slot: SlotType;
  readonly weight: number;
  indexEntry: unknown = null;
  /** The engine that owns this handle (an opaque identity token). */
  readonly owner: object;
  live = true;
  /** Neighbours in the owner's list of live breakpoints, for self-checks. */
  prevLive: Breakpoint | null = null;
  nextLive: Breakpoint | null = null;

  constructor(
    owner: object,
    task: number | null,
    cpu: number,
    type: BreakpointType,
    slot: SlotType,
    weight: number,
  ) {
    this.owner = owner;
    this.task = task;
    this.cpu = cpu;
    this.type = type;
    this.slot = slot;
    this.weight = weight;
  }
}

/** The index's view of a task-bound handle (`bp.task !== null`). */
export function asTaskBreakpoint(bp: Breakpoint): TaskBreakpoint {
  return bp as unknown as TaskBreakpoint;
}
