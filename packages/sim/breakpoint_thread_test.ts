import { childEnv } from "../../testing/child_env.ts";
import assert from "node:assert/strict";
import {
  ARCH_PROFILES,
  BreakpointConstraints,
  ConstraintError,
} from "@hwbp/core";
import {
  type BreakpointThreadOptions,
  type BreakpointThreadResult,
  createTaskIndex,
  DEFAULT_SEED,
  INDEX_NAMES,
  SIM_STRATEGIES,
  simulateBreakpointThread,
} from "./mod.ts";

/** A clock that returns the given readings, in milliseconds, in order. */
function clock(...readings: number[]): () => number {
  let next = 0;
  return () => {
    assert.ok(next < readings.length, "the clock was read too often");
    return readings[next++]!;
  };
}

function assertCounts(
  result: BreakpointThreadResult,
  expected: { r: number; t: number; b: number; p: number },
): void {
  const { r, t, b, p } = expected;
  assert.equal(result.reserves, r * t * b, "reserves = r × t × b");
  assert.equal(result.releases, r * t * b, "releases = r × t × b");
  assert.equal(result.spawnerReserves, p * b, "spawnerReserves = p × b");
  assert.equal(result.spawnerReleases, p * b, "spawnerReleases = p × b");
  assert.equal(
    result.peakLive,
    Math.min(p, r) * t * b,
    "peak = min(p, r) × t × b",
  );
}

Deno.test("simulateBreakpointThread() counts what perf bench breakpoint thread does", async (t) => {
  const shapes = [
    { r: 10, t: 1, b: 1, p: 1 },
    { r: 30, t: 8, b: 4, p: 6 },
    { r: 7, t: 3, b: 2, p: 3 }, // the last round has one batch for three spawners
    { r: 4, t: 5, b: 3, p: 9 }, // r < p: only four spawners work
    { r: 1, t: 1, b: 4, p: 64 },
  ];
  for (const shape of shapes) {
    await t.step(
      `-r ${shape.r} -t ${shape.t} -b ${shape.b} -p ${shape.p}`,
      () => {
        const result = simulateBreakpointThread({
          cpus: 8,
          repeat: shape.r,
          threads: shape.t,
          breakpoints: shape.b,
          parallelism: shape.p,
        });
        assertCounts(result, shape);
      },
    );
  }

  await t.step("with r < p, only r spawners start threads at once", () => {
    const result = simulateBreakpointThread({
      cpus: 8,
      repeat: 30,
      breakpoints: 4,
      parallelism: 64,
      threads: 64,
    });
    assert.equal(result.peakLive, 30 * 64 * 4);
    assert.equal(result.spawnerReserves, 64 * 4);
  });

  await t.step("-b 0 reserves nothing and looks nothing up", () => {
    for (const strategy of SIM_STRATEGIES) {
      const result = simulateBreakpointThread({
        cpus: 8,
        breakpoints: 0,
        parallelism: 3,
        threads: 5,
        strategy,
      });
      assertCounts(result, { r: 10, t: 5, b: 0, p: 3 });
      assert.equal(result.lookups, 0);
      assert.equal(result.entriesVisited, 0);
    }
  });

  await t.step("the defaults are perf's", () => {
    const result = simulateBreakpointThread();
    assert.deepEqual(
      [
        result.cpus,
        result.repeat,
        result.breakpoints,
        result.parallelism,
        result.threads,
        result.strategy,
        result.index,
      ],
      [256, 10, 1, 1, 1, "current", "rhltable"],
    );
    assertCounts(result, { r: 10, t: 1, b: 1, p: 1 });
  });
});

Deno.test("simulateBreakpointThread() runs every index under every strategy", async (t) => {
  const workload = {
    repeat: 5,
    breakpoints: 4,
    parallelism: 3,
    threads: 6,
  } satisfies BreakpointThreadOptions;
  for (const index of INDEX_NAMES) {
    for (const strategy of ["current", "legacy"] as const) {
      await t.step(
        `${strategy} + ${index} leaves the engine idle and consistent`,
        () => {
          const constraints = new BreakpointConstraints({
            cpus: 16,
            ...ARCH_PROFILES.x86_64,
            index: createTaskIndex(index),
            strategy,
          });
          const result = simulateBreakpointThread({ ...workload, constraints });
          assertCounts(result, { r: 5, t: 6, b: 4, p: 3 });
          assert.equal(result.strategy, strategy);
          assert.equal(result.index, index);
          assert.equal(result.cpus, 16);
          assert.ok(result.lookups > 0);
          assert.equal(constraints.isUsed(), false);
          assert.equal(constraints.verify(), null);
          assert.equal(constraints.size, 0);
          assert.equal(constraints.index.size, 0);
        },
      );
    }
  }

  await t.step("none counts the same and never touches an index", () => {
    const result = simulateBreakpointThread({ ...workload, strategy: "none" });
    assertCounts(result, { r: 5, t: 6, b: 4, p: 3 });
    assert.equal(result.strategy, "none");
    assert.deepEqual(
      [result.lookups, result.entriesVisited, result.bucketsTouched],
      [0, 0, 0],
    );
  });

  await t.step("none accepts more breakpoints than any register file", () => {
    const result = simulateBreakpointThread({
      cpus: 8,
      breakpoints: 9,
      strategy: "none",
    });
    assert.equal(result.reserves, 10 * 9);
  });

  await t.step("a CPU-pinned breakpoint may stay in a caller's engine", () => {
    const constraints = new BreakpointConstraints({
      cpus: 4,
      ...ARCH_PROFILES.x86_64,
      index: createTaskIndex("rhltable"),
    });
    const pinned = constraints.reserve({ cpu: 2, type: "x" });
    const result = simulateBreakpointThread({
      constraints,
      breakpoints: 3,
      threads: 2,
    });
    assert.equal(result.reserves, 10 * 2 * 3);
    assert.equal(constraints.size, 1);
    constraints.release(pinned);
    assert.equal(constraints.isUsed(), false);
  });
});

