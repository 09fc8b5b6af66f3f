import assert from "node:assert/strict";
import { clockOffset, parseGcTrace, pausesDuring } from "./_gc_trace.ts";

// Lines as Deno 2.9.6's V8 prints them with --trace-gc, one cut mid-way.
const TRACE = [
  "[8787:0x561429c98000]      200 ms: Mark-Compact 42.7 (52.2) -> 42.6 (51.7) MB, " +
  "pooled: 0.0 MB, 30.20 / 0.00 ms (average mu = 0.750, current mu = 0.750) testing; " +
  "GC in old space requested",
  "[8787:0x561429c98000]      210 ms: Mark-Compact 42.6 (51.7) -> 42.6 (51.7) MB, " +
  "pooled: 0.0 MB, 9.00 / 0.00 ms (average mu = 0.750, current mu = 0.750) testing; " +
  "GC in old space requested",
  "[8787:0x561429c98000]      517 ms: Scavenge 58.9 (60.6) -> 54.7 (71.9) MB, " +
  "pooled: 0.0 MB, 48.35 / 0.00 ms (average mu = 0.750, current mu = 0.750) " +
  "allocation failure;",
  "[8787:0x561429c98000]      556 ms: Scav",
  "[8787:0x561429c98000]     1927 ms: Incremental Mark-Compact 178.4 (224.8) -> 2.7 " +
  "(71.4) MB, pooled: 103.0 MB, 5.83 / 0.00 ms (+ 0.0 ms in 1 steps since start)",
].join("\n");

Deno.test("parseGcTrace() reads each pause's end, kind, length and reason", () => {
  assert.deepEqual(parseGcTrace(TRACE), [
    { endMs: 200, kind: "Mark-Compact", pauseMs: 30.2, explicit: true },
    { endMs: 210, kind: "Mark-Compact", pauseMs: 9, explicit: true },
    { endMs: 517, kind: "Scavenge", pauseMs: 48.35, explicit: false },
    {
      endMs: 1927,
      kind: "Incremental Mark-Compact",
      pauseMs: 5.83,
      explicit: false,
    },
  ]);
});

Deno.test("clockOffset() aligns performance.now() with the trace by the explicit GCs", () => {
  const pauses = parseGcTrace(TRACE);
  // One run, started at 205.5 ms of performance.now(), just after the
  // second explicit GC ended at 210 ms of the isolate's clock.
  assert.equal(clockOffset(pauses, [205.5]), 4.5);
  // Two runs need four explicit GCs.
  assert.equal(clockOffset(pauses, [205.5, 400]), null);
});

Deno.test("pausesDuring() finds the pauses overlapping an interval, explicit ones aside", () => {
  const pauses = parseGcTrace(TRACE);
  // The scavenge ran from 468.65 to 517 on the isolate's clock, that is
  // 464.15 to 512.5 on performance.now() with an offset of 4.5.
  const scavenge = pauses[2]!;
  assert.deepEqual(pausesDuring(pauses, 4.5, 470, 45), [scavenge]);
  assert.deepEqual(pausesDuring(pauses, 4.5, 400, 64), [scavenge]);
  assert.deepEqual(pausesDuring(pauses, 4.5, 400, 62), []);
  assert.deepEqual(pausesDuring(pauses, 4.5, 520, 1), []);
  assert.deepEqual(pausesDuring(pauses, 4.5, 100, 200), []);
});
