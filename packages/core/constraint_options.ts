/**
 * The options of the constraint engine's constructor.
 *
 * @module
 */
import type { AccountingStrategy } from "./accounting_strategy.ts";
import type { LockingDiscipline } from "./locking.ts";
import type { ArchName } from "./profiles.ts";
import type { TaskIndex } from "./task_index.ts";

/**
 * Options of `BreakpointConstraints`. `arch`, `slots` and
 * `sharedSlots` can come from an `ARCH_PROFILES` entry.
 *
 * @example Usage
 * ```ts
 * import type { BreakpointConstraintsOptions } from "@hwbp/core";
 * import { ListTaskIndex } from "@hwbp/list";
 * import assert from "node:assert/strict";
 *
 * const options: BreakpointConstraintsOptions = {
 *   cpus: 8,
 *   slots: { inst: 6, data: 4 },
 *   index: new ListTaskIndex(),
 *   strategy: "legacy",
 *   arch: "arm64",
 *   onlineCpus: [0, 1, 2, 3],
 * };
 * assert.equal(options.cpus, 8);
 * ```
 */
export interface BreakpointConstraintsOptions {
  /** Number of possible CPUs (ids `0..cpus-1`); 1 to 65,536. */
  cpus: number;
  /**
   * Breakpoint slots per CPU: one number for every pool, or one count per
   * pool. Each is an integer from 0 to 64.
   */
  slots: number | { inst: number; data: number };
  /**
   * Whether instruction and data breakpoints share one pool, as on x86
   * (default `false`). A shared pool needs equal `inst` and `data` counts.
   */
  sharedSlots?: boolean;
  /** Where task-bound breakpoints are kept; must be empty. */
  index: TaskIndex;
  /** The accounting algorithm (default `"current"`). */
  strategy?: AccountingStrategy;
  /** The locking discipline (default `"rwsem"`, as Linux v6.1+). */
  locking?: LockingDiscipline;
  /**
   * The architecture whose rules (`hw_breakpoint_arch_parse()`) every
   * breakpoint's type, address and length must pass, and whose natural
   * length a spec without `length` gets. Left out, the machine is generic:
   * any type, address and length of at least one byte.
   */
  arch?: ArchName;
  /**
   * The CPUs that are online, iterated once: distinct ids below `cpus`, at
   * least one. Default: every CPU. Only
   * `BreakpointConstraints.registerWide()` looks at them; the
   * constraints always count over every possible CPU, as the kernel's do.
   */
  onlineCpus?: Iterable<number>;
}
