import { childEnv } from "../../testing/child_env.ts";
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

Deno.test("perf CLI --help prints the usage and exits 129, as perf's -h does", () => {
  for (const flag of ["--help", "-h"]) {
    const { code, stdout, stderr } = run(["breakpoint", "thread", flag]);
    assert.equal(code, 129);
    assert.equal(stderr, "");
    assert.match(
      stdout,
      /Usage: .* \[-r <n>\] \[-f <format>\] breakpoint thread/,
    );
    assert.match(stdout, /--kernel-stage <name>/);
  }
});

Deno.test("perf CLI lists what it can run, as perf bench does", async (t) => {
  await t.step("no arguments: the collections", () => {
    const { code, stdout, stderr } = run([]);
    assert.equal(code, 0);
    assert.equal(stderr, "");
    assert.match(
      stdout,
      /# List of all available benchmark collections:\n\n {4}breakpoint: /,
    );
  });
  for (
    const args of [["breakpoint"], ["breakpoint", "-h"], [
      "-r",
      "3",
      "breakpoint",
    ]]
  ) {
    await t.step(`${args.join(" ")}: the benchmarks`, () => {
      const { code, stdout } = run(args);
      assert.equal(code, 0);
      assert.equal(
        stdout,
        "\n        # List of available benchmarks for collection 'breakpoint':\n\n" +
          "        thread: Benchmark thread start/finish with breakpoints\n\n",
      );
    });
  }
});

Deno.test("perf CLI rejects a bad option or value with one line, a hint and exit 129", async (t) => {
  const cases: [string[], string][] = [
    [
      ["breakpoint", "thread", "-b", "-4"],
      "switch `b' expects an unsigned numerical value, got '-4'",
    ],
    [
      ["breakpoint", "thread", "--breakpoints=-4"],
      "option `breakpoints' expects an unsigned numerical value, got '-4'",
    ],
    [
      ["breakpoint", "thread", "-b", "four"],
      "switch `b' expects a numerical value, got 'four'",
    ],
    [
      ["breakpoint", "thread", "-t", "1.5"],
      "switch `t' expects a numerical value, got '1.5'",
    ],
    [
      ["breakpoint", "thread", "--seed", "x"],
      "option `seed' expects a numerical value, got 'x'",
    ],
    [
      ["breakpoint", "thread", "-p", "99999999999"],
      "switch `p' expects a value that fits in 32 bits, got '99999999999'",
    ],
    [["breakpoint", "thread", "-b"], "switch `b' requires a value"],
    [["breakpoint", "thread", "--bogus"], "unknown option `bogus'"],
    [["breakpoint", "thread", "-x"], "unknown switch `x'"],
    [["breakpoint", "thread", "--json=1"], "option `json' takes no value"],
    [["breakpoint", "thread", "extra"], "unexpected argument 'extra'"],
    [
      ["breakpoint", "thread", "--strategy", "fast"],
      "option `strategy' expects one of legacy, reserve-fastpath, current, none, got 'fast'",
    ],
    [
      ["breakpoint", "thread", "--index", "btree"],
      "option `index' expects one of list, chained-hash, rhltable, got 'btree'",
    ],
    [
      ["breakpoint", "thread", "--locking", "spin"],
      "option `locking' expects one of mutex, rwsem, got 'spin'",
    ],
    [
      ["breakpoint", "thread", "--clock", "cpu"],
      "option `clock' expects one of wall, model, got 'cpu'",
    ],
    [
      ["breakpoint", "thread", "--kernel-stage", "v4"],
      "option `kernel-stage' expects one of v5.19, patch04, patch11, patch13, v6.1, got 'v4'",
    ],
    [
      ["breakpoint", "thread", "--kernel-stage", "v6.1", "--index", "list"],
      "option `kernel-stage' sets the index: drop --index or --kernel-stage",
    ],
    [
      ["breakpoint", "thread", "-f", "simple", "--json"],
      "option `json' cannot be used with switch `f'",
    ],
    [
      ["breakpoint", "thread", "-p", "0"],
      "Cannot simulate breakpoint thread: parallelism 0 must be an integer from 1 to 16777216",
    ],
    [
      ["breakpoint", "thread", "--cpus", "70000"],
      "Cannot simulate breakpoint thread: cpus 70000 must be an integer from 1 to 65536",
    ],
    [["--bogus", "breakpoint", "thread"], "unknown option `bogus'"],
  ];
  for (const [args, message] of cases) {
    await t.step(args.join(" "), () => {
      const { code, stderr } = run([...SMALL, ...args]);
      assert.equal(code, 129);
      assert.equal(
        stderr,
        ` Error: ${message}\n Run with --help to list the options.\n`,
      );
    });
  }
});

