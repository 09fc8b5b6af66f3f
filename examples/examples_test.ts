// Runs every example as a user would (`deno run examples/NAME.ts`) and
// checks the lines that tell its story.
import { childEnv } from "../testing/child_env.ts";
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);

async function runExample(name: string): Promise<string> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", `examples/${name}`],
    cwd: ROOT,
    // As a user runs it: not under the test run's coverage, no colour.
    env: childEnv({ NO_COLOR: "1" }),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, `${name} failed:\n${stderr}`);
  return new TextDecoder().decode(output.stdout);
}

function assertLines(stdout: string, expected: (string | RegExp)[]): void {
  const lines = stdout.split("\n");
  for (const line of expected) {
    const found = typeof line === "string"
      ? lines.includes(line)
      : lines.some((l) => line.test(l));
    assert.ok(found, `no line ${line} in:\n${stdout}`);
  }
}

Deno.test("every example is tested here", async () => {
  const examples: string[] = [];
  for await (const entry of Deno.readDir(new URL("examples/", ROOT))) {
    if (entry.name.endsWith(".ts") && !entry.name.endsWith("_test.ts")) {
      examples.push(entry.name);
    }
  }
  assert.deepEqual(examples.sort(), [
    "arm64_enospc.ts",
    "compare_indexes.ts",
    "kernel_stages.ts",
    "quickstart.ts",
    "rhltable_multimap.ts",
    "watchpoint_rules.ts",
  ]);
});

Deno.test("examples/quickstart.ts reserves, hits ENOSPC and replays perf bench", async () => {
  assertLines(await runExample("quickstart.ts"), [
    "task 1234 holds 4 watchpoints on every CPU",
    "a fifth breakpoint fails with ENOSPC",
    "all released, slots in use: false",
    "# Created/joined 30 threads with 4 breakpoints and 64 parallelism",
    /^ {5}Total time: \d+\.\d{3} \[sec\]$/,
    /^ +\d+\.\d{6} usecs\/op$/,
    /^ +\d+\.\d{6} usecs\/op\/cpu$/,
  ]);
});

Deno.test("examples/arm64_enospc.ts reads the error's code and message", async () => {
  assertLines(await runExample("arm64_enospc.ts"), [
    "arm64: 6 breakpoint and 4 watchpoint registers per CPU",
    "a 5th watchpoint for task 42: ENOSPC",
    /^ {2}Cannot reserve breakpoint: "r" needs 1 data slot\(s\) but 4 of 4 are taken/,
    "an instruction breakpoint for task 42: ok",
    "a watchpoint pinned to cpu 3: ENOSPC",
    "the same after task 42 drops one: ok",
    "task 42's 4th watchpoint on every cpu: ENOSPC",
    "task 42's 4th watchpoint on cpu 5 only: ok",
    "consistent: true",
  ]);
});

Deno.test("examples/rhltable_multimap.ts uses RhlTable as a multimap", async () => {
  assertLines(await runExample("rhltable_multimap.ts"), [
    "alice: draft.tex, todo.md, notes.txt",
    "keys 2, values 4",
    "alice after closing todo.md: draft.tex, notes.txt",
    "has carol: false",
    /^10000 keys: \d+ buckets, load 0\.\d\d, \d+ grows, longest chain \d+$/,
    /^100 keys left: \d+ buckets, [1-9]\d* shrinks$/,
  ]);
});

Deno.test("examples/compare_indexes.ts prints a table of work counters", async () => {
  const stdout = await runExample("compare_indexes.ts");
  assertLines(stdout, [
    /^perf bench -r 8 breakpoint thread -b 4 -p 8 -t 32, 64 CPUs: 1024 inherited breakpoints, up to 1024 live$/,
    /^strategy +index +lookups +entries visited +per lookup +buckets +ms$/,
    /^none +- +0 +0 +- +0 +\d+\.\d$/,
  ]);
  // Current accounting needs the same lookups whatever the index; the list
  // scans far more entries per lookup than either hash table.
  const row = (strategy: string, index: string): string[] => {
    const line = stdout.split("\n").find((l) =>
      l.startsWith(`${strategy} `) && l.split(/ +/)[1] === index
    );
    assert.ok(line, `no row for ${strategy} + ${index}`);
    return line.split(/ +/);
  };
  const list = row("current", "list");
  const rhltable = row("current", "rhltable");
  assert.equal(list[2], rhltable[2]);
  assert.ok(Number(list[4]) > 100 * Number(rhltable[4]));
  assert.ok(Number(row("legacy", "rhltable")[2]) > Number(rhltable[2]));
});

Deno.test("examples/watchpoint_rules.ts answers as perf_event_open() would on x86_64", async () => {
  assertLines(await runExample("watchpoint_rules.ts"), [
    /^read-only watchpoint: EINVAL \(.*x86_64 has no read-only watchpoints/,
    /^4-byte watchpoint at 0x1002: EINVAL \(.*not aligned to length 4\)$/,
    "4-byte watchpoint at 0x1004: ok",
    /^read-only watchpoint, all 4 registers taken: ENOSPC \(/,
    /^instruction breakpoint on powerpc: EOPNOTSUPP \(/,
    "fork of task 2: task 20 holds 1 copy, at 0x3000",
    "everything consistent: true",
  ]);
});

Deno.test("examples/kernel_stages.ts prints the modelled stages beside the kernel's", async () => {
  const stdout = await runExample("kernel_stages.ts");
  assertLines(stdout, [
    /^v5\.19 +list +legacy +mutex +\d+\.\d{4} +236\.418$/,
    /^v6\.1 +rhltable +current +rwsem +0\.0\d{3} +0\.067$/,
    /^accounting disabled: 0\.0670 s \(modelled\)$/,
  ]);
  // The model is deterministic: the locking step is the same on any machine.
  const step = /^locking step, patch04 \/ patch11: (\d+\.\d\d)x/m.exec(stdout);
  assert.ok(step, stdout);
  assert.ok(Number(step[1]) > 1.35 && Number(step[1]) < 5.4, step[1]);
});
