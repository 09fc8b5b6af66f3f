/**
 * Solving the virtual-time model for its thread and per-event costs, from
 * the kernel's two floor rows.
 *
 * @module
 */
import {
  type CostTable,
  DEFAULT_COST_TABLE,
  KERNEL_FLOOR_ROWS,
  THREAD_CREATE_SHARE,
} from "./cost_table.ts";
import { simulateBreakpointThread } from "./breakpoint_thread.ts";

/**
 * Inputs of {@linkcode deriveFloorCosts}; every field has a default.
 *
 * @example Usage
 * ```ts
 * import type { FloorRows } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * const rows: FloorRows = { noBreakpoints: 0.060, accountingDisabled: 0.067 };
 * assert.ok(rows.accountingDisabled! > rows.noBreakpoints!);
 * ```
 */
export interface FloorRows {
  /** Seconds of the `-b 0` run (default 0.060, the kernel's). */
  noBreakpoints?: number;
  /** Seconds with the accounting disabled (default 0.067, the kernel's). */
  accountingDisabled?: number;
  /** The workload both rows ran (default the kernel's `-r 30 -b 4 -p 64 -t 64`). */
  workload?: {
    repeat: number;
    breakpoints: number;
    parallelism: number;
    threads: number;
  };
  /** Share of a thread's cost charged to creation (default 0.5). */
  createShare?: number;
}

/**
 * The thread and per-event costs that make the virtual-time model
 * reproduce two floor rows exactly:
 *
 * 1. with `-b 0` no event and no accounting call happens, so the modelled
 *    total is a fixed multiple of one thread's cost (creation plus exit):
 *    one run with a 1 ns thread gives the multiple, and the row divided by
 *    it gives the cost;
 * 2. with that thread cost and the accounting disabled (strategy
 *    `"none"`), the total grows with the per-event cost: bisection finds
 *    the cost that reproduces the second row.
 *
 * No row tells a thread's creation from its exit; `createShare` of the
 * thread's cost goes to creation, the rest to exit. Neither row involves
 * an accounting call or a lock, so the result does not depend on the
 * machine or on the calibrated costs.
 *
 * @param rows The rows and their workload (default: the kernel's).
 * @returns `threadCreate`, `threadExit` and `perEvent`, in nanoseconds.
 * @throws {RangeError} If a row is not a positive number, the second row
 * is not above the first, or `createShare` is outside (0, 1).
 *
 * @example Usage
 * ```ts
 * import { deriveFloorCosts, simulateBreakpointThread } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * const floor = deriveFloorCosts();
 * const result = simulateBreakpointThread({
 *   repeat: 30, breakpoints: 4, parallelism: 64, threads: 64,
 *   strategy: "none", clock: "model",
 *   costs: { ...floor, accounting: { calls: 0, cpuLoopIterations: 0, histogramCells: 0, lookups: 0, entriesVisited: 0, bucketsTouched: 0, inserts: 0, removes: 0 }, lockAcquire: 0, lockWakeup: 0 },
 * });
 * assert.ok(Math.abs(result.totalSeconds - 0.067) < 1e-9);
 * ```
 */
export function deriveFloorCosts(
  rows: FloorRows = {},
): Pick<CostTable, "threadCreate" | "threadExit" | "perEvent"> {
  const noBreakpoints = rows.noBreakpoints ?? KERNEL_FLOOR_ROWS.noBreakpoints;
  const disabled = rows.accountingDisabled ??
    KERNEL_FLOOR_ROWS.accountingDisabled;
  const workload = rows.workload ?? KERNEL_FLOOR_ROWS.workload;
  const share = rows.createShare ?? THREAD_CREATE_SHARE;
  const context = "Cannot derive floor costs";
  for (
    const [name, value] of [["noBreakpoints", noBreakpoints], [
      "accountingDisabled",
      disabled,
    ]] as const
  ) {
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new RangeError(
        `${context}: ${name} ${value} must be a positive number of seconds`,
      );
    }
  }
  if (!(disabled > noBreakpoints)) {
    throw new RangeError(
      `${context}: accountingDisabled ${disabled} must exceed noBreakpoints ${noBreakpoints}`,
    );
  }
  if (!(share > 0 && share < 1)) {
    throw new RangeError(
      `${context}: createShare ${share} must be between 0 and 1`,
    );
  }

  const total = (
    thread: number,
    perEvent: number,
    breakpoints: number,
  ): number =>
    simulateBreakpointThread({
      repeat: workload.repeat,
      breakpoints,
      parallelism: workload.parallelism,
      threads: workload.threads,
      strategy: "none",
      clock: "model",
      costs: {
        ...DEFAULT_COST_TABLE,
        threadCreate: thread * share,
        threadExit: thread * (1 - share),
        perEvent,
      },
    }).totalSeconds * 1e9;

  // 1. The -b 0 row: the total is linear in the thread cost.
  const thread = noBreakpoints * 1e9 / total(1, 0, 0);

  // 2. The accounting-disabled row: monotone in the per-event cost.
  const target = disabled * 1e9;
  let low = 0;
  let high = 1;
  while (total(thread, high, workload.breakpoints) < target) high *= 2;
  for (let i = 0; i < 200 && high - low > high * 1e-15; i++) {
    const mid = (low + high) / 2;
    if (total(thread, mid, workload.breakpoints) < target) low = mid;
    else high = mid;
  }
  return {
    threadCreate: thread * share,
    threadExit: thread * (1 - share),
    perEvent: high,
  };
}
