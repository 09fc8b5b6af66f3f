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
 * A breakpoint to reserve slots for: its target (`cpu`, `task`), its weight,
 * and the attributes `perf_event_open()` takes for a breakpoint
 * (`bp_type`, `bp_addr`, `bp_len`, `disabled`, `inherit` of
 * `struct perf_event_attr`).
 *
 * Each field is read exactly once per call. Only `undefined` (or a missing
 * field) means "the default"; `null` is an error for every field but
 * `task`, where it means "CPU-pinned".
 *
 * @example Usage
 * ```ts
 * import type { BreakpointSpec } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * const perThread: BreakpointSpec = { task: 42, type: "rw", inherit: true }; // every CPU
 * const perCpu: BreakpointSpec = { cpu: 3, type: "x", address: 0x401000n }; // CPU-pinned
 * const watch: BreakpointSpec = { task: 42, type: "w", address: 0x7ffe_0010, length: 4 };
 * assert.equal(perThread.cpu, undefined);
 * assert.equal(perCpu.task, undefined);
 * assert.equal(watch.length, 4);
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
  /**
   * The watched address (`bp_addr`), an integer from 0 to 2^64 − 1; a
   * `number` must be a safe integer. Default 0.
   */
  address?: number | bigint;
  /**
   * Bytes watched (`bp_len`), a non-negative safe integer (0 is refused when
   * the attributes are parsed, after the slot is reserved). Default: the
   * length perf passes when none is given (`parse_events_add_breakpoint()`):
   * 4 for data breakpoints, and for execute breakpoints the architecture's
   * natural length (`arch` option), or 8 on a machine without one.
   */
  length?: number;
  /**
   * Whether the event starts disabled (default `false`). A disabled
   * breakpoint still holds its slot: slots are reserved when the event is
   * created, not when it is enabled.
   */
  disabled?: boolean;
  /**
   * Whether a child task inherits a copy on `fork()` (default `false`);
   * see `BreakpointConstraints.inherit()`.
   */
  inherit?: boolean;
}

/**
 * A breakpoint for `BreakpointConstraints.registerWide()`: every field of a
 * {@linkcode BreakpointSpec} but the target, since it goes on every online
 * CPU, CPU-pinned.
 *
 * @example Usage
 * ```ts
 * import type { WideBreakpointSpec } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * const kernelWatch: WideBreakpointSpec = { type: "w", address: 0xffff_8000_0000_1000n, length: 8 };
 * assert.equal(kernelWatch.type, "w");
 * ```
 */
export type WideBreakpointSpec = Omit<BreakpointSpec, "cpu" | "task">;

/**
 * What `BreakpointConstraints.modify()` may change, as the kernel's
 * `modify_user_hw_breakpoint_check()`: the type, address, length and
 * `disabled`. A missing field keeps its value.
 *
 * @example Usage
 * ```ts
 * import type { BreakpointChanges } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * const rearm: BreakpointChanges = { type: "rw", address: 0x1000, disabled: false };
 * assert.equal(rearm.length, undefined);
 * ```
 */
export interface BreakpointChanges {
  /** The new access type. */
  type?: BreakpointType;
  /** The new address, as {@linkcode BreakpointSpec.address}. */
  address?: number | bigint;
  /** The new length in bytes, as {@linkcode BreakpointSpec.length}. */
  length?: number;
  /** Whether the event is disabled; its slot stays reserved either way. */
  disabled?: boolean;
}

/**
 * A reserved breakpoint, as returned by `BreakpointConstraints.reserve()`,
 * `registerWide()` and `inherit()`. Pass it back to `release()` or
 * `modify()` of the same instance.
 *
 * Every property is a getter over the engine's own record: assigning to one
 * throws in strict code and never changes what the engine believes.
 *
 * @example Usage
 * ```ts
 * import { BreakpointConstraints } from "@hwbp/core";
 * import { ListTaskIndex } from "@hwbp/list";
 * import assert from "node:assert/strict";
 *
 * const hw = new BreakpointConstraints({ cpus: 2, slots: 4, index: new ListTaskIndex() });
 * const handle = hw.reserve({ task: 1, type: "w", address: 0x1000 });
 * assert.deepEqual(
 *   [handle.task, handle.cpu, handle.type, handle.weight, handle.live],
 *   [1, -1, "w", 1, true],
 * );
 * assert.deepEqual([handle.address, handle.length, handle.disabled], [0x1000n, 4, false]);
 * assert.throws(() => {
 *   (handle as { live: boolean }).live = false;
 * }, TypeError);
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
  /** The watched address (`modify()` changes it). */
  readonly address: bigint;
  /** Bytes watched (`modify()` changes it). */
  readonly length: number;
  /** Whether the event is disabled; it holds its slot either way. */
  readonly disabled: boolean;
  /** Whether a child task inherits a copy (`inherit()`). */
  readonly inherit: boolean;
}
