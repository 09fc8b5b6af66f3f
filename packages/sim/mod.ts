/**
 * `perf bench breakpoint thread`, simulated against the hwbp slot-accounting
 * model: the workload of `tools/perf/bench/breakpoint.c` driving a
 * `BreakpointConstraints` engine, timed by the wall clock or by a
 * deterministic virtual-time model of the kernel's 256-CPU machine, and
 * perf's output formats.
 *
 * ```ts
 * import { KERNEL_STAGES, simulateBreakpointThread } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * // perf bench -r 30 breakpoint thread -b 4 -p 64 -t 64, modelled
 * const workload = { repeat: 30, breakpoints: 4, parallelism: 64, threads: 64, clock: "model" } as const;
 * const v6 = simulateBreakpointThread({ ...workload, ...KERNEL_STAGES["v6.1"] });
 * const off = simulateBreakpointThread({ ...workload, strategy: "none" });
 * // v6.1's accounting costs next to nothing: within 5% of no accounting at all
 * assert.ok(v6.totalSeconds / off.totalSeconds < 1.05);
 * assert.equal(v6.reserves, 30 * 64 * 4);
 * ```
 *
 * The virtual-time model: the main task and each spawner run on their own
 * CPU with a clock in nanoseconds; the real engine runs every accounting
 * call at its virtual instant, under the locks the engine names
 * (`nr_bp_mutex`, or a task's `perf_event_mutex` plus the `bp_cpuinfo_sem`
 * percpu-rwsem), simulated in virtual time. Each call costs its work
 * counters times the per-unit costs of a {@linkcode CostTable}; thread and
 * per-event costs come from the kernel's `-b 0` and accounting-disabled
 * rows ({@linkcode deriveFloorCosts}), per-unit and lock costs from a
 * calibration on a real engine.
 *
 * The command line lives in the `./cli` export:
 * `deno run jsr:@hwbp/sim/cli -r 30 breakpoint thread -b 4 -p 64 -t 64 --clock model`.
 *
 * @module
 */
export * from "./breakpoint_thread.ts";
export * from "./cost_table.ts";
export * from "./floor_costs.ts";
export * from "./kernel_stages.ts";
export * from "./options.ts";
export * from "./perf_format.ts";
export * from "./task_indexes.ts";
