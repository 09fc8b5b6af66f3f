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
// monomorphic. The type, the pool, the two attribute flags and the length
// share one small integer, as the kernel packs `struct hw_perf_event`'s
// bits: each field costs 8 bytes in a V8 heap without pointer compression,
// and a record is allocated per breakpoint. Only records with a task ever
// enter a TaskIndex (see `asTaskBreakpoint`).
const TYPES: readonly BreakpointType[] = ["r", "w", "rw", "x"];
const TYPE_MASK = 3;
const DATA_SLOT = 4;
const DISABLED = 8;
const INHERIT = 16;
/** Set when the length is too long for the bits and lives in `where`. */
const LONG = 32;
/** The flags above; the length takes the bits from `LENGTH_SHIFT` up. */
const FLAGS = 63;
const LENGTH_SHIFT = 6;
/**
 * Lengths below this fit in the bits and keep them a small integer (V8's
 * Smi). The lengths breakpoints have (1 to 8, up to 512 for powerpc's
 * DAWR) all do; a longer one, which a machine without an architecture
 * takes, or sh and powerpc after truncating it to 16 bits, goes to a side
 * object with the address.
 */
const LENGTH_LIMIT = 2 ** 24;

/** Where a record with a length past `LENGTH_LIMIT` keeps both attributes. */
interface LongAttributes {
  address: bigint;
  length: number;
}

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
  /** The address, or both attributes when the length is long (see `LONG`). */
  where: bigint | LongAttributes = 0n;
  /** Type code, pool, `disabled`, `inherit` and length, as bits (see above). */
  bits = 2; // "rw" in the instruction pool, length 0

  /** The address (`attr.bp_addr`). */
  get address(): bigint {
    const where = this.where;
    return typeof where === "bigint" ? where : where.address;
  }
  set address(value: bigint) {
    const where = this.where;
    if (typeof where === "bigint") this.where = value;
    else this.where = { address: value, length: where.length };
  }

  /** The length in bytes (`attr.bp_len`). */
  get length(): number {
    const bits = this.bits;
    if ((bits & LONG) === 0) return bits >>> LENGTH_SHIFT;
    return (this.where as LongAttributes).length;
  }
  set length(value: number) {
    const address = this.address;
    if (value < LENGTH_LIMIT) {
      this.where = address;
      this.bits = (this.bits & FLAGS & ~LONG) | (value << LENGTH_SHIFT);
    } else {
      this.where = { address, length: value };
      this.bits = (this.bits & FLAGS) | LONG;
    }
  }

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
