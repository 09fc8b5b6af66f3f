/**
 * The one error class of `RhlTable`.
 *
 * @module
 */

/**
 * Kernel-style codes a {@linkcode RhlTableError} carries:
 * - `E2BIG`: inserting a new key would take the table past its maximum
 *   number of keys (twice `maxSize`, as the kernel's `max_elems`);
 * - `EAGAIN`: the table changed while an `RhlTable.entries()` walk
 *   was in progress, so the walk cannot go on.
 */
export type RhlTableErrorCode = "E2BIG" | "EAGAIN";

/**
 * Thrown by `RhlTable` when an operation cannot be done in the
 * table's current state. A call that throws leaves the table exactly as it
 * was. Bad options and unhashable keys throw the built-in `TypeError` and
 * `RangeError` instead.
 *
 * @example Usage
 * ```ts
 * import { RhlTable, RhlTableError } from "@hwbp/rhltable";
 * import assert from "node:assert/strict";
 *
 * const table = new RhlTable<number, string>({ minSize: 4, maxSize: 4 });
 * for (let key = 0; key < 8; key++) table.insert(key, "v");
 * assert.throws(
 *   () => table.insert(8, "v"),
 *   (err) => err instanceof RhlTableError && err.code === "E2BIG",
 * );
 * assert.equal(table.keyCount, 8);
 * ```
 */
export class RhlTableError extends Error {
  /** The kernel-style error code. */
  readonly code: RhlTableErrorCode;

  /**
   * Creates an error.
   *
   * @param code The kernel-style code.
   * @param message What went wrong, naming the offending value.
   */
  constructor(code: RhlTableErrorCode, message: string) {
    super(message);
    this.name = "RhlTableError";
    this.code = code;
  }
}