Deno.test("simulateBreakpointThread() counts index work in the timed region only", () => {
  const shape = {
    cpus: 64,
    repeat: 6,
    breakpoints: 2,
    parallelism: 2,
    threads: 16,
  };
  const list = simulateBreakpointThread({ ...shape, index: "list" });
  const hash = simulateBreakpointThread({ ...shape, index: "rhltable" });
  const legacy = simulateBreakpointThread({
    ...shape,
    index: "rhltable",
    strategy: "legacy",
  });

  // Current accounting: three lookups per reserve/release pair (reserve's
  // fit check and histogram update, release's histogram update), whatever
  // the index. Only the main task's setup and teardown are outside.
  const pairs = 6 * 16 * 2 + 2 * 2;
  assert.equal(list.lookups, 3 * pairs);
  assert.equal(hash.lookups, 3 * pairs);
  // Legacy asks once per CPU instead.
  assert.equal(legacy.lookups, 3 * pairs * 64);
  // The list scans everything; the hash table a chain or two.
  assert.ok(list.entriesVisited / list.lookups > 20);
  assert.ok(hash.entriesVisited / hash.lookups < 4);
});

Deno.test("simulateBreakpointThread() times with the injected clock", () => {
  const result = simulateBreakpointThread({
    cpus: 8,
    repeat: 30,
    breakpoints: 4,
    parallelism: 64,
    threads: 64,
    strategy: "none",
    now: clock(1000, 1000 + 208.171),
  });
  assert.ok(Math.abs(result.totalSeconds - 0.208171) < 1e-12);
  assert.ok(Math.abs(result.usecsPerOp - 208171 / 30 / 64) < 1e-9);
  assert.ok(Math.abs(result.usecsPerOpPerCpu - 208171 / 30) < 1e-9);
});

Deno.test("simulateBreakpointThread() reports progress over every thread start and exit", () => {
  // With no breakpoints the threads still start and exit.
  for (const breakpoints of [1, 0]) {
    const seen: [number, number][] = [];
    simulateBreakpointThread({
      cpus: 8,
      repeat: 5,
      threads: 3,
      parallelism: 2,
      breakpoints,
      onProgress: (done, total) => seen.push([done, total]),
    });
    assert.equal(seen.length, 2 * 5 * 3);
    seen.forEach(([done, total], i) => {
      assert.equal(done, i + 1);
      assert.equal(total, 30);
    });
  }
});

Deno.test("simulateBreakpointThread() fails like perf_event_open() when breakpoints do not fit", () => {
  assert.throws(
    () => simulateBreakpointThread({ cpus: 8, breakpoints: 5 }),
    (error: unknown) => {
      assert.ok(error instanceof ConstraintError);
      assert.equal(error.code, "ENOSPC");
      return true;
    },
  );
});

