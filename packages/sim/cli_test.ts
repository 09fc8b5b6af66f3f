import assert from "node:assert/strict";
import { type CliIo, main } from "./cli.ts";

interface Captured {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], io: Partial<CliIo> = {}): Captured {
  let stdout = "";
  let stderr = "";
  const code = main(args, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    ...io,
  });
  return { code, stdout, stderr };
}

/** A clock at `start` ms that advances `step` ms each reading. */
function ticking(start: number, step: number): () => number {
  let now = start - step;
  return () => (now += step);
}

const SMALL = ["--cpus", "8"];

Deno.test("perf CLI prints perf's default format", () => {
  const { code, stdout, stderr } = run(
    [
      "-r",
      "30",
      "breakpoint",
      "thread",
      "-b",
      "4",
      "-p",
      "64",
      "-t",
      "64",
      ...SMALL,
    ],
    { now: ticking(100, 208.171) },
  );
  assert.equal(code, 0);
  assert.equal(stderr, "");
  assert.equal(
    stdout,
    [
      "# Running 'breakpoint/thread' benchmark:",
      "# Created/joined 30 threads with 4 breakpoints and 64 parallelism",
      "     Total time: 0.208 [sec]",
      "",
      "     108.422396 usecs/op",
      "    6939.033333 usecs/op/cpu",
      "",
    ].join("\n"),
  );
});

Deno.test("perf CLI takes -r before or after the benchmark name", () => {
  const before = run([
    "-r",
    "3",
    "breakpoint",
    "thread",
    "-t",
    "2",
    ...SMALL,
    "--json",
  ]);
  const after = run([
    "breakpoint",
    "thread",
    "-t",
    "2",
    "-r",
    "3",
    ...SMALL,
    "--json",
  ]);
  const long = run([
    "--repeat=3",
    "breakpoint",
    "thread",
    "--threads=2",
    ...SMALL,
    "--json",
  ]);
  for (const { code, stdout } of [before, after, long]) {
    assert.equal(code, 0);
    const result = JSON.parse(stdout);
    assert.equal(result.repeat, 3);
    assert.equal(result.reserves, 3 * 2);
  }
});

Deno.test("perf CLI prints perf's simple format", () => {
  const { code, stdout } = run(
    ["-f", "simple", "breakpoint", "thread", ...SMALL],
    { now: ticking(0, 1234.5678) },
  );
  assert.equal(code, 0);
  assert.equal(stdout, "1.234\n");
});

Deno.test("perf CLI --json prints one object with the result", () => {
  const { code, stdout, stderr } = run([
    "-r",
    "4",
    "breakpoint",
    "thread",
    "-b",
    "2",
    "-p",
    "3",
    "-t",
    "5",
    "--cpus",
    "16",
    "--index",
    "list",
    "--strategy",
    "legacy",
    "--json",
  ]);
  assert.equal(code, 0);
  assert.equal(stderr, "");
  assert.equal(stdout.trimEnd().split("\n").length, 1);
  const result = JSON.parse(stdout);
  for (
    const key of [
      "totalSeconds",
      "usecsPerOp",
      "usecsPerOpPerCpu",
      "reserves",
      "releases",
      "spawnerReserves",
      "peakLive",
      "lookups",
      "entriesVisited",
      "bucketsTouched",
    ]
  ) {
    assert.equal(typeof result[key], "number", key);
  }
  assert.deepEqual(
    [
      result.cpus,
      result.repeat,
      result.breakpoints,
      result.parallelism,
      result.threads,
    ],
    [16, 4, 2, 3, 5],
  );
  assert.equal(result.strategy, "legacy");
  assert.equal(result.index, "list");
  assert.equal(result.reserves, 4 * 5 * 2);
  assert.equal(result.releases, 4 * 5 * 2);
  assert.equal(result.peakLive, 3 * 5 * 2);
});

Deno.test("perf CLI --help prints the usage and succeeds", () => {
  for (const flag of ["--help", "-h"]) {
    const { code, stdout, stderr } = run(["breakpoint", "thread", flag]);
    assert.equal(code, 0);
    assert.equal(stderr, "");
    assert.match(
      stdout,
      /^Usage: deno task perf \[-r <n>\] \[-f <format>\] breakpoint thread/,
    );
    assert.match(stdout, /--strategy <name>/);
  }
});

