import assert from "node:assert/strict";
import {
  formatDefault,
  formatJson,
  formatResult,
  formatSimple,
  type PerfTiming,
  simulateBreakpointThread,
} from "./mod.ts";

const KERNEL = { repeat: 30, breakpoints: 4, parallelism: 64, threads: 64 };

Deno.test("formatDefault() prints what perf prints", async (t) => {
  await t.step("the kernel's list baseline (Linux v5.19, 256 CPUs)", () => {
    assert.equal(
      formatDefault({ ...KERNEL, totalSeconds: 236.418805 }),
      [
        "# Created/joined 30 threads with 4 breakpoints and 64 parallelism",
        "     Total time: 236.418 [sec]",
        "",
        "  123134.794271 usecs/op",
        " 7880626.833333 usecs/op/cpu",
        "",
      ].join("\n"),
    );
  });

  await t.step("the rhltable seed patch", () => {
    assert.equal(
      formatDefault({ ...KERNEL, totalSeconds: 0.208171 }),
      [
        "# Created/joined 30 threads with 4 breakpoints and 64 parallelism",
        "     Total time: 0.208 [sec]",
        "",
        "     108.422396 usecs/op",
        "    6939.033333 usecs/op/cpu",
        "",
      ].join("\n"),
    );
  });

  await t.step("seconds are truncated to milliseconds, not rounded", () => {
    const text = formatDefault({ ...KERNEL, totalSeconds: 1.9999994 });
    assert.match(text, /\n {5}Total time: 1\.999 \[sec\]\n/);
  });

  await t.step("whole microseconds, as gettimeofday() gives them", () => {
    // 1 s / 3 is 333333.33 µs; perf divides the whole 333333.
    const text = formatDefault({
      repeat: 1,
      breakpoints: 1,
      parallelism: 2,
      threads: 1,
      totalSeconds: 1 / 3,
    });
    assert.equal(
      text,
      [
        "# Created/joined 1 threads with 1 breakpoints and 2 parallelism",
        "     Total time: 0.333 [sec]",
        "",
        "  333333.000000 usecs/op",
        "  666666.000000 usecs/op/cpu",
        "",
      ].join("\n"),
    );
  });

  await t.step("wider numbers push past the 14 columns, as printf does", () => {
    const text = formatDefault({
      ...KERNEL,
      threads: 1,
      repeat: 1,
      totalSeconds: 12345678.9,
    });
    assert.match(text, / 12345678900000\.000000 usecs\/op\n/);
  });

  await t.step(
    "the header counts batches: perf prints bench_repeat there",
    () => {
      const text = formatDefault({
        repeat: 7,
        breakpoints: 0,
        parallelism: 1,
        threads: 100,
        totalSeconds: 0,
      });
      assert.match(
        text,
        /^# Created\/joined 7 threads with 0 breakpoints and 1 parallelism\n/,
      );
    },
  );
});

Deno.test("formatSimple() prints seconds truncated to milliseconds", () => {
  const timing = (totalSeconds: number): PerfTiming => ({
    ...KERNEL,
    totalSeconds,
  });
  assert.equal(formatSimple(timing(236.418805)), "236.418\n");
  assert.equal(formatSimple(timing(0.0669994)), "0.066\n");
  assert.equal(formatSimple(timing(0.067)), "0.067\n");
  assert.equal(formatSimple(timing(0)), "0.000\n");
  assert.equal(formatSimple(timing(60.0005)), "60.000\n");
});

Deno.test("formatDefault() and formatSimple() format a simulated run", () => {
  let reading = 0;
  const result = simulateBreakpointThread({
    cpus: 8,
    ...KERNEL,
    // The simulator reads the clock twice: start and stop.
    now: () => (reading++ === 0 ? 5000 : 5000 + 67.4),
  });
  assert.equal(
    formatDefault(result),
    [
      "# Created/joined 30 threads with 4 breakpoints and 64 parallelism",
      "     Total time: 0.067 [sec]",
      "",
      "      35.104167 usecs/op",
      "    2246.666667 usecs/op/cpu",
      "",
    ].join("\n"),
  );
  assert.equal(formatResult(result, "default"), formatDefault(result));
  assert.equal(formatResult(result, "simple"), "0.067\n");
});

Deno.test("formatJson() prints one object with every field", () => {
  const result = simulateBreakpointThread({
    cpus: 8,
    repeat: 3,
    breakpoints: 2,
  });
  const text = formatJson(result);
  assert.equal(text.indexOf("\n"), text.length - 1, "one line");
  assert.deepEqual(JSON.parse(text), result);
  assert.equal(formatResult(result, "json"), text);
});

Deno.test("formatResult() rejects an unknown format", () => {
  const result = simulateBreakpointThread({ cpus: 8, repeat: 1 });
  assert.throws(
    () => formatResult(result, "csv" as never),
    new RangeError(
      'Cannot format result: unknown format "csv" (expected "default", "simple" or "json")',
    ),
  );
});
