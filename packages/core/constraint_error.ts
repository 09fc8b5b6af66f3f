/**
 * The one error class of the constraint engine.
 *
 * @module
 */

/**
 * Kernel-style error codes a {@linkcode ConstraintError} carries:
 * - `ENOSPC`: the breakpoint does not fit in the free slots;
 * - `EINVAL`: an argument or option makes no sense;
 * - `ENOENT`: the handle is not live in this engine (released already, or
 *   from another instance);
 * - `E2BIG`: the task index refused to grow past its maximum size;
 * - `EBUSY`: a kgdb entry (`dbgReserve()`, `dbgRelease()`) found the
 *   constraints locked; like `dbg_reserve_bp_slot()` it never waits;
 * - `EDEADLK`: a call needs a lock a guard from `lock()` holds; in one
 *   JavaScript thread that wait could never end;
 * - `EOPNOTSUPP`: the operation or breakpoint type is not supported here
 *   (since Linux v6.15, a type whose pool has no slots).
 */
export type ConstraintErrorCode =
  | "ENOSPC"
  | "EINVAL"
  | "ENOENT"
  | "E2BIG"
  | "EBUSY"
  | "EDEADLK"
  | "EOPNOTSUPP";

/**
 * Thrown by every public entry of the constraint engine on bad input or a
 * full machine. A call that throws leaves all state exactly as before.
 *
 * @example Usage
 * ```ts
 * import { ConstraintError } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * const err = new ConstraintError("ENOSPC", "Cannot reserve breakpoint: no free data slot on cpu 0");
 * assert.equal(err.code, "ENOSPC");
 * assert.ok(err instanceof Error);
 * ```
 */
export class ConstraintError extends Error {
  /** The kernel-style error code. */
  readonly code: ConstraintErrorCode;

  /**
   * Creates an error.
   *
   * @param code The kernel-style code.
   * @param message What went wrong, naming the offending value.
   */
  constructor(code: ConstraintErrorCode, message: string) {
    super(message);
    this.name = "ConstraintError";
    this.code = code;
  }
}
