/**
 * The hardware-breakpoint constraint engine: a faithful model of the Linux
 * kernel's slot accounting in `kernel/events/hw_breakpoint.c`, written
 * against a pluggable {@linkcode TaskIndex}.
 *
 * ```ts
 * import { ARCH_PROFILES, BreakpointConstraints } from "@hwbp/core";
 * import { ListTaskIndex } from "@hwbp/list";
 * import assert from "node:assert/strict";
 *
 * const hw = new BreakpointConstraints({ cpus: 256, ...ARCH_PROFILES.x86_64, index: new ListTaskIndex() });
 * const watch = hw.reserve({ task: 1234, type: "w" }); // a watchpoint on every CPU
 * assert.ok(hw.isUsed());
 * hw.release(watch);
 * assert.ok(!hw.isUsed());
 * ```
 *
 * @module
 */
export * from "./accounting_strategy.ts";
export * from "./breakpoint.ts";
export * from "./breakpoint_constraints.ts";
export * from "./constraint_error.ts";
export * from "./engine_work.ts";
export * from "./locking.ts";
export * from "./profiles.ts";
export * from "./task_index.ts";
