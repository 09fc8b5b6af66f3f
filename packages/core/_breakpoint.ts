// The engine's record of one breakpoint: the kernel's `struct hw_perf_event`
// with the attributes it was created from and the index's node embedded in it.
// A TaskIndex stores these records (it reads `task`, `cpu`, `slot`, `weight`
// and owns `indexEntry`). Callers never see a record: they hold a `Handle`
// (see _handle.ts) that keeps its record in a #private field, so nothing a
// caller can reach decides liveness, ownership, weight, slot or target.
import type { BreakpointType } from "./breakpoint.ts";
import type { SlotType, TaskBreakpoint } from "./task_index.ts";

// Fields, not getters, for what the index reads on every lookup (`task`,
// `cpu`, `weight`), all set in the constructor so that the hidden class stays
// monomorphic. The type, the pool and the two attribute flags share one small
// integer, as the kernel packs `struct hw_perf_event`'s bits: each field
// costs 8 bytes in a V8 heap without pointer compression, and a record is
// allocated per breakpoint. Only records with a task ever enter a TaskIndex
// (see `asTaskBreakpoint`).
const TYPES: readonly BreakpointType[] = ["r", "w", "rw", "x"];
const TYPE_MASK = 3;
const DATA_SLOT = 4;
const DISABLED = 8;
const INHERIT = 16;

/** The code of a type in `TYPES`. */
function typeBits(type: BreakpointType): number {
  switch (type) {
    case "r":
      return 0;
    case "w":
      return 1;
    case "rw":
      return 2;
    default:
      return 3;
  }
}

export class Breakpoint {
  /**
   * The engine this record is live in (its opaque identity token), or
   * `null` before it is made live and once it is released: liveness and
   * ownership in one field.
   */
  owner: object | null = null;
  task: number | null = null;
  cpu = -1;
  weight = 1;
  /** The index's node, as `TaskBreakpoint.indexEntry`. */
  indexEntry: unknown = null;
  address = 0n;
  length = 0;
  /** Type code, pool, `disabled` and `inherit`, as bits (see above). */
  bits = 2; // "rw" in the instruction pool

  /** The access type (`attr.bp_type`). */
  get type(): BreakpointType {
    return TYPES[this.bits & TYPE_MASK]!;
  }
  set type(value: BreakpointType) {
    this.bits = (this.bits & ~TYPE_MASK) | typeBits(value);
  }

  /** The pool it counts against (`find_slot_idx()`). */
  get slot(): SlotType {
    return (this.bits & DATA_SLOT) === 0 ? 0 : 1;
  }
  set slot(value: SlotType) {
    this.bits = value === 0 ? this.bits & ~DATA_SLOT : this.bits | DATA_SLOT;
  }

  /** Whether the event is disabled (`attr.disabled`); it keeps its slot. */
  get disabled(): boolean {
    return (this.bits & DISABLED) !== 0;
  }
  set disabled(value: boolean) {
    this.bits = value ? this.bits | DISABLED : this.bits & ~DISABLED;
  }

  /** Whether a forked child gets a copy (`attr.inherit`). */
  get inherit(): boolean {
    return (this.bits & INHERIT) !== 0;
  }
  set inherit(value: boolean) {
    this.bits = value ? this.bits | INHERIT : this.bits & ~INHERIT;
  }
}

/**
 * Sets the type, by its code (`"r"` 0, `"w"` 1, `"rw"` 2, `"x"` 3), and the
 * pool in one write, for the spec reader, which knows both already.
 */
export function setTypeAndSlot(
  bp: Breakpoint,
  code: number,
  slot: SlotType,
): void {
  bp.bits = (bp.bits & ~(TYPE_MASK | DATA_SLOT)) | code |
    (slot === 0 ? 0 : DATA_SLOT);
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
  bp.weight = source.weight;
  bp.address = source.address;
  bp.length = source.length;
  bp.bits = source.bits;
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
