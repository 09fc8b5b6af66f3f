import assert from "node:assert/strict";
import { childEnv } from "../testing/child_env.ts";
import { processArgs } from "./engine_vs_minimum.ts";

/** Runs the script with `args`; its exit code and stderr. */
async function run(
  ...args: string[]
): Promise<{ code: number; stderr: string }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      "--no-check",
      "--allow-read",
      "--allow-env",
      "--allow-run",
      new URL("./engine_vs_minimum.ts", import.meta.url).pathname,
      ...args,
    ],
    env: childEnv({ NO_COLOR: "1" }),
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
  }).output();
  return {
    code: output.code,
    stderr: new TextDecoder().decode(output.stderr),
  };
}

Deno.test("processArgs() gives each fresh process the inlining budget, or V8's default", () => {
  const plain = processArgs(["--floor", "--rounds", "3"]);
  assert.ok(plain.includes("--v8-flags=--expose-gc"));
  assert.ok(!plain.some((a) => a.includes("max-inlined")));
  assert.deepEqual(plain.slice(-4), ["--json", "--floor", "--rounds", "3"]);
  const budget = processArgs([], 5000);
  assert.ok(
    budget.includes(
      "--v8-flags=--expose-gc,--max-inlined-bytecode-size-cumulative=5000",
    ),
  );
});

Deno.test("--inline-budget is refused where it cannot reach V8, and for a bad value", async () => {
  // This process's V8 has read its flags already: only --processes can
  // apply a budget, and the children run with --json.
  for (
    const args of [["--inline-budget", "5000"], [
      "--inline-budget=5000",
      "--processes",
      "2",
      "--json",
    ]]
  ) {
    const { code, stderr } = await run(...args);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /--inline-budget needs --processes/);
  }
  const { code, stderr } = await run(
    "--processes",
    "1",
    "--inline-budget",
    "0",
  );
  assert.equal(code, 2, stderr);
  assert.match(stderr, /--inline-budget must be a positive integer, not "0"/);
});
