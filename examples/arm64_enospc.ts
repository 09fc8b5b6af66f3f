/**
 * arm64 has separate register files: 6 instruction breakpoints and 4
 * watchpoints per CPU. This example fills the watchpoints of one task, shows
 * the `ENOSPC` error the next one gets (its `code` and `message`), and that
 * instruction breakpoints still fit; then how a watchpoint pinned to one CPU
 * competes with every task that may run there.
 *
 * ```sh
 * deno run examples/arm64_enospc.ts
 * ```
 *
 * @module
 */
import {
  ARCH_PROFILES,
  BreakpointConstraints,
  type BreakpointHandle,
  type BreakpointSpec,
  ConstraintError,
} from "@hwbp/core";
import { RhlTableTaskIndex } from "@hwbp/rhltable";

const arm64 = new BreakpointConstraints({
  cpus: 8,
  ...ARCH_PROFILES.arm64,
  index: new RhlTableTaskIndex(),
});
console.log(
  `arm64: ${arm64.slotsOf("x")} breakpoint and ${
    arm64.slotsOf("w")
  } watchpoint registers per CPU`,
);

const TASK = 42;
const watchpoints: BreakpointHandle[] = [];
for (let i = 0; i < arm64.slotsOf("w"); i++) {
  watchpoints.push(
    arm64.reserve({ task: TASK, type: i % 2 === 0 ? "w" : "rw" }),
  );
}

/** Tries a reservation and prints what the engine says. */
function attempt(label: string, spec: BreakpointSpec): void {
  try {
    arm64.reserve(spec);
    console.log(`${label}: ok`);
  } catch (error) {
    if (!(error instanceof ConstraintError)) throw error;
    console.log(`${label}: ${error.code}`);
    console.log(`  ${error.message}`);
  }
}

attempt("a 5th watchpoint for task 42", { task: TASK, type: "r" });
attempt("an instruction breakpoint for task 42", { task: TASK, type: "x" });

// A watchpoint pinned to CPU 3 (a per-CPU perf event, no task) must fit
// beside the busiest task that may run there: task 42 uses all four.
attempt("a watchpoint pinned to cpu 3", { cpu: 3, type: "w" });
arm64.release(watchpoints.pop()!);
attempt("the same after task 42 drops one", { cpu: 3, type: "w" });

// Now CPU 3 has one register taken for good, and task 42 three more there.
attempt("task 42's 4th watchpoint on every cpu", { task: TASK, type: "w" });
attempt("task 42's 4th watchpoint on cpu 5 only", {
  task: TASK,
  cpu: 5,
  type: "w",
});
console.log(`consistent: ${arm64.verify() === null}`);
