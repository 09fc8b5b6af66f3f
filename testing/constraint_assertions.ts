/**
 * Assertions shared by the engine's tests: errors are `ConstraintError`s
 * with a code and a kernel-style message, and a failed call changes nothing.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  ACCOUNTING_STRATEGIES,
  type AccountingStrategy,
  type BreakpointConstraints,
  ConstraintError,
  type ConstraintErrorCode,
} from "@hwbp/core";

/**
 * Asserts that `fn` throws a `ConstraintError` with `code` whose message
 * names `fragment`, starts "Cannot <verb> ...: " and has no final period.
 */
export function assertRejects(
  fn: () => unknown,
  code: ConstraintErrorCode,
  fragment: string,
): ConstraintError {
  let caught: ConstraintError | undefined;
  assert.throws(fn, (error: unknown) => {
    assert.ok(
      error instanceof ConstraintError,
      `not a ConstraintError: ${error}`,
    );
    assert.equal(error.code, code, error.message);
    assert.ok(
      error.message.includes(fragment),
      `message ${JSON.stringify(error.message)} should name ${fragment}`,
    );
    assert.match(error.message, /^Cannot [a-z]+( [a-z]+)+: /);
    assert.doesNotMatch(error.message, /\.$/);
    caught = error;
    return true;
  });
  return caught!;
}

/** Runs `fn`, which must throw, and checks that no counter moved. */
export function assertRejectsUnchanged(
  hw: BreakpointConstraints,
  fn: () => unknown,
  code: ConstraintErrorCode,
  fragment: string,
): ConstraintError {
  const before = hw.snapshot();
  const used = hw.isUsed();
  const size = hw.size;
  const error = assertRejects(fn, code, fragment);
  assert.deepEqual(hw.snapshot(), before);
  assert.equal(hw.isUsed(), used);
  assert.equal(hw.size, size);
  assert.equal(hw.verify(), null);
  return error;
}

/** Every accounting strategy, for tests that run on each. */
export const STRATEGIES: readonly AccountingStrategy[] = ACCOUNTING_STRATEGIES;
