// The engine's record of one breakpoint, and the handle callers hold: one
// object. It is the kernel's `struct hw_perf_event` with the attributes it
// was created from and the index's link embedded in it, as the kernel
// embeds its `struct rhlist_head`. Every field is #private, with public
// getters and no setters on a frozen prototype. The engine reads and writes
// the fields through the functions below, and its accounting through the
// methods of `RecordReader`, which only this module can make (the class's
// static block alone sees the fields), never through the getters: an own
// property a caller defines on a handle, or a prototype it
// swaps in, changes what the caller reads and nothing the engine reads.
// (Making each record non-extensible instead would cost a runtime call per
// breakpoint, about 30 ns of a 175 ns reserve and release.) Indexes read
// the key through `getIndexKey()` and keep their link with
// `getIndexEntry()` and `setIndexEntry()` of task_index.ts, for the same
// reason. The class has no constructor key: a record made outside the
// engine (`new bp.constructor()`, `createTaskBreakpoint()`) is never live,
// since only the engine sets an owner, so no engine takes it as a handle.
import type { BreakpointHandle, BreakpointType } from "./breakpoint.ts";
import type { SlotType, TaskBreakpoint, TaskVisitor } from "./task_index.ts";

// The type, the pool, the two attribute flags and the length share one
// small integer, as the kernel packs `struct hw_perf_event`'s bits: each
// field costs 8 bytes in a V8 heap without pointer compression, and a
// record is allocated per breakpoint. Only records with a task ever enter
// a TaskIndex (see `asTaskBreakpoint`).
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

/** What `setOwner()` answers for a record without a task. */
export const CPU_PINNED = -1;
/** What `setOwner()` answers for a task-bound record not inherited. */
export const TASK_BOUND = 0;
/** What `setOwner()` answers for a record created with `inherit: true`. */
export const INHERITABLE = 1;
/** `INHERIT`'s bit, so that `setOwner()` answers with a shift. */
const INHERIT_BIT = 4;

/**
 * Sums a task's weights for one slot pool, as the kernel's
 * `task_bp_pinned()`. One long-lived instance per engine, so a lookup
 * allocates nothing. Defined in the class's static block, so that its
 * `visit()`, the engine's hottest loop, reads the fields directly.
 */
export interface TaskPinnedCounter extends TaskVisitor {
  /** The CPU asked about, or -1 for "the same on every CPU". */
  cpu: number;
  slot: SlotType;
  /** The weight so far, or -1 once the answer differs per CPU. */
  count: number;
}

/**
 * The fields the accounting reads on every reserve and release, as
 * methods: the accounting classes extend this one, so that their reads
 * are `this.taskOf(bp)`, a call V8 resolves through the accounting's own
 * (stable) prototype chain to a known function, where a module function
 * below is a binding V8 loads and checks at each call (measured: 2 % of a
 * reserve and release). Defined in the class's static block, to read the
 * fields directly. An accounting is internal to its engine, so no caller
 * reaches these methods.
 */
export interface RecordReader {
  /** The task, or `null` if CPU-pinned. */
  taskOf(bp: Breakpoint): number | null;
  /** The CPU, or `-1` for every CPU. */
  cpuOf(bp: Breakpoint): number;
  /** Slots it takes. */
  weightOf(bp: Breakpoint): number;
  /** The pool it counts against. */
  slotOf(bp: Breakpoint): SlotType;
}

/** The engine's access to the #private fields (see below). */
interface Access {
  TaskPinnedCounter: new () => TaskPinnedCounter;
  RecordReader: new () => RecordReader;
  newRecord: () => Breakpoint;
  isRecord: (value: unknown) => value is Breakpoint;
  ownerIfRecord: (value: unknown) => object | null | undefined;
  isInherited: (bp: Breakpoint) => boolean;
  ownerOf: (bp: Breakpoint) => object | null;
  setOwner: (bp: Breakpoint, owner: object | null) => number;
  setTask: (bp: Breakpoint, task: number | null) => void;
  setCpu: (bp: Breakpoint, cpu: number) => void;
  setWeight: (bp: Breakpoint, weight: number) => void;
  taskOf: (bp: Breakpoint | TaskBreakpoint) => number | null;
  cpuOf: (bp: Breakpoint | TaskBreakpoint) => number;
  weightOf: (bp: Breakpoint | TaskBreakpoint) => number;
  linkOf: (bp: Breakpoint | TaskBreakpoint) => unknown;
  setLink: (bp: Breakpoint | TaskBreakpoint, link: unknown) => void;
  whereOf: (bp: Breakpoint) => bigint | LongAttributes;
  setWhere: (bp: Breakpoint, where: bigint | LongAttributes) => void;
  bitsOf: (bp: Breakpoint | TaskBreakpoint) => number;
  slotOf: (bp: Breakpoint | TaskBreakpoint) => SlotType;
  fill: (
    bp: Breakpoint,
    task: number | null,
    cpu: number,
    weight: number,
    where: bigint | LongAttributes,
    bits: number,
  ) => void;
  setBits: (bp: Breakpoint, bits: number) => void;
}