Deno.test("perf CLI answers perf bench's own checks as perf does", async (t) => {
  const cases: [string[], string, number][] = [
    [
      ["-r", "0", "breakpoint", "thread"],
      "Invalid repeat option: Must specify a positive value\n",
      0,
    ],
    [
      ["-f", "csv", "breakpoint", "thread"],
      "Unknown format descriptor: 'csv'\n",
      0,
    ],
    [["bogus"], "Unknown collection: 'bogus'\n", 1],
    [
      ["breakpoint", "enable"],
      "Unknown benchmark: 'enable' for collection 'breakpoint'\n",
      1,
    ],
  ];
  for (const [args, message, exit] of cases) {
    await t.step(`${args.join(" ")} exits ${exit}`, () => {
      const { code, stdout, stderr } = run([...SMALL, ...args]);
      assert.equal(code, exit);
      assert.equal(stdout, message);
      assert.equal(stderr, "");
    });
  }
});

Deno.test("perf CLI prints its header before the run, as perf does", () => {
  let stdout = "";
  let atStart: string | null = null;
  const code = main(["breakpoint", "thread", ...SMALL], {
    stdout: (text) => (stdout += text),
    stderr: () => {},
    now: () => {
      atStart ??= stdout;
      return 0;
    },
  });
  assert.equal(code, 0);
  assert.equal(atStart, "# Running 'breakpoint/thread' benchmark:\n");
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
  assert.equal(stdout, "# Running 'breakpoint/thread' benchmark:\n");
  assert.match(
    stderr,
    /^perf_event_open: No space left on device \(Cannot reserve breakpoint: .*\)\n$/,
  );
});

Deno.test("perf CLI --clock model models a kernel stage and labels it", () => {
  const args = [
    "-r",
    "3",
    "breakpoint",
    "thread",
    "-b",
    "2",
    "-p",
    "2",
    "-t",
    "4",
    ...SMALL,
  ];
  const text = run([...args, "--kernel-stage", "v5.19", "--clock", "model"]);
  assert.equal(text.code, 0);
  assert.match(
    text.stdout,
    /\n# modelled \(virtual time, seed 1\): threads [\d.]+ s, events [\d.]+ s, accounting [\d.]+ s, locks [\d.]+ s, waiting [\d.]+ s\n$/,
  );

  const json = JSON.parse(
    run([
      ...args,
      "--kernel-stage",
      "patch11",
      "--clock",
      "model",
      "--seed",
      "7",
      "--json",
    ]).stdout,
  );
  assert.deepEqual(
    [json.index, json.strategy, json.locking, json.clock, json.seed],
    ["rhltable", "legacy", "rwsem", "model", 7],
  );
  assert.deepEqual(Object.keys(json.breakdown), [
    "threads",
    "events",
    "accounting",
    "locks",
    "waiting",
  ]);
  const again = JSON.parse(
    run([
      ...args,
      "--kernel-stage",
      "patch11",
      "--clock",
      "model",
      "--seed",
      "7",
      "--json",
    ]).stdout,
  );
  assert.equal(again.totalSeconds, json.totalSeconds);

  const wall = JSON.parse(
    run([...args, "--locking", "mutex", "--json"]).stdout,
  );
  assert.equal(wall.clock, "wall");
  assert.equal(wall.locking, "mutex");
  assert.equal(wall.breakdown, undefined);
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

Deno.test("perf CLI runs as a script, with perf's exit codes", async () => {
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
    env: childEnv(),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  assert.match(new TextDecoder().decode(output.stdout), /^\d+\.\d{3}\n$/);

  const bad = await new Deno.Command(Deno.execPath(), {
    args: ["run", cli.href, "breakpoint", "thread", "-p", "x"],
    env: childEnv(),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(bad.code, 129);
  assert.equal(
    new TextDecoder().decode(bad.stderr),
    " Error: switch `p' expects a numerical value, got 'x'\n Run with --help to list the options.\n",
  );
});

Deno.test("perf CLI takes perf's option spellings: attached values and unique prefixes", () => {
  const spellings = [
    ["-b2", "-p3", "-t4"],
    ["--breakpoints=2", "--parallelism", "3", "--threads=4"],
    ["--break", "2", "--par=3", "--thr", "4"],
  ];
  for (const spelling of spellings) {
    const { code, stdout } = run([
      "-r3",
      "breakpoint",
      "thread",
      ...spelling,
      ...SMALL,
      "--json",
    ]);
    assert.equal(code, 0);
    const result = JSON.parse(stdout);
    assert.deepEqual(
      [result.breakpoints, result.parallelism, result.threads],
      [2, 3, 4],
    );
  }
  const ambiguous = run(["breakpoint", "thread", "--s", "1"]);
  assert.equal(ambiguous.code, 129);
  assert.match(
    ambiguous.stderr,
    /^ Error: Ambiguous option: s \(could be --strategy or --seed\)\n/,
  );
});
