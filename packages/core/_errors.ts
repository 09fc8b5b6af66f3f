// The engine's error builders, out of line so that only a failing call
// formats a message.
import {
  type Breakpoint,
  cpuOf,
  describeRecord,
  typeOf,
  weightOf,
} from "./_breakpoint.ts";
import { describe } from "./_describe.ts";
import { ConstraintError } from "./constraint_error.ts";
import type { TaskIndex } from "./task_index.ts";

/** The `ENOSPC` of a breakpoint that does not fit (`__reserve_bp_slot()`). */
export function noSpace(
  context: string,
  bp: Breakpoint,
  pool: string,
  pinned: number,
  slots: number,
): ConstraintError {
  const where = cpuOf(bp) < 0 ? "its busiest cpu" : `cpu ${cpuOf(bp)}`;
  return new ConstraintError(
    "ENOSPC",
    `${context}: "${typeOf(bp)}" needs ${
      weightOf(bp)
    } ${pool} slot(s) but ${pinned} of ${slots} are taken on ${where}`,
  );
}

/** The `EOPNOTSUPP` of a type whose pool has no slot (v6.15+). */
export function notSupported(
  context: string,
  bp: Breakpoint,
  pool: string,
): ConstraintError {
  return new ConstraintError(
    "EOPNOTSUPP",
    `${context}: type "${
      typeOf(bp)
    }" is not supported: the ${pool} pool has 0 slots`,
  );
}

/** Maps an index's refusal to grow to `E2BIG`; passes anything else on. */
export function indexFull(
  error: unknown,
  index: TaskIndex,
  context: string,
): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== "E2BIG") return error;
  return new ConstraintError(
    "E2BIG",
    `${context}: index "${index.name}" is full: ${(error as Error).message}`,
  );
}

/**
 * The error of a failed `inherit()`: the failed copy's code, and a message
 * naming the parent's breakpoint that could not be copied.
 */
export function inheritFailure(
  error: unknown,
  context: string,
  source: Breakpoint,
  position: number,
  parent: number,
  child: number,
): unknown {
  if (!(error instanceof ConstraintError)) return error;
  const detail = error.message.startsWith(`${context}: `)
    ? error.message.slice(context.length + 2)
    : error.message;
  return new ConstraintError(
    error.code,
    `${context}: task ${child} gets no copy of task ${parent}'s inheritable breakpoint #${position} (${
      describeRecord(source)
    }), so the fork fails: ${detail}`,
  );
}

/** Why a handle is refused: not a handle, foreign, or released. */
export function badHandle(
  context: string,
  handle: unknown,
  bp: Breakpoint | null,
  foreign: boolean,
): ConstraintError {
  if (bp === null) {
    return new ConstraintError(
      "EINVAL",
      `${context}: ${describe(handle)} is not a breakpoint handle`,
    );
  }
  return new ConstraintError(
    "ENOENT",
    foreign
      ? `${context}: handle ${describeRecord(bp)} belongs to another instance`
      : `${context}: handle ${describeRecord(bp)} was already released`,
  );
}

/** A task id for the lock entries: a non-negative integer, or `null`. */
export function lockTask(task: unknown, context: string): number | null {
  if (task === null || (Number.isSafeInteger(task) && (task as number) >= 0)) {
    return task === 0 ? 0 : task as number | null;
  }
  throw new ConstraintError(
    "EINVAL",
    `${context}: task ${describe(task)} must be a non-negative integer or null`,
  );
}

/** The `EINVAL` of a malformed option of the constructor. */
export function badOption(detail: string): ConstraintError {
  return new ConstraintError("EINVAL", `Cannot create constraints: ${detail}`);
}