/** Set by the class's static block, the only code that sees the fields. */
let access: Access;

export class Breakpoint implements BreakpointHandle {
  /**
   * The engine this record is live in (its opaque identity token), or
   * `null` before it is made live and once it is released: liveness and
   * ownership in one field.
   */
  #owner: object | null = null;
  #task: number | null = null;
  #cpu = -1;
  #weight = 1;
  /** The index's link: `getIndexEntry()` / `setIndexEntry()`. */
  #link: unknown = null;
  /** The address, or both attributes when the length is long (see `LONG`). */
  #where: bigint | LongAttributes = 0n;
  /** Type code, pool, `disabled`, `inherit` and length, as bits (see above). */
  #bits = 2; // "rw" in the instruction pool, length 0

  /** The task it is bound to, or `null` if CPU-pinned. */
  get task(): number | null {
    return this.#task;
  }
  /** The CPU it is pinned to, or `-1` for every CPU. */
  get cpu(): number {
    return this.#cpu;
  }
  /** Slots it takes. */
  get weight(): number {
    return this.#weight;
  }
  /** Whether it still holds its slots (false once released). */
  get live(): boolean {
    return isLive(this);
  }
  /** The address (`attr.bp_addr`). */
  get address(): bigint {
    return addressOf(this);
  }
  /** The length in bytes (`attr.bp_len`). */
  get length(): number {
    return lengthOf(this);
  }
  /** The access type (`attr.bp_type`). */
  get type(): BreakpointType {
    return typeOf(this);
  }
  /** The pool it counts against (`find_slot_idx()`). */
  get slot(): SlotType {
    return slotOf(this);
  }
  /** Whether the event is disabled (`attr.disabled`); it keeps its slot. */
  get disabled(): boolean {
    return isDisabled(this);
  }
  /** Whether a forked child gets a copy (`attr.inherit`). */
  get inherit(): boolean {
    return isInherited(this);
  }

  /** What `console.log()` shows in Deno: the fields, as a plain object. */
  [Symbol.for("Deno.customInspect")](
    inspect: (value: unknown, options: unknown) => string,
    options: unknown,
  ): string {
    return `BreakpointHandle ${inspect(viewOf(this), options)}`;
  }

  /** What `util.inspect()` shows in Node.js. */
  [Symbol.for("nodejs.util.inspect.custom")](
    _depth: number,
    options: unknown,
    inspect: (value: unknown, options: unknown) => string,
  ): string {
    return `BreakpointHandle ${inspect(viewOf(this), options)}`;
  }

