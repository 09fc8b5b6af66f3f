// The engine's books: the accounting of one strategy, the live CPU-pinned
// records (the index holds the task-bound ones), and each task's
// inheritable records. The public class decides what to do (check input,
// order the steps as the kernel does); these methods do it.
import type { Accounting } from "./_accounting.ts";
import {
  type Breakpoint,
  CPU_PINNED,
  INHERITABLE,
  isRecord,
  ownerIfRecord,
  ownerOf,
  setOwner,
  setSlot,
  setType,
  slotOf,
  taskOf,
  typeOf,
} from "./_breakpoint.ts";
import { badHandle, indexFull, noSpace, notSupported } from "./_errors.ts";
import { InheritLists } from "./_inherit.ts";
import { verifyAccounting } from "./_verify.ts";
import type { BreakpointType } from "./breakpoint.ts";
import type { ConstraintError } from "./constraint_error.ts";
import type { SlotType } from "./task_index.ts";

const POOL_NAMES = ["inst", "data"] as const;

/** Why `handle` is not a live handle of this engine (out of line). */
function refusal(
  handle: unknown,
  owner: object | null | undefined,
  context: string,
): ConstraintError {
  return owner === undefined
    ? badHandle(context, handle, null, false)
    : badHandle(context, handle, handle as Breakpoint, owner !== null);
}

export class Books {
  readonly accounting: Accounting;
  /** Slots per pool: `[inst, data]`, or `[shared]`. */
  readonly slots: readonly number[];
  readonly shared: boolean;
  /** Identity token stamped on every live record of this engine. */
  readonly token: object = Object.freeze({});
  readonly inherit: InheritLists = new InheritLists();
  /**
   * The live CPU-pinned records; the index holds the live task-bound ones.
   * Only `verify()` reads them.
   */
  readonly pinned: Set<Breakpoint> = new Set();
  liveCount = 0;

  constructor(
    accounting: Accounting,
    slots: readonly number[],
    shared: boolean,
  ) {
    this.accounting = accounting;
    this.slots = slots;
    this.shared = shared;
  }

  /** Checks the fit, then accounts `bp` (`__reserve_bp_slot()`). */
  enable(bp: Breakpoint, context: string): void {
    const accounting = this.accounting;
    let pinned: number;
    try {
      pinned = accounting.reserve(bp);
    } catch (error) {
      throw indexFull(error, accounting.index, context);
    }
    if (pinned >= 0) throw this.#noSpace(bp, pinned, context);
  }

  /** The `ENOSPC` of {@linkcode enable} (out of line: it is rare). */
  #noSpace(bp: Breakpoint, pinned: number, context: string): ConstraintError {
    const slot = slotOf(bp);
    return noSpace(
      context,
      bp,
      this.poolName(slot),
      pinned,
      this.slots[slot]!,
    );
  }

  /** `__modify_bp_slot()`: move `bp` to a new type, or leave it as it was. */
  moveSlot(
    bp: Breakpoint,
    type: BreakpointType,
    slot: SlotType,
    context: string,
  ): void {
    const oldType = typeOf(bp);
    const oldSlot = slotOf(bp);
    this.accounting.release(bp);
    setType(bp, type);
    setSlot(bp, slot);
    try {
      this.enable(bp, context);
    } catch (error) {
      // Take the old slot back with a full reserve, as __modify_bp_slot()
      // does. It was ours a moment ago and nothing else ran since, so it
      // must fit again.
      setType(bp, oldType);
      setSlot(bp, oldSlot);
      this.enable(bp, context);
      throw error;
    }
  }

  /** Releases records not yet linked, newest first (a failed batch). */
  releaseAll(made: readonly Breakpoint[]): void {
    for (let i = made.length - 1; i >= 0; i--) {
      this.accounting.release(made[i]!);
    }
  }

  /** The `EOPNOTSUPP` for `bp`'s type if its pool has no slot, else null. */
  unsupported(bp: Breakpoint, context: string): ConstraintError | null {
    if (this.slots[slotOf(bp)] !== 0) return null;
    return notSupported(context, bp, this.poolName(slotOf(bp)));
  }

  poolName(slot: SlotType): string {
    return this.shared ? "shared" : POOL_NAMES[slot];
  }

  /** The live record of one of this engine's handles, or throws. */
  live(handle: unknown, context: string): Breakpoint {
    const owner = ownerIfRecord(handle);
    if (owner !== this.token) throw refusal(handle, owner, context);
    return handle as Breakpoint;
  }

  /** Makes an accounted record live. */
  link(bp: Breakpoint): void {
    const kind = setOwner(bp, this.token);
    this.liveCount++;
    if (kind === CPU_PINNED) this.pinned.add(bp);
    else if (kind === INHERITABLE) this.inherit.add(bp);
  }

  /** Reverses {@linkcode link} once the record's slots are released. */
  unlink(bp: Breakpoint): void {
    const kind = setOwner(bp, null);
    this.liveCount--;
    if (kind === CPU_PINNED) this.pinned.delete(bp);
    else if (kind === INHERITABLE) this.inherit.remove(bp);
  }

  /**
   * The self-check of `BreakpointConstraints.verify()`: the live records
   * are the CPU-pinned list plus the index, which must hold only live
   * records of this engine, as many as the count says.
   */
  verify(): string | null {
    const live: Breakpoint[] = [];
    for (const bp of this.pinned) {
      if (ownerOf(bp) !== this.token || taskOf(bp) !== null) {
        return "the set of CPU-pinned breakpoints holds a stray one";
      }
      live.push(bp);
    }
    const index = this.accounting.index;
    for (const entry of index) {
      if (!isRecord(entry)) {
        return `index "${index.name}" holds an object that is not a breakpoint`;
      }
      const bp = entry;
      if (ownerOf(bp) !== this.token) {
        return `index "${index.name}" holds a breakpoint of task ${
          taskOf(entry)
        } that is not live in this engine`;
      }
      live.push(bp);
    }
    if (live.length !== this.liveCount) {
      return `${live.length} breakpoints are live (CPU-pinned ones and the index's), size says ${this.liveCount}`;
    }
    return verifyAccounting(this.accounting, live) ??
      this.inherit.verify(live);
  }
}
