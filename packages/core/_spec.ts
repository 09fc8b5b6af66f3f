// Reading and checking what callers pass in: a spec's target, weight and
// attributes (read once each, so a getter cannot answer twice), and the
// architecture's attribute rules (`hw_breakpoint_parse()`), which the
// engine applies only after the slot is reserved, as the kernel does.
import { archCheck, naturalLength } from "./_arch_rules.ts";
import {
  addressOf,
  type Breakpoint,
  initRecord,
  lengthOf,
  setAddress,
  setDisabled,
  setLength,
  setSlot,
  setType,
  typeOf,
} from "./_breakpoint.ts";
import { describe } from "./_describe.ts";
import type { BreakpointType } from "./breakpoint.ts";
import { ConstraintError } from "./constraint_error.ts";
import type { ArchName } from "./profiles.ts";
import type { SlotType } from "./task_index.ts";

const U64_MAX = (1n << 64n) - 1n;
/** Type codes index this list; `X` is the code of `"x"`. */
const TYPES: readonly BreakpointType[] = ["r", "w", "rw", "x"];
const X = 3;

/** The index of `type` in `TYPES`, or -1. */
function typeCode(type: unknown): number {
  switch (type) {
    case "r":
      return 0;
    case "w":
      return 1;
    case "rw":
      return 2;
    case "x":
      return X;
  }
  return -1;
}

/** The spec fields `modify()` cannot change. */
const FIXED_FIELDS = ["cpu", "task", "weight", "inherit"] as const;

/**
 * The machine's rules for reading specs: CPU range, pool layout, and the
 * architecture's natural lengths and attribute checks.
 */
export class SpecRules {
  readonly cpus: number;
  readonly shared: boolean;
  readonly arch: ArchName | null;
  // Natural length and its verdict at address 0, per type code, computed
  // once: most breakpoints use both defaults, and then parsing costs an
  // array read.
  readonly #natural: number[];
  readonly #defaultVerdict: (string | null)[];

