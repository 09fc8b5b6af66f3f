/**
 * Presets of index, accounting strategy and locking for the kernel's
 * stages, before, during and after the 2022 series "perf/hw_breakpoint:
 * Optimize for thousands of tasks".
 *
 * @module
 */
import type { AccountingStrategy, LockingDiscipline } from "@hwbp/core";
import type { IndexName } from "./task_indexes.ts";

/**
 * A kernel stage's name:
 * - `"v5.19"`: before the series: a global list, per-CPU loops, one
 *   global mutex;
 * - `"patch04"`: the rhltable replaces the list (patches 5 to 10 keep this
 *   configuration);
 * - `"patch11"`: the task's `perf_event_mutex` and the `bp_cpuinfo_sem`
 *   percpu-rwsem replace the global mutex (patch 12 keeps it);
 * - `"patch13"`: the reserve fast path over the CPU-pinned histogram;
 * - `"v6.1"`: the whole series (patch 14): task histograms too.
 *
 * @example Usage
 * ```ts
 * import { KERNEL_STAGES, type KernelStageName } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * const stage: KernelStageName = "v6.1";
 * assert.equal(KERNEL_STAGES[stage].strategy, "current");
 * ```
 */
export type KernelStageName =
  | "v5.19"
  | "patch04"
  | "patch11"
  | "patch13"
  | "v6.1";

/**
 * The options a kernel stage fixes.
 *
 * @example Usage
 * ```ts
 * import type { KernelStage } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * const stage: KernelStage = { index: "list", strategy: "legacy", locking: "mutex" };
 * assert.equal(stage.index, "list");
 * ```
 */
export interface KernelStage {
  /** The task index. */
  readonly index: IndexName;
  /** The accounting algorithm. */
  readonly strategy: AccountingStrategy;
  /** What serialises the accounting. */
  readonly locking: LockingDiscipline;
}

/**
 * Every {@linkcode KernelStageName}'s configuration, oldest first. Spread
 * one into the options of `simulateBreakpointThread()`.
 *
 * @example Usage
 * ```ts
 * import { KERNEL_STAGES, simulateBreakpointThread } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * const seed = simulateBreakpointThread({ cpus: 16, ...KERNEL_STAGES.patch04, clock: "model" });
 * assert.equal(seed.index, "rhltable");
 * assert.equal(seed.locking, "mutex");
 * assert.deepEqual(Object.keys(KERNEL_STAGES), ["v5.19", "patch04", "patch11", "patch13", "v6.1"]);
 * ```
 */
export const KERNEL_STAGES: Readonly<Record<KernelStageName, KernelStage>> =
  Object.freeze({
    "v5.19": Object.freeze({
      index: "list",
      strategy: "legacy",
      locking: "mutex",
    }),
    patch04: Object.freeze({
      index: "rhltable",
      strategy: "legacy",
      locking: "mutex",
    }),
    patch11: Object.freeze({
      index: "rhltable",
      strategy: "legacy",
      locking: "rwsem",
    }),
    patch13: Object.freeze({
      index: "rhltable",
      strategy: "reserve-fastpath",
      locking: "rwsem",
    }),
    "v6.1": Object.freeze({
      index: "rhltable",
      strategy: "current",
      locking: "rwsem",
    }),
  });
