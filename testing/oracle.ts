/**
 * A brute-force model of breakpoint constraints, written from the rule of
 * `kernel/events/hw_breakpoint.c` alone (for every CPU a breakpoint can run
 * on: CPU-pinned slots + its task's slots there, or the busiest task's for a
 * CPU-pinned one, + its weight must fit) and sharing no code with the
 * engine: it keeps a flat list of live breakpoints, in creation order, and
 * recomputes the constraint from scratch on every call.
 *
 * @module
 */

/** Access types, as the engine names them. */
export type OracleType = "r" | "w" | "rw" | "x";

/** A live breakpoint of the oracle. */
export interface OracleBreakpoint {
  cpu: number;
  task: number | null;
  type: OracleType;
  weight: number;
  /** Whether a forked child gets a copy. */
  inherit: boolean;
}

/** What an operation did. */
export type OracleOutcome = "ok" | "ENOSPC" | "EINVAL";

/** The machine the oracle models. */
export interface OracleMachine {
  cpus: number;
  /** The online CPUs, ascending; `registerWide()` uses only these. */
  online: number[];
  instSlots: number;
  dataSlots: number;
  shared: boolean;
}

export class Oracle {
  readonly machine: OracleMachine;
  readonly live: OracleBreakpoint[] = [];

  constructor(machine: OracleMachine) {
    this.machine = machine;
  }

  /** The pool a type counts against: "inst", "data" or "shared". */
  poolOf(type: OracleType): string {
    if (this.machine.shared) return "shared";
    return type === "x" ? "inst" : "data";
  }

  slotsOf(pool: string): number {
    if (pool === "inst") return this.machine.instSlots;
    if (pool === "data") return this.machine.dataSlots;
    return this.machine.instSlots;
  }

  /** Does `bp` fit next to every live breakpoint? */
  fits(bp: OracleBreakpoint): boolean {
    const pool = this.poolOf(bp.type);
    const limit = this.slotsOf(pool);
    const cpus = bp.cpu === -1
      ? Array.from({ length: this.machine.cpus }, (_, i) => i)
      : [bp.cpu];
    for (const c of cpus) {
      let cpuPinned = 0;
      const perTask = new Map<number, number>();
      for (const other of this.live) {
        if (this.poolOf(other.type) !== pool) continue;
        if (other.task === null) {
          if (other.cpu === c) cpuPinned += other.weight;
        } else if (other.cpu === -1 || other.cpu === c) {
          perTask.set(
            other.task,
            (perTask.get(other.task) ?? 0) + other.weight,
          );
        }
      }
      const taskSlots = bp.task === null
        ? Math.max(0, ...perTask.values())
        : perTask.get(bp.task) ?? 0;
      if (cpuPinned + taskSlots + bp.weight > limit) return false;
    }
    return true;
  }

  reserve(bp: OracleBreakpoint): OracleOutcome {
    if (bp.task === null && bp.cpu === -1) return "EINVAL";
    if (!this.fits(bp)) return "ENOSPC";
    this.live.push({ ...bp });
    return "ok";
  }

  release(i: number): void {
    this.live.splice(i, 1);
  }

  /** Release the old type, reserve the new one, or restore the old. */
  modify(i: number, type: OracleType): OracleOutcome {
    const bp = this.live[i]!;
    if (bp.type === type) return "ok";
    this.live.splice(i, 1);
    const changed = { ...bp, type };
    if (!this.fits(changed)) {
      this.live.splice(i, 0, bp);
      return "ENOSPC";
    }
    this.live.splice(i, 0, changed);
    return "ok";
  }

  /**
   * One CPU-pinned breakpoint per online CPU, ascending, all or nothing
   * (`register_wide_hw_breakpoint()`).
   */
  registerWide(type: OracleType, weight: number): OracleOutcome {
    const before = this.live.length;
    for (const cpu of this.machine.online) {
      const bp = { cpu, task: null, type, weight, inherit: false };
      if (!this.fits(bp)) {
        this.live.length = before;
        return "ENOSPC";
      }
      this.live.push(bp);
    }
    return "ok";
  }

  /**
   * A fork: the child gets a copy of each of the parent's inheritable
   * breakpoints, in creation order, all or nothing.
   */
  inherit(parent: number, child: number): OracleOutcome {
    if (parent === child) return "EINVAL";
    const sources = this.live.filter((bp) => bp.task === parent && bp.inherit);
    const before = this.live.length;
    for (const source of sources) {
      const copy = { ...source, task: child };
      if (!this.fits(copy)) {
        this.live.length = before;
        return "ENOSPC";
      }
      this.live.push(copy);
    }
    return "ok";
  }

  isUsed(): boolean {
    return this.live.length > 0;
  }
}