  constructor(cpus: number, shared: boolean, arch: ArchName | null) {
    this.cpus = cpus;
    this.shared = shared;
    this.arch = arch;
    this.#natural = TYPES.map((type) =>
      arch === null
        // Without an architecture, what perf passes on a 64-bit machine
        // (parse_events_add_breakpoint(): HW_BREAKPOINT_LEN_4 for data,
        // sizeof(long) for execute).
        ? (type === "x" ? 8 : 4)
        : naturalLength(arch, type)
    );
    this.#defaultVerdict = TYPES.map((type, code) =>
      this.#parse(type, 0n, this.#natural[code]!)
    );
  }

  /**
   * The pool a type draws on (`find_slot_idx()`: any R/W bit takes a data
   * slot, X an instruction slot; a shared pool has only slot 0), or -1.
   */
  slotOf(type: unknown): SlotType | -1 {
    const code = typeCode(type);
    if (code < 0) return -1;
    return code === X || this.shared ? 0 : 1;
  }

  /** {@linkcode slotOf}, throwing `EINVAL` for an unknown type. */
  slotOrThrow(type: unknown, context: string): SlotType {
    const slot = this.slotOf(type);
    if (slot < 0) throw unknownType(context, type);
    return slot as SlotType;
  }

  /**
   * Fills `bp` from `spec`, reading each field exactly once, or throws
   * `EINVAL` naming the first malformed one. `wide` refuses a target.
   *
   * @returns The architecture's verdict on the attributes, as
   * {@linkcode check}; the caller acts on it only once the slot is
   * reserved, as `register_perf_hw_breakpoint()` parses after
   * `reserve_bp_slot()` (the verdict is a pure function of the spec, so
   * computing it early changes nothing).
   */
  read(
    bp: Breakpoint,
    spec: unknown,
    context: string,
    wide: boolean,
  ): string | null {
    if (typeof spec !== "object" || spec === null) {
      throw invalid(context, `spec must be an object, got ${describe(spec)}`);
    }
    const s = spec as Record<string, unknown>;
    const type = s.type;
    const cpu = s.cpu;
    const task = s.task;
    const weight = s.weight;
    const address = s.address;
    const length = s.length;
    const disabled = s.disabled;
    const inherit = s.inherit;

    const code = typeCode(type);
    if (code < 0) throw unknownType(context, type);
    let bpCpu = 0;
    let bpTask: number | null = null;
    if (wide) {
      if (cpu !== undefined || task !== undefined) throw wideTarget(context);
    } else {
      bpCpu = this.#cpu(cpu, context);
      bpTask = readTask(task, context);
      if (bpTask === null && bpCpu === -1) {
        throw invalid(
          context,
          "a breakpoint without a task needs a cpu, got cpu -1",
        );
      }
    }
    const bpWeight = weight === undefined ? 1 : readWeight(weight, context);
    const bpAddress = address === undefined
      ? 0n
      : readAddress(address, context);
    const bpLength = length === undefined
      ? this.#natural[code]!
      : readLength(length, context);
    const bpDisabled = disabled === undefined
      ? false
      : readFlag(disabled, "disabled", context);
    const bpInherit = inherit === undefined
      ? false
      : readFlag(inherit, "inherit", context);
    initRecord(
      bp,
      bpTask,
      bpCpu,
      bpWeight,
      code,
      code === X || this.shared ? 0 : 1,
      bpAddress,
      bpLength,
      bpDisabled,
      bpInherit,
    );
    if (address === undefined && length === undefined) {
      return this.#defaultVerdict[code]!;
    }
    return this.#parse(TYPES[code]!, bpAddress, bpLength);
  }

  /**
   * Reads `modify()`'s changes (a type, or an object of changes) into
   * `next`, a copy of the breakpoint's record, each field exactly once.
   */
  readChanges(next: Breakpoint, changes: unknown, context: string): void {
    if (typeof changes === "string") {
      setSlot(next, this.slotOrThrow(changes, context));
      setType(next, changes as BreakpointType);
      return;
    }
    if (typeof changes !== "object" || changes === null) {
      throw invalid(
        context,
        `changes ${describe(changes)} must be a type or an object of changes`,
      );
    }
    const c = changes as Record<string, unknown>;
    const type = c.type;
    const address = c.address;
    const length = c.length;
    const disabled = c.disabled;
    for (const field of FIXED_FIELDS) {
      if (c[field] !== undefined) {
        throw invalid(
          context,
          `${field} cannot change (only type, address, length and disabled can)`,
        );
      }
    }
    if (type !== undefined) {
      setSlot(next, this.slotOrThrow(type, context));
      setType(next, type as BreakpointType);
    }
    if (address !== undefined) setAddress(next, readAddress(address, context));
    if (length !== undefined) setLength(next, readLength(length, context));
    if (disabled !== undefined) {
      setDisabled(next, readFlag(disabled, "disabled", context));
    }
  }

  /**
   * The architecture's verdict on a type, address and length
   * (`hw_breakpoint_arch_parse()`): `null` if valid, else why not.
   */
  check(type: BreakpointType, address: bigint, length: number): string | null {
    const code = typeCode(type);
    if (address === 0n && length === this.#natural[code]) {
      return this.#defaultVerdict[code]!;
    }
    return this.#parse(type, address, length);
  }

  /**
   * The error for attributes {@linkcode check} refused: `EINVAL`, or
   * `EOPNOTSUPP` where the architecture's rule says the kernel answers so
   * (x86 range breakpoints without `X86_FEATURE_BPEXT`).
   */
  parseError(
    context: string,
    bp: Breakpoint,
    problem: string,
  ): ConstraintError {
    const on = this.arch === null ? "this machine" : this.arch;
    return new ConstraintError(
      problem.includes("(EOPNOTSUPP") ? "EOPNOTSUPP" : "EINVAL",
      `${context}: "${typeOf(bp)}" at 0x${addressOf(bp).toString(16)} length ${
        lengthOf(bp)
      } is invalid on ${on}: ${problem}`,
    );
  }

  #parse(type: BreakpointType, address: bigint, length: number): string | null {
    // No architecture takes a zero length (each arch_build_bp_info()
    // switches over the lengths it knows); a generic machine checks nothing
    // else.
    if (length < 1) return "length 0 watches no byte";
    if (this.arch === null) return null;
    return archCheck(this.arch, type, address, length);
  }

  #cpu(cpu: unknown, context: string): number {
    if (cpu === undefined) return -1;
    if (
      typeof cpu !== "number" || !Number.isSafeInteger(cpu) || cpu < -1 ||
      cpu >= this.cpus
    ) {
      throw badCpu(context, cpu, this.cpus);
    }
    return cpu === 0 ? 0 : cpu; // -0 reads as 0
  }
}