  static {
    // Closures over the fields, published below as module constants: a
    // static method would be reachable from any handle as
    // `bp.constructor.setWeight()`.
    access = {
      TaskPinnedCounter: class implements TaskPinnedCounter {
        cpu = -1;
        slot: SlotType = 0;
        count = 0;

        visit(task: TaskBreakpoint): boolean {
          const bp = task as unknown as Breakpoint;
          // The pool is the DATA_SLOT bit, bit 2.
          if (((bp.#bits >>> 2) & 1) !== this.slot) return true;
          const cpu = bp.#cpu;
          if (cpu >= 0) {
            // Asked for every CPU, but the task has a CPU-specific
            // breakpoint: the answer would differ per CPU, so report "not
            // CPU-independent".
            if (this.cpu === -1) {
              this.count = -1;
              return false;
            }
            if (cpu !== this.cpu) return true;
          }
          this.count += bp.#weight;
          return true;
        }
      },
      RecordReader: class implements RecordReader {
        taskOf(bp: Breakpoint): number | null {
          return bp.#task;
        }
        cpuOf(bp: Breakpoint): number {
          return bp.#cpu;
        }
        weightOf(bp: Breakpoint): number {
          return bp.#weight;
        }
        slotOf(bp: Breakpoint): SlotType {
          return (bp.#bits & DATA_SLOT) === 0 ? 0 : 1;
        }
      },
      newRecord: () => new Breakpoint(),
      isRecord: (value): value is Breakpoint =>
        typeof value === "object" && value !== null && #owner in value,
      ownerIfRecord: (value) =>
        typeof value === "object" && value !== null && #owner in value
          ? (value as Breakpoint).#owner
          : undefined,
      isInherited: (bp) => (bp.#bits & INHERIT) !== 0,
      ownerOf: (bp) => bp.#owner,
      setOwner: (bp, owner) => {
        bp.#owner = owner;
        // Small enough for V8 to inline without counting it: it runs on
        // every reserve and release.
        return bp.#task === null ? CPU_PINNED : (bp.#bits >>> INHERIT_BIT) & 1;
      },
      setTask: (bp, task) => {
        bp.#task = task;
      },
      setCpu: (bp, cpu) => {
        bp.#cpu = cpu;
      },
      setWeight: (bp, weight) => {
        bp.#weight = weight;
      },
      taskOf: (bp) => (bp as Breakpoint).#task,
      cpuOf: (bp) => (bp as Breakpoint).#cpu,
      weightOf: (bp) => (bp as Breakpoint).#weight,
      linkOf: (bp) => (bp as Breakpoint).#link,
      setLink: (bp, link) => {
        (bp as Breakpoint).#link = link;
      },
      whereOf: (bp) => bp.#where,
      setWhere: (bp, where) => {
        bp.#where = where;
      },
      bitsOf: (bp) => (bp as Breakpoint).#bits,
      slotOf: (bp) => ((bp as Breakpoint).#bits & DATA_SLOT) === 0 ? 0 : 1,
      fill: (bp, task, cpu, weight, where, bits) => {
        bp.#task = task;
        bp.#cpu = cpu;
        bp.#weight = weight;
        bp.#where = where;
        bp.#bits = bits;
      },
      setBits: (bp, bits) => {
        bp.#bits = bits;
      },
    };
  }
}
Object.freeze(Breakpoint.prototype);
Object.freeze(Breakpoint);

/** The engine's visitor for `task_bp_pinned()`. */
export const TaskPinnedCounter: Access["TaskPinnedCounter"] =
  access.TaskPinnedCounter;
/** The accounting's base class: its field reads (see the interface). */
export const RecordReader: Access["RecordReader"] = access.RecordReader;
/** A new record, not live: no owner, no task, cpu -1, weight 1, "rw". */
export const newRecord: Access["newRecord"] = access.newRecord;
/** Whether `value` is a record (has the #private fields). */
export const isRecord: Access["isRecord"] = access.isRecord;
/**
 * For a record, the engine it is live in (its token) or `null`; for
 * anything else, `undefined`. One check for the release path.
 */
export const ownerIfRecord: Access["ownerIfRecord"] = access.ownerIfRecord;
/** `attr.inherit`. */
export const isInherited: Access["isInherited"] = access.isInherited;
/** The engine the record is live in (its token), or `null`. */
export const ownerOf: Access["ownerOf"] = access.ownerOf;
/**
 * Makes the record live in the engine of `owner`, or not live (`null`),
 * and answers which of the engine's lists it belongs in:
 * {@linkcode CPU_PINNED}, {@linkcode TASK_BOUND} (the index only) or
 * {@linkcode INHERITABLE}. One call, for the reserve and release paths.
 */
export const setOwner: Access["setOwner"] = access.setOwner;
export const setTask: Access["setTask"] = access.setTask;
export const setCpu: Access["setCpu"] = access.setCpu;
export const setWeight: Access["setWeight"] = access.setWeight;
/** The task, or `null` if CPU-pinned. */
export const taskOf: Access["taskOf"] = access.taskOf;
/** The CPU, or `-1` for every CPU. */
export const cpuOf: Access["cpuOf"] = access.cpuOf;
/** Slots it takes. */
export const weightOf: Access["weightOf"] = access.weightOf;
/** The index's link (`TaskBreakpoint`'s index entry). */
export const linkOf: Access["linkOf"] = access.linkOf;
export const setLink: Access["setLink"] = access.setLink;
const whereOf: Access["whereOf"] = access.whereOf;
const setWhere: Access["setWhere"] = access.setWhere;
const bitsOf: Access["bitsOf"] = access.bitsOf;
/** The pool it counts against (`find_slot_idx()`). */
export const slotOf: Access["slotOf"] = access.slotOf;
/** Sets every field but the owner and the link, in one call. */
const fill: Access["fill"] = access.fill;
const setBits: Access["setBits"] = access.setBits;

/**
 * A record's fields as a plain object, for inspection. A module function
 * rather than a private method: a class with private methods stamps a
 * brand on each instance, 8 more bytes per record.
 */
function viewOf(bp: Breakpoint): Record<string, unknown> {
  return {
    task: taskOf(bp),
    cpu: cpuOf(bp),
    type: typeOf(bp),
    weight: weightOf(bp),
    live: isLive(bp),
    address: addressOf(bp),
    length: lengthOf(bp),
    disabled: isDisabled(bp),
    inherit: isInherited(bp),
  };
}

/** Whether it holds its slots in some engine. */
export function isLive(bp: Breakpoint): boolean {
  return ownerOf(bp) !== null;
}

/** The address (`attr.bp_addr`). */
export function addressOf(bp: Breakpoint): bigint {
  const where = whereOf(bp);
  return typeof where === "bigint" ? where : where.address;
}

/** The length in bytes (`attr.bp_len`). */
export function lengthOf(bp: Breakpoint): number {
  const bits = bitsOf(bp);
  if ((bits & LONG) === 0) return bits >>> LENGTH_SHIFT;
  return (whereOf(bp) as LongAttributes).length;
}

/** The access type (`attr.bp_type`). */
export function typeOf(bp: Breakpoint): BreakpointType {
  return TYPES[bitsOf(bp) & TYPE_MASK]!;
}

/** `attr.disabled`. */
export function isDisabled(bp: Breakpoint): boolean {
  return (bitsOf(bp) & DISABLED) !== 0;
}

/**
 * Sets a new record's target, weight and attributes in one call (the spec
 * reader's, on the reserve path): `code` is the type's code (`"r"` 0,
 * `"w"` 1, `"rw"` 2, `"x"` 3).
 */
export function initRecord(
  bp: Breakpoint,
  task: number | null,
  cpu: number,
  weight: number,
  code: number,
  slot: SlotType,
  address: bigint,
  length: number,
  disabled: boolean,
  inherit: boolean,
): void {
  let bits = code | (slot === 0 ? 0 : DATA_SLOT) | (disabled ? DISABLED : 0) |
    (inherit ? INHERIT : 0);
  let where: bigint | LongAttributes = address;
  if (length < LENGTH_LIMIT) bits |= length << LENGTH_SHIFT;
  else {
    bits |= LONG;
    where = { address, length };
  }
  fill(bp, task, cpu, weight, where, bits);
}

/** Sets the address (`attr.bp_addr`). */
export function setAddress(bp: Breakpoint, value: bigint): void {
  const where = whereOf(bp);
  if (typeof where === "bigint") setWhere(bp, value);
  else setWhere(bp, { address: value, length: where.length });
}

/** Sets the length in bytes (`attr.bp_len`). */
export function setLength(bp: Breakpoint, value: number): void {
  const address = addressOf(bp);
  if (value < LENGTH_LIMIT) {
    setWhere(bp, address);
    setBits(bp, (bitsOf(bp) & FLAGS & ~LONG) | (value << LENGTH_SHIFT));
  } else {
    setWhere(bp, { address, length: value });
    setBits(bp, (bitsOf(bp) & FLAGS) | LONG);
  }
}

/** Sets the access type; the pool is set apart (see `setTypeAndSlot`). */
export function setType(bp: Breakpoint, value: BreakpointType): void {
  setBits(bp, (bitsOf(bp) & ~TYPE_MASK) | typeBits(value));
}

/** Sets the pool it counts against. */
export function setSlot(bp: Breakpoint, value: SlotType): void {
  const bits = bitsOf(bp);
  setBits(bp, value === 0 ? bits & ~DATA_SLOT : bits | DATA_SLOT);
}

/** Sets `attr.disabled`. */
export function setDisabled(bp: Breakpoint, value: boolean): void {
  const bits = bitsOf(bp);
  setBits(bp, value ? bits | DISABLED : bits & ~DISABLED);
}

/** Sets `attr.inherit`. */
export function setInherit(bp: Breakpoint, value: boolean): void {
  const bits = bitsOf(bp);
  setBits(bp, value ? bits | INHERIT : bits & ~INHERIT);
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
  setBits(
    bp,
    (bitsOf(bp) & ~(TYPE_MASK | DATA_SLOT)) | code |
      (slot === 0 ? 0 : DATA_SLOT),
  );
}

/** The index's view of a task-bound record (`bp.task !== null`). */
export function asTaskBreakpoint(bp: Breakpoint): TaskBreakpoint {
  return bp as unknown as TaskBreakpoint;
}

/** A new record, not live, with `source`'s target, type, weight and attributes. */
export function copyRecord(source: Breakpoint): Breakpoint {
  const bp = newRecord();
  setTask(bp, taskOf(source));
  setCpu(bp, cpuOf(source));
  setWeight(bp, weightOf(source));
  // The side object of a long length is never changed in place, so the
  // copy may share it.
  setWhere(bp, whereOf(source));
  setBits(bp, bitsOf(source));
  return bp;
}

/** How error messages name a breakpoint: its type and target. */
export function describeRecord(bp: Breakpoint): string {
  const task = taskOf(bp);
  const cpu = cpuOf(bp);
  const target = task === null
    ? `cpu ${cpu}`
    : cpu < 0
    ? `task ${task}`
    : `task ${task} on cpu ${cpu}`;
  return `"${typeOf(bp)}" on ${target}`;
}
