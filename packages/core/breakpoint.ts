/**
 * What a breakpoint is, as the constraint engine's callers describe it and
 * get it back.
 *
 * @module
 */

/**
 * Access type of a breakpoint, after the uapi bits of
 * `include/uapi/linux/hw_breakpoint.h`: `"r"` (R = 1), `"w"` (W = 2),
 * `"rw"` (RW = 3) and `"x"` (X = 4). Any R or W bit takes a data slot, X an
 * instruction slot. EMPTY (0) and INVALID (7) have no name here and are
 * rejected with `EINVAL`.
 */
export type BreakpointType = "r" | "w" | "rw" | "x";

/**
 * A breakpoint to reserve slots for.
 *
 * @example Usage
 * ```ts
 * import type { BreakpointSpec } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * const perThread: BreakpointSpec = { task: 42, type: "rw" }; // every CPU
 * const perCpu: BreakpointSpec = { cpu: 3, type: "x" }; // CPU-pinned
 * assert.equal(perThread.cpu, undefined);
 * assert.equal(perCpu.task, undefined);
 * ```
 */
export interface BreakpointSpec {
  /** The access type. */
  type: BreakpointType;
  /** The CPU to pin to, or `-1` (the default) for every CPU. */
  cpu?: number;
  /**
   * The task to bind to (a non-negative integer), or `null` (the default)
   * for a CPU-pinned breakpoint, which needs `cpu >= 0`.
   */
  task?: number | null;
  /** Slots the breakpoint takes; a positive integer, default 1. */
  weight?: number;
}

/**
 * A reserved breakpoint, as returned by `BreakpointConstraints.reserve()`.
 * Pass it back to `release()` or `modify()` of the same instance.
 *
 * @example Usage
 * ```ts
 * import { BreakpointConstraints } from "@hwbp/core";
 * import { ListTaskIndex } from "@hwbp/list";
 * import assert from "node:assert/strict";
 *
 * const hw = new BreakpointConstraints({ cpus: 2, slots: 4, index: new ListTaskIndex() });
 * const handle = hw.reserve({ task: 1, type: "w" });
 * assert.deepEqual(
 *   [handle.task, handle.cpu, handle.type, handle.weight, handle.live],
 *   [1, -1, "w", 1, true],
 * );
 * hw.release(handle);
 * assert.equal(handle.live, false);
 * ```
 */
export interface BreakpointHandle {
  /** The task it is bound to, or `null` if CPU-pinned. */
  readonly task: number | null;
  /** The CPU it is pinned to, or `-1` for every CPU. */
  readonly cpu: number;
  /** Its current access type (`modify()` changes it). */
  readonly type: BreakpointType;
  /** Slots it takes. */
  readonly weight: number;
  /** Whether it still holds its slots (false once released). */
  readonly live: boolean;
}
