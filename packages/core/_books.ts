// The engine's books: the accounting of one strategy, the list of live
// records, and each task's inheritable records. The public class decides
// what to do (check input, order the steps as the kernel does); these
// methods do it.
import type { Accounting } from "./_accounting.ts";
import type { Breakpoint } from "./_breakpoint.ts";
import { badHandle, indexFull, noSpace, notSupported } from "./_errors.ts";
import { Handle } from "./_handle.ts";
import { InheritLists } from "./_inherit.ts";
import { verifyAccounting } from "./_verify.ts";
import type { BreakpointType } from "./breakpoint.ts";
import type { ConstraintError } from "./constraint_error.ts";
import type { SlotType } from "./task_index.ts";

const POOL_NAMES = ["inst", "data"] as const;

export class Books {
  readonly accounting: Accounting;
  /** Slots per pool: `[inst, data]`, or `[shared]`. */
  readonly slots: readonly number[];
  readonly shared: boolean;
  /** Identity token stamped on every record of this engine. */
  readonly token: object = Object.freeze({});
  readonly inherit: InheritLists = new InheritLists();
  /** Head of the intrusive list of live records, for self-checks. */
  liveHead: Breakpoint | null = null;
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
    if (pinned >= 0) {
      throw noSpace(
        context,
        bp,
        this.poolName(bp.slot),
        pinned,
        this.slots[bp.slot]!,
      );
    }
  }

  /** `__modify_bp_slot()`: move `bp` to a new type, or leave it as it was. */
  moveSlot(
    bp: Breakpoint,
    type: BreakpointType,
    slot: SlotType,
    context: string,
  ): void {
    const oldType = bp.type;
    const oldSlot = bp.slot;
    this.accounting.release(bp);
    bp.type = type;
    bp.slot = slot;
    try {
      this.enable(bp, context);
    } catch (error) {
      // Take the old slot back with a full reserve, as __modify_bp_slot()
      // does. It was ours a moment ago and nothing else ran since, so it
      // must fit again.
      bp.type = oldType;
      bp.slot = oldSlot;
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
    if (this.slots[bp.slot] !== 0) return null;
    return notSupported(context, bp, this.poolName(bp.slot));
  }

  poolName(slot: SlotType): string {
    return this.shared ? "shared" : POOL_NAMES[slot];
  }

  /** The live record of one of this engine's handles, or throws. */
  live(handle: unknown, context: string): Breakpoint {
    const bp = Handle.recordOf(handle);
    if (bp === null || bp.owner !== this.token || !bp.live) {
      throw badHandle(context, handle, bp, bp?.owner !== this.token);
    }
    return bp;
  }

  /** Makes an accounted record live. */
  link(bp: Breakpoint): void {
    const head = this.liveHead;
    bp.nextLive = head;
    if (head !== null) head.prevLive = bp;
    this.liveHead = bp;
    this.liveCount++;
    bp.live = true;
    if (bp.inherit && bp.task !== null) this.inherit.add(bp);
  }

  /** Reverses {@linkcode link} once the record's slots are released. */
  unlink(bp: Breakpoint): void {
    const { prevLive, nextLive } = bp;
    if (prevLive !== null) prevLive.nextLive = nextLive;
    else this.liveHead = nextLive;
    if (nextLive !== null) nextLive.prevLive = prevLive;
    bp.prevLive = null;
    bp.nextLive = null;
    bp.live = false;
    this.liveCount--;
    if (bp.inherit && bp.task !== null) this.inherit.remove(bp);
  }

  /** The self-check of `BreakpointConstraints.verify()`. */
  verify(): string | null {
    const live: Breakpoint[] = [];
    for (let bp = this.liveHead; bp !== null; bp = bp.nextLive) live.push(bp);
    if (live.length !== this.liveCount) {
      return `${live.length} breakpoints are linked live, size says ${this.liveCount}`;
    }
    return verifyAccounting(this.accounting, live) ??
      this.inherit.verify(live);
  }
}