function readTask(task: unknown, context: string): number | null {
  if (task === undefined || task === null) return null;
  if (typeof task !== "number" || !Number.isSafeInteger(task) || task < 0) {
    throw invalid(
      context,
      `task ${describe(task)} must be a non-negative integer or null`,
    );
  }
  return task === 0 ? 0 : task; // -0 reads as 0
}

/** Reads a task id given to `inherit()`. */
export function readTaskId(
  task: unknown,
  name: string,
  context: string,
): number {
  if (typeof task !== "number" || !Number.isSafeInteger(task) || task < 0) {
    throw invalid(
      context,
      `${name} ${describe(task)} must be a non-negative integer`,
    );
  }
  return task === 0 ? 0 : task;
}

function readWeight(weight: unknown, context: string): number {
  if (
    typeof weight !== "number" || !Number.isSafeInteger(weight) || weight < 1
  ) {
    throw invalid(
      context,
      weight === null
        ? "weight null is not a weight: leave weight out for the default (1)"
        : `weight ${describe(weight)} must be a positive integer`,
    );
  }
  return weight;
}

function readAddress(address: unknown, context: string): bigint {
  if (typeof address === "bigint") {
    if (address >= 0n && address <= U64_MAX) return address;
  } else if (
    typeof address === "number" && Number.isSafeInteger(address) &&
    address >= 0
  ) {
    return BigInt(address);
  }
  throw invalid(
    context,
    `address ${
      describe(address)
    } must be an integer from 0 to 2^64 - 1 (a number must be a safe integer)`,
  );
}

function readLength(length: unknown, context: string): number {
  if (
    typeof length !== "number" || !Number.isSafeInteger(length) || length < 0
  ) {
    throw invalid(
      context,
      `length ${describe(length)} must be a non-negative integer`,
    );
  }
  return length === 0 ? 0 : length;
}

function readFlag(value: unknown, name: string, context: string): boolean {
  if (typeof value !== "boolean") {
    throw invalid(context, `${name} ${describe(value)} must be a boolean`);
  }
  return value;
}

function invalid(context: string, detail: string): ConstraintError {
  return new ConstraintError("EINVAL", `${context}: ${detail}`);
}

function unknownType(context: string, type: unknown): ConstraintError {
  return invalid(
    context,
    `unknown type ${describe(type)} (expected "r", "w", "rw" or "x")`,
  );
}

function badCpu(context: string, cpu: unknown, cpus: number): ConstraintError {
  if (cpu === null) {
    return invalid(
      context,
      "cpu null is not a cpu id: leave cpu out for the default (-1, every cpu)",
    );
  }
  return invalid(
    context,
    `cpu ${describe(cpu)} is out of range (-1 or 0..${cpus - 1})`,
  );
}

function wideTarget(context: string): ConstraintError {
  return invalid(
    context,
    "a wide breakpoint takes no cpu or task: it goes on every online cpu",
  );
}
