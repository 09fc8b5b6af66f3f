/**
 * `perf bench breakpoint thread`, simulated against the hwbp slot-accounting
 * model: the workload of `tools/perf/bench/breakpoint.c` driving a
 * `BreakpointConstraints` engine, and perf's output formats.
 *
 * ```ts
 * import { formatDefault, simulateBreakpointThread } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * // perf bench -r 30 breakpoint thread -b 4 -p 64 -t 64, on a smaller machine
 * const result = simulateBreakpointThread({
 *   cpus: 16,
 *   repeat: 30,
 *   breakpoints: 4,
 *   parallelism: 64,
 *   threads: 64,
 *   strategy: "current",
 *   index: "rhltable",
 * });
 * assert.equal(result.reserves, 30 * 64 * 4);
 * assert.equal(result.peakLive, 30 * 64 * 4); // 30 batches < 64 spawners: all at once
 * assert.match(formatDefault(result), /^# Created\/joined 30 threads with 4 breakpoints and 64 parallelism\n/);
 * ```
 *
 * The command line lives in the `./cli` export: `deno task perf -r 30
 * breakpoint thread -b 4 -p 64 -t 64`.
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