Deno.test("perf CLI rejects bad flags with one line and the usage", async (t) => {
  const cases: [string[], RegExp][] = [
    [["breakpoint", "thread", "--bogus"], /^error: Unknown option '--bogus'$/],
    [
      ["breakpoint", "thread", "-b"],
      /^error: Option '-b, --breakpoints <value>' argument missing$/,
    ],
    [
      ["breakpoint", "thread", "-b", "-1"],
      /^error: Option '-b' argument is ambiguous\.$/,
    ],
    [
      ["breakpoint", "thread", "-b", "four"],
      /^error: --breakpoints "four" must be a non-negative integer$/,
    ],
    [
      ["breakpoint", "thread", "-t", "1.5"],
      /^error: --threads "1\.5" must be a non-negative integer$/,
    ],
    [
      ["breakpoint", "thread", "-p", "0"],
      /^error: Cannot simulate breakpoint thread: parallelism 0 must be an integer from 1 to \d+$/,
    ],
    [
      ["breakpoint", "thread", "--cpus", "70000"],
      /^error: Cannot simulate breakpoint thread: cpus 70000 must be/,
    ],
    [
      ["-r", "0", "breakpoint", "thread"],
      /^error: Invalid repeat option: Must specify a positive value$/,
    ],
    [
      ["breakpoint", "thread", "--strategy", "fast"],
      /^error: --strategy "fast" is not one of current, legacy, none$/,
    ],
    [
      ["breakpoint", "thread", "--index", "btree"],
      /^error: --index "btree" is not one of list, chained-hash, rhltable$/,
    ],
    [
      ["breakpoint", "thread", "-f", "csv"],
      /^error: --format "csv" is not one of default, simple$/,
    ],
    [
      ["breakpoint", "thread", "-f", "simple", "--json"],
      /^error: --json and --format cannot be combined$/,
    ],
    [[], /^error: missing benchmark: expected "breakpoint thread"$/],
    [
      ["breakpoint"],
      /^error: unknown benchmark "breakpoint" \(only "breakpoint thread" is simulated\)$/,
    ],
    [["breakpoint", "enable"], /^error: unknown benchmark "breakpoint enable"/],
    [
      ["breakpoint", "thread", "extra"],
      /^error: unknown benchmark "breakpoint thread extra"/,
    ],
  ];
  for (const [args, message] of cases) {
    await t.step(args.join(" ") || "(no arguments)", () => {
      const { code, stdout, stderr } = run([...SMALL, ...args]);
      assert.equal(code, 1);
      assert.equal(stdout, "");
      const [first, blank, usage] = stderr.split("\n", 3);
      assert.match(first!, message);
      assert.equal(blank, "");
      assert.match(usage!, /^Usage: /);
    });
  }
});

Deno.test("perf CLI reports breakpoints that do not fit as perf_event_open() failing", () => {
  const { code, stdout, stderr } = run([
    "breakpoint",
    "thread",
    "-b",
    "5",
    ...SMALL,
  ]);
  assert.equal(code, 1);
  assert.equal(stdout, "");
  assert.match(
    stderr,
    /^error: perf_event_open: ENOSPC: Cannot reserve breakpoint: .*\n$/,
  );
});

Deno.test("perf CLI shows progress on a terminal once a run takes over a second", async (t) => {
  await t.step("a long run redraws one line, then clears it", () => {
    const { code, stdout, stderr } = run(
      ["-r", "64", "breakpoint", "thread", "-t", "16", ...SMALL],
      { stderrIsTerminal: true, now: ticking(0, 40) },
    );
    assert.equal(code, 0);
    assert.match(stdout, /^# Running 'breakpoint\/thread' benchmark:\n/);
    const updates = stderr.split("\r\x1b[2K").filter((s) => s !== "");
    assert.ok(updates.length > 2, `only ${updates.length} updates`);
    for (const update of updates) {
      assert.match(
        update,
        /^breakpoint\/thread: \d+% \(\d+\/2048 thread starts and exits\), \d+\.\d s$/,
      );
    }
    assert.ok(stderr.endsWith("\r\x1b[2K"), "the line is cleared at the end");
  });

  await t.step("a short run shows nothing", () => {
    const { stderr } = run(
      ["-r", "64", "breakpoint", "thread", "-t", "16", ...SMALL],
      { stderrIsTerminal: true, now: ticking(0, 0.001) },
    );
    assert.equal(stderr, "");
  });

  await t.step("nothing when stderr is not a terminal", () => {
    const { stderr } = run(
      ["-r", "64", "breakpoint", "thread", "-t", "16", ...SMALL],
      { stderrIsTerminal: false, now: ticking(0, 40) },
    );
    assert.equal(stderr, "");
  });
});

Deno.test("perf CLI runs as a script", async () => {
  const cli = new URL("./cli.ts", import.meta.url);
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      cli.href,
      "-r",
      "2",
      "breakpoint",
      "thread",
      "--cpus",
      "4",
      "-f",
      "simple",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  assert.match(new TextDecoder().decode(output.stdout), /^\d+\.\d{3}\n$/);

  const bad = await new Deno.Command(Deno.execPath(), {
    args: ["run", cli.href, "breakpoint", "thread", "-p", "x"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(bad.code, 1);
  assert.match(
    new TextDecoder().decode(bad.stderr),
    /^error: --parallelism "x"/,
  );
});
