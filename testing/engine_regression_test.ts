// Regression guards for the engine's hot path on the `perf bench
// breakpoint thread` workload, by deterministic counts, never by clocks:
// the work counters of every pair, and the heap bytes a pair allocates.
import { childEnv } from "./child_env.ts";
import assert from "node:assert/strict";
import {
  ARCH_PROFILES,
  BreakpointConstraints,
  type BreakpointHandle,
} from "@hwbp/core";
import { RhlTableTaskIndex } from "@hwbp/rhltable";

Deno.test("current + rhltable does the kernel's work per thread of the bench, and no more", () => {
  const S = 4; // x86_64: one shared pool of 4 slots
  const B = 4; // breakpoints per thread
  const T = 500; // threads
  const hw = new BreakpointConstraints({
    cpus: 256,
    ...ARCH_PROFILES.x86_64,
    index: new RhlTableTaskIndex(),
  });
  for (let task = 0; task <= 64; task++) {
    for (let i = 0; i < B; i++) hw.reserve({ task, type: "rw" });
  }
  const handles: BreakpointHandle[] = [];
  hw.resetWork();
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < B; i++) {
      handles.push(hw.reserve({ task: 1_000 + t, type: "rw" }));
    }
  }
  for (const handle of handles) hw.release(handle);
  const work = hw.readWork();
  assert.equal(work.calls, 2 * B * T);
  // Every task is CPU-independent: the fast paths never loop over CPUs.
  assert.equal(work.cpuLoopIterations, 0);
  // Reserve: the S cells of the empty CPU-pinned histogram, then one move
  // in the global task histogram (1 cell from 0, else 2). Release: the
  // reverse moves.
  const moves = 1 + 2 * (B - 1);
  assert.equal(work.histogramCells, B * T * S + 2 * moves * T);
  // The kernel's lookups: two per reserve, one per release.
  assert.equal(work.lookups, 3 * B * T);
  assert.equal(work.inserts, B * T);
  assert.equal(work.removes, B * T);
  // A handful of chain entries per lookup, whatever the population.
  assert.ok(
    work.entriesVisited <= 4 * work.lookups,
    `${work.entriesVisited} entries for ${work.lookups} lookups`,
  );
});

Deno.test("a reserve/release pair allocates little more than its record", async () => {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-check",
      "--v8-flags=--expose-gc,--min-semi-space-size=64,--max-semi-space-size=64",
      new URL("./_allocation_probe.ts", import.meta.url).pathname,
    ],
    env: childEnv(),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.ok(output.success, stderr);
  const { pairs, bytesPerPair, externalBytesPerPair } = JSON.parse(
    new TextDecoder().decode(output.stdout),
  ) as { pairs: number; bytesPerPair: number; externalBytesPerPair: number };
  assert.ok(pairs > 20_000);
  // Measured: 80.7 to 80.9 bytes per pair: the engine's record, which is
  // the caller's handle (80 bytes: a V8 object header and seven 8-byte
  // fields, without pointer compression), and a share of the few small
  // objects of each bucket table the kernel's thresholds start as the
  // bench's 1,920 tasks come and go each wave. The task index's nodes and
  // buckets live in typed arrays outside the heap, its hashes stay int32s
  // (a uint32 above 2^31 is boxed), and the accounting allocates nothing.
  // A closure, array or boxed number per operation would take it past the
  // bound. The floor checks that the probe measured at all (no scavenge
  // ran while it counted).
  assert.ok(bytesPerPair >= 40, `${bytesPerPair} bytes per pair`);
  assert.ok(bytesPerPair <= 90, `${bytesPerPair} bytes per pair`);
  // Outside the heap: measured 6.2 bytes per pair, the Int32Arrays of the
  // resized bucket tables (with the node arrays at their steady size). A
  // typed array per operation would be 10 times that.
  assert.ok(
    externalBytesPerPair <= 12,
    `${externalBytesPerPair} external bytes per pair`,
  );
});
