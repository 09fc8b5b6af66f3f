/**
 * Prints, as JSON, the heap bytes allocated per reserve/release pair in
 * steady state, and the bytes allocated outside the heap (typed arrays),
 * on the `perf bench breakpoint thread` workload (current + rhltable, 256
 * CPUs, 4 breakpoints per thread). Run by
 * `engine_regression_test.ts` in a fresh process with a young generation
 * large enough that no scavenge runs while it counts:
 *
 * ```sh
 * deno run --v8-flags=--expose-gc,--min-semi-space-size=64,--max-semi-space-size=64 testing/_allocation_probe.ts
 * ```
 *
 * @module
 */
import {
  ARCH_PROFILES,
  BreakpointConstraints,
  type BreakpointHandle,
} from "@hwbp/core";
import { RhlTableTaskIndex } from "@hwbp/rhltable";

const THREADS = 1_920; // -r 30 -t 64: 30 batches of 64 threads live at once
const BREAKPOINTS = 4;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --v8-flags=--expose-gc");

const hw = new BreakpointConstraints({
  cpus: 256,
  ...ARCH_PROFILES.x86_64,
  index: new RhlTableTaskIndex(),
});
// The main task and 64 spawners, live throughout.
for (let task = 0; task <= 64; task++) {
  for (let i = 0; i < BREAKPOINTS; i++) hw.reserve({ task, type: "rw" });
}
const spec = { task: 0, cpu: -1, type: "rw" as const };
const handles: BreakpointHandle[] = new Array(THREADS * BREAKPOINTS).fill(null);
let nextTask = 1 << 16;

function wave(): number {
  let k = 0;
  for (let j = 0; j < THREADS; j++) {
    spec.task = nextTask++;
    for (let i = 0; i < BREAKPOINTS; i++) handles[k++] = hw.reserve(spec);
  }
  for (let x = 0; x < k; x++) hw.release(handles[x]!);
  return k;
}

// Warm up: optimise the code and let the index reach its steady size.
for (let i = 0; i < 40; i++) wave();
gc();
gc();
const before = Deno.memoryUsage();
let pairs = 0;
for (let i = 0; i < 3; i++) pairs += wave();
const after = Deno.memoryUsage();
console.log(JSON.stringify({
  pairs,
  bytesPerPair: (after.heapUsed - before.heapUsed) / pairs,
  externalBytesPerPair: (after.external - before.external) / pairs,
}));
