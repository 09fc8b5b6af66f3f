import assert from "node:assert/strict";
import {
  fit,
  formatDuration,
  MAX_COLUMNS,
  Progress,
  type Sink,
} from "./_progress.ts";

/** A sink that records what it is given, and a clock the test moves. */
function fixture(errIsTerminal = false): {
  sink: Sink;
  out: string[];
  err: string[];
  clock: { ms: number };
} {
  const out: string[] = [];
  const err: string[] = [];
  const sink: Sink = {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    errIsTerminal,
    color: false,
  };
  return { sink, out, err, clock: { ms: 0 } };
}

Deno.test("fit() cuts a line to 100 columns and formatDuration() reads as time", () => {
  assert.equal(fit("x".repeat(100)), "x".repeat(100));
  assert.equal(fit("x".repeat(150)).length, MAX_COLUMNS);
  assert.equal(formatDuration(9.6), "10 s");
  assert.equal(formatDuration(125), "2:05");
});

Deno.test("Progress announces long steps and ticks at most every 4 s, with the time left", () => {
  const { sink, out, err, clock } = fixture();
  const progress = new Progress(sink, [
    { name: "short", seconds: 1 },
    { name: "long", seconds: 20 },
    { name: "last", seconds: 10 },
  ], () => clock.ms);
  progress.step("short");
  assert.deepEqual(err, []); // 1 s: not announced
  clock.ms = 1000;
  progress.step("long");
  assert.deepEqual(err, ["[bench 1 s, ~30 s left] long\n"]);
  clock.ms = 3000;
  progress.tick("half");
  assert.equal(err.length, 1); // 2 s after the last line: quiet
  clock.ms = 11_000;
  progress.tick("half", 0.5);
  // 10 s in and half done: 10 s more, then the last step's 10 s.
  assert.equal(err[1], "[bench 11 s, ~20 s left] long: half\n");
  progress.line("a result");
  assert.deepEqual(out, ["a result\n"]);
  assert.throws(() => progress.step("short"), {
    message: 'Step "short" is not in the plan',
  });
});

Deno.test("Progress redraws one line on a terminal and clears it before results", () => {
  const { sink, out, err, clock } = fixture(true);
  const progress = new Progress(
    sink,
    [{ name: "long", seconds: 20 }],
    () => clock.ms,
  );
  progress.step("long");
  assert.equal(err[0], "\r\x1b[2K[bench 0 s, ~20 s left] long");
  progress.line("done");
  assert.equal(err[1], "\r\x1b[2K");
  assert.deepEqual(out, ["done\n"]);
});
