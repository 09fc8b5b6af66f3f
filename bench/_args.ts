// The bench's command line, checked before any work starts: a bad flag or
// an unwritable --json path fails in milliseconds with one line, not at the
// end of a five-minute run.
import { dirname } from "node:path";
import { parseArgs } from "node:util";

export const USAGE =
  `Usage: deno task bench [--quick] [--json FILE] [--charts DIR]
       deno task bench --charts-from FILE [--charts DIR]

  --quick             tiny sizes, a smoke test (under a minute)
  --json FILE         also write machine-readable results to FILE
  --charts DIR        where to write the SVG charts (default bench/results,
                      or bench/results/quick with --quick)
  --charts-from FILE  only redraw the charts, from the results of a --json run
  -h, --help          print this help`;

/** What the bench was asked to do. */
export interface BenchArgs {
  quick: boolean;
  json: string | null;
  charts: string;
  /** Draw the charts from this `--json` file instead of running. */
  chartsFrom: string | null;
  help: boolean;
}

/** A bad command line, with a one-line message. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Parses `args`; throws a {@linkcode UsageError} on anything wrong. */
export function parseBenchArgs(args: string[]): BenchArgs {
  const values = parseScriptArgs(args, {
    quick: { type: "boolean" },
    json: { type: "string" },
    charts: { type: "string" },
    "charts-from": { type: "string" },
  }) as {
    quick?: boolean;
    json?: string;
    charts?: string;
    "charts-from"?: string;
    help?: boolean;
  };
  const quick = values.quick === true;
  return {
    quick,
    json: values.json ?? null,
    charts: values.charts ?? (quick ? "bench/results/quick" : "bench/results"),
    chartsFrom: values["charts-from"] ?? null,
    help: values.help === true,
  };
}

/**
 * Checks that `path` can be written, creating its directory, without
 * leaving a file behind. Throws a {@linkcode UsageError} naming the path.
 */
export function checkWritableFile(path: string, flag: string): void {
  if (path === "") throw new UsageError(`${flag} needs a file name`);
  let existed = true;
  try {
    if (Deno.statSync(path).isDirectory) {
      throw new UsageError(`Cannot write ${flag} ${path}: it is a directory`);
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (!(error instanceof Deno.errors.NotFound)) {
      throw usage(flag, path, error);
    }
    existed = false;
  }
  try {
    Deno.mkdirSync(dirname(path), { recursive: true });
    // Opening for append changes nothing in an existing file.
    Deno.openSync(path, { append: true, create: true }).close();
    if (!existed) Deno.removeSync(path);
  } catch (error) {
    throw usage(flag, path, error);
  }
}

/** Checks that directory `path` exists or can be created, and is writable. */
export function checkWritableDir(path: string, flag: string): void {
  try {
    Deno.mkdirSync(path, { recursive: true });
    const probe = `${path}/.write-check-${Deno.pid}`;
    Deno.writeTextFileSync(probe, "");
    Deno.removeSync(probe);
  } catch (error) {
    throw usage(flag, path, error);
  }
}

function usage(flag: string, path: string, error: unknown): UsageError {
  const reason = error instanceof Error
    ? error.message.split("\n", 1)[0]
    : String(error);
  return new UsageError(`Cannot write ${flag} ${path}: ${reason}`);
}

/** A flag of a bench script: a switch, or one that takes a value. */
export type ScriptFlags = Record<string, { type: "boolean" | "string" }>;

/**
 * The flags of a bench script (`main.ts`, `engine_vs_minimum.ts`,
 * `rhltable_vs_map.ts`), read strictly: an unknown flag, a missing value
 * or a stray argument is a {@linkcode UsageError} of one line, where
 * reading `Deno.args` by hand would ignore it and run something else for
 * minutes. `-h` and `--help` are added to every script's flags. Both
 * `--name value` and `--name=value` work.
 */
export function parseScriptArgs(
  args: string[],
  flags: ScriptFlags,
): Record<string, string | boolean | undefined> {
  try {
    return parseArgs({
      args,
      options: { ...flags, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.split("\n", 1)[0]!.replace(/\.$/, ""));
  }
}

/**
 * A flag's value as a positive integer, `fallback` when it is absent; a
 * {@linkcode UsageError} naming the flag and the value otherwise.
 */
export function positiveInteger(
  flag: string,
  value: string | boolean | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const n = typeof value === "string" && /^[0-9]+$/.test(value)
    ? Number(value)
    : NaN;
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(
      `--${flag} must be a positive integer, not ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/**
 * Runs a bench script's main: `--help` prints `usage`; a
 * {@linkcode UsageError} prints one line and exits with status 2, as
 * `deno task bench` does.
 */
export async function runScript(
  usage: string,
  args: string[],
  flags: ScriptFlags,
  main: (values: Record<string, string | boolean | undefined>) => unknown,
): Promise<void> {
  try {
    const values = parseScriptArgs(args, flags);
    if (values.help === true) {
      console.log(usage);
      return;
    }
    await main(values);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message} (--help for usage)`);
    Deno.exit(2);
  }
}
