import assert from "node:assert/strict";
import {
  checkWritableDir,
  checkWritableFile,
  parseBenchArgs,
  parseScriptArgs,
  positiveInteger,
  UsageError,
} from "./_args.ts";

Deno.test("parseBenchArgs() reads the flags and picks the chart folder", () => {
  assert.deepEqual(parseBenchArgs([]), {
    quick: false,
    json: null,
    charts: "bench/results",
    chartsFrom: null,
    help: false,
  });
  const quick = parseBenchArgs(["--quick", "--json", "out.json"]);
  assert.equal(quick.charts, "bench/results/quick");
  assert.equal(quick.json, "out.json");
});

Deno.test("parseBenchArgs() rejects an unknown flag with one line", () => {
  assert.throws(() => parseBenchArgs(["--fast"]), (error: unknown) => {
    assert.ok(error instanceof UsageError);
    assert.match(error.message, /^Unknown option '--fast'/);
    assert.ok(!error.message.includes("\n"));
    return true;
  });
});

Deno.test("checkWritableFile() rejects a directory and an unwritable path, and leaves no file", () => {
  const dir = Deno.makeTempDirSync();
  try {
    assert.throws(() => checkWritableFile(dir, "--json"), {
      name: "UsageError",
      message: `Cannot write --json ${dir}: it is a directory`,
    });
    Deno.writeTextFileSync(`${dir}/file`, "");
    // A path under a regular file can never be created.
    assert.throws(
      () => checkWritableFile(`${dir}/file/x.json`, "--json"),
      (error: unknown) => {
        assert.ok(error instanceof UsageError);
        assert.ok(
          error.message.startsWith(`Cannot write --json ${dir}/file/x.json: `),
        );
        return true;
      },
    );
    checkWritableFile(`${dir}/new/results.json`, "--json");
    assert.throws(
      () => Deno.statSync(`${dir}/new/results.json`),
      Deno.errors.NotFound,
    );
    checkWritableDir(`${dir}/charts`, "--charts");
    assert.deepEqual([...Deno.readDirSync(`${dir}/charts`)], []);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("parseScriptArgs() reads both value forms and refuses what a script does not know", () => {
  const flags = {
    rounds: { type: "string" },
    json: { type: "boolean" },
  } as const;
  assert.deepEqual({ ...parseScriptArgs(["--rounds", "5", "--json"], flags) }, {
    rounds: "5",
    json: true,
  });
  assert.deepEqual({ ...parseScriptArgs(["--rounds=7", "-h"], flags) }, {
    rounds: "7",
    help: true,
  });
  for (const args of [["--processes=5"], ["--rounds"], ["stray"]]) {
    assert.throws(() => parseScriptArgs(args, flags), (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.ok(!error.message.includes("\n"));
      return true;
    });
  }
});

Deno.test("positiveInteger() takes digits only and names the flag otherwise", () => {
  assert.equal(positiveInteger("rounds", undefined, 15), 15);
  assert.equal(positiveInteger("rounds", "41", 15), 41);
  for (const bad of ["0", "-3", "2.5", "1e3", "five", "", true]) {
    assert.throws(() => positiveInteger("rounds", bad, 15), {
      name: "UsageError",
      message: `--rounds must be a positive integer, not ${
        JSON.stringify(bad)
      }`,
    });
  }
});
