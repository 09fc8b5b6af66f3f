/**
 * Quickstart: reserve hardware breakpoints on a 256-CPU x86_64 machine, run
 * into its four debug registers, then replay `perf bench breakpoint thread`
 * on the model.
 *
 * ```sh
 * deno run examples/quickstart.ts
 * ```
 *
 * @module
 */
import {
  ARCH_PROFILES,
  BreakpointConstraints,
  type BreakpointHandle,
  ConstraintError,
} from "@hwbp/core";
import { RhlTableTaskIndex } from "@hwbp/rhltable";
import { formatDefault, simulateBreakpointThread } from "@hwbp/sim";

const hw = new BreakpointConstraints({
  cpus: 256,
  ...ARCH_PROFILES.x86_64, // one pool of 4 debug registers per CPU
  index: new RhlTableTaskIndex(),
});

// A debugger watching four variables of task 1234, wherever it runs.
const watches: BreakpointHandle[] = [];
for (let i = 0; i < 4; i++) watches.push(hw.reserve({ task: 1234, type: "w" }));
console.log(`task 1234 holds ${hw.size} watchpoints on every CPU`);

// A fifth one does not fit: x86 has four registers in all.
try {
  hw.reserve({ task: 1234, type: "x" });
} catch (error) {
  if (!(error instanceof ConstraintError)) throw error;
  console.log(`a fifth breakpoint fails with ${error.code}`);
}

// Another task has registers of its own (they are switched with the task).
const other = hw.reserve({ task: 5678, type: "rw" });
console.log(`task 5678 still gets one: ${hw.size} breakpoints live`);

for (const handle of [...watches, other]) hw.release(handle);
console.log(`all released, slots in use: ${hw.isUsed()}`);

// perf bench -r 30 breakpoint thread -b 4 -p 64 -t 64, on the model.
const result = simulateBreakpointThread({
  repeat: 30,
  breakpoints: 4,
  parallelism: 64,
  threads: 64,
});
console.log();
console.log(formatDefault(result).trimEnd());