Deno.test("simulateBreakpointThread() rejects bad options, naming them", async (t) => {
  const cases: [
    string,
    unknown,
    typeof TypeError | typeof RangeError,
    RegExp,
  ][] = [
    [
      "options not an object",
      42,
      TypeError,
      /options must be an object, got 42$/,
    ],
    [
      "unknown option",
      { parallel: 4 },
      TypeError,
      /unknown option "parallel"$/,
    ],
    [
      "cpus a string",
      { cpus: "256" },
      TypeError,
      /cpus must be a number, got "256"$/,
    ],
    [
      "cpus 0",
      { cpus: 0 },
      RangeError,
      /cpus 0 must be an integer from 1 to 65536$/,
    ],
    ["cpus too many", { cpus: 65_537 }, RangeError, /cpus 65537 must be/],
    [
      "breakpoints -1",
      { breakpoints: -1 },
      RangeError,
      /breakpoints -1 must be an integer from 0 to 65536$/,
    ],
    [
      "threads 1.5",
      { threads: 1.5 },
      RangeError,
      /threads 1\.5 must be an integer from 1/,
    ],
    [
      "parallelism 0",
      { parallelism: 0 },
      RangeError,
      /parallelism 0 must be an integer from 1/,
    ],
    [
      "repeat NaN",
      { repeat: NaN },
      RangeError,
      /repeat NaN must be an integer/,
    ],
    [
      "repeat 0",
      { repeat: 0 },
      RangeError,
      /repeat 0 must be an integer from 1 to 2147483647$/,
    ],
    [
      "strategy unknown",
      { strategy: "fast" },
      RangeError,
      /unknown strategy "fast" \(expected "legacy", "reserve-fastpath", "current", "none"\)$/,
    ],
    [
      "strategy not a string",
      { strategy: 1 },
      TypeError,
      /strategy must be a string, got 1$/,
    ],
    ["index unknown", { index: "btree" }, RangeError, /unknown index "btree"/],
    [
      "onProgress not a function",
      { onProgress: "yes" },
      TypeError,
      /onProgress must be a function, got "yes"$/,
    ],
    [
      "now not a function",
      { now: 5 },
      TypeError,
      /now must be a function, got 5$/,
    ],
    [
      "constraints not an engine",
      { constraints: {} },
      TypeError,
      /constraints must be a BreakpointConstraints, got an object$/,
    ],
    [
      "too many live breakpoints",
      { parallelism: 4096, repeat: 4096, threads: 4096, breakpoints: 4 },
      RangeError,
      /67108864 breakpoints would be live at once \(at most 16777216\)$/,
    ],
  ];
  for (const [name, options, ErrorClass, message] of cases) {
    await t.step(name, () => {
      assert.throws(
        () => simulateBreakpointThread(options as BreakpointThreadOptions),
        (error: unknown) => {
          assert.ok(
            error instanceof ErrorClass,
            `${error} is not a ${ErrorClass.name}`,
          );
          assert.match(error.message, /^Cannot simulate breakpoint thread: /);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  await t.step("constraints with its own settings given again", () => {
    const constraints = new BreakpointConstraints({
      cpus: 4,
      slots: 4,
      index: createTaskIndex("list"),
    });
    for (const key of ["cpus", "strategy", "index"] as const) {
      const value = { cpus: 4, strategy: "current", index: "list" }[key];
      assert.throws(
        () => simulateBreakpointThread({ constraints, [key]: value }),
        new TypeError(
          `Cannot simulate breakpoint thread: ${key} cannot be combined with constraints, which has its own`,
        ),
      );
    }
  });

  await t.step("constraints already holding task breakpoints", () => {
    const constraints = new BreakpointConstraints({
      cpus: 4,
      slots: 4,
      index: createTaskIndex("list"),
    });
    constraints.reserve({ task: 0, type: "w" });
    assert.throws(
      () => simulateBreakpointThread({ constraints }),
      new RangeError(
        "Cannot simulate breakpoint thread: constraints must hold no task breakpoints, got 1",
      ),
    );
  });
});

Deno.test("simulateBreakpointThread() gives the caller's engine back as it found it, whatever fails", async (t) => {
  const engine = (): BreakpointConstraints =>
    new BreakpointConstraints({
      cpus: 8,
      ...ARCH_PROFILES.x86_64,
      index: createTaskIndex("rhltable"),
    });
  for (const clock of ["wall", "model"] as const) {
    await t.step(`${clock}: the main task's breakpoints do not fit`, () => {
      const constraints = engine();
      const pinned = constraints.reserve({ cpu: 3, type: "x" });
      const before = constraints.snapshot();
      assert.throws(
        () => simulateBreakpointThread({ constraints, breakpoints: 4, clock }),
        (error: unknown) =>
          error instanceof ConstraintError && error.code === "ENOSPC",
      );
      assert.deepEqual(constraints.snapshot(), before);
      assert.equal(constraints.size, 1);
      assert.equal(constraints.verify(), null);
      constraints.release(pinned);
      assert.equal(constraints.isUsed(), false);
    });
    await t.step(`${clock}: a callback throws mid-run`, () => {
      const constraints = engine();
      const before = constraints.snapshot();
      assert.throws(
        () =>
          simulateBreakpointThread({
            constraints,
            repeat: 6,
            threads: 4,
            breakpoints: 3,
            parallelism: 3,
            clock,
            onProgress: (done) => {
              if (done === 7) throw new Error("stop");
            },
          }),
        /stop/,
      );
      assert.deepEqual(constraints.snapshot(), before);
      assert.equal(constraints.isUsed(), false);
    });
  }
});

Deno.test("simulateBreakpointThread() pins the rhltable seed, so counters match across processes", async () => {
  const script = new URL("./testdata/work_counters.ts", import.meta.url);
  const outputs = await Promise.all(
    [0, 1].map(() =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", script.href],
        env: childEnv(),
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output()
    ),
  );
  const [first, second] = outputs.map((output) => {
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    return JSON.parse(new TextDecoder().decode(output.stdout));
  });
  assert.deepEqual(first, second);
  assert.equal(first[0].seed, DEFAULT_SEED);
  assert.equal(first[1].seed, 99);
  assert.ok(first[0].entriesVisited > 0);
  assert.ok(first[2].totalSeconds > first[3].totalSeconds);
});
