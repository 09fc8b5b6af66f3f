/**
 * The `perf bench breakpoint thread` command line, simulated:
 *
 * ```sh
 * deno task perf -r 30 breakpoint thread -b 4 -p 64 -t 64 --index list --strategy legacy
 * ```
 *
 * Run as a script it reads `Deno.args` and sets `Deno.exitCode`; import
 * {@linkcode main} to run it in-process.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ConstraintError } from "@hwbp/core";
import { simulateBreakpointThread } from "./breakpoint_thread.ts";
import {
  type BreakpointThreadOptions,
  SIM_STRATEGIES,
  type SimStrategy,
} from "./options.ts";
import { formatResult, type PerfFormat } from "./perf_format.ts";
import { INDEX_NAMES, type IndexName } from "./task_indexes.ts";

/**
 * Where {@linkcode main} writes, and what it knows about its terminal.
 *
 * @example Usage
 * ```ts
 * import type { CliIo } from "@hwbp/sim/cli";
 * import assert from "node:assert/strict";
 *
 * let out = "";
 * const io: CliIo = { stdout: (text) => (out += text), stderr: () => {} };
 * io.stdout("hello\n");
 * assert.equal(out, "hello\n");
 * ```
 */
export interface CliIo {
  /** Writes text to standard output. */
  stdout(text: string): void;
  /** Writes text to standard error. */
  stderr(text: string): void;
  /**
   * Whether standard error is a terminal (default `false`). Only then do
   * runs longer than a second show progress there.
   */
  stderrIsTerminal?: boolean;
  /** The clock, in milliseconds (default `performance.now`). */
  now?: () => number;
}

const USAGE =
  `Usage: deno task perf [-r <n>] [-f <format>] breakpoint thread [<options>]

Simulates perf bench breakpoint thread on the hwbp slot-accounting model: the
main task creates <b> inheritable breakpoints, then <p> spawner threads share
<r> batches, each creating and joining <t> threads that inherit them all.

Options:
  -r, --repeat <n>        batches of threads (default 10)
  -b, --breakpoints <n>   breakpoints of the main task (default 1)
  -p, --parallelism <n>   spawner threads sharing the batches (default 1)
  -t, --threads <n>       threads per batch (default 1)
      --cpus <n>          possible CPUs of the machine (default 256)
      --strategy <name>   slot accounting: current, legacy or none (default current)
      --index <name>      task index: list, chained-hash or rhltable (default rhltable)
  -f, --format <name>     output: default or simple (default default)
      --json              print one JSON object instead
  -h, --help              print this help

Example:
  deno task perf -r 30 breakpoint thread -b 4 -p 64 -t 64 --index list --strategy legacy
`;

const OPTIONS = {
  repeat: { type: "string", short: "r" },
  breakpoints: { type: "string", short: "b" },
  parallelism: { type: "string", short: "p" },
  threads: { type: "string", short: "t" },
  cpus: { type: "string" },
  strategy: { type: "string" },
  index: { type: "string" },
  format: { type: "string", short: "f" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const NUMERIC = [
  "repeat",
  "breakpoints",
  "parallelism",
  "threads",
  "cpus",
] as const;
/** Progress appears once a run has taken this long. */
const PROGRESS_AFTER_MS = 1000;
/** And is redrawn at most this often. */
const PROGRESS_EVERY_MS = 100;

/** A bad command line: reported with the usage text. */
class UsageError extends Error {}

/**
 * Runs the command line: parses `args` as `perf bench` would (perf's global
 * `-r`/`-f` may come before or after `breakpoint thread`), runs the
 * simulation and prints the result in perf's format, or one JSON object
 * with `--json`.
 *
 * A bad flag or value prints a one-line error and the usage text on
 * standard error and returns 1; `--help` prints the usage text on standard
 * output and returns 0.
 *
 * @param args The arguments, without the program name.
 * @param io Where to write (default: the process's standard streams).
 * @returns The exit code: 0 on success, 1 on error.
 *
 * @example Usage
 * ```ts
 * import { main } from "@hwbp/sim/cli";
 * import assert from "node:assert/strict";
 *
 * let out = "";
 * let err = "";
 * const io = { stdout: (s: string) => (out += s), stderr: (s: string) => (err += s) };
 *
 * assert.equal(main(["-r", "3", "breakpoint", "thread", "-b", "2", "--cpus", "8", "--json"], io), 0);
 * const result = JSON.parse(out);
 * assert.equal(result.reserves, 3 * 2);
 *
 * assert.equal(main(["breakpoint", "thread", "-p", "zero"], io), 1);
 * assert.match(err, /^error: .*parallelism/);
 * assert.match(err, /Usage:/);
 * ```
 */
export function main(args: readonly string[], io: CliIo = processIo()): number {
  if (args.includes("-h") || args.includes("--help")) {
    io.stdout(USAGE);
    return 0;
  }
  let options: BreakpointThreadOptions;
  let format: PerfFormat;
  try {
    ({ options, format } = parse(args));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`error: ${error.message}\n\n${USAGE}`);
    return 1;
  }

  const now = io.now ?? (() => performance.now());
  const progress = io.stderrIsTerminal === true ? new Progress(io, now) : null;
  if (progress !== null) {
    options.onProgress = (done, total) => progress.update(done, total);
  }
  options.now = now;
  let text: string;
  try {
    text = formatResult(simulateBreakpointThread(options), format);
  } catch (error) {
    if (error instanceof ConstraintError) {
      // What perf does when perf_event_open() fails.
      progress?.clear();
      io.stderr(`error: perf_event_open: ${error.code}: ${error.message}\n`);
      return 1;
    }
    if (error instanceof RangeError || error instanceof TypeError) {
      progress?.clear();
      io.stderr(`error: ${error.message}\n\n${USAGE}`);
      return 1;
    }
    throw error;
  }
  progress?.clear();
  if (format === "default") {
    // perf bench's own header, printed before the benchmark runs.
    text = `# Running 'breakpoint/thread' benchmark:\n${text}`;
  }
  io.stdout(text);
  return 0;
}

function parse(
  args: readonly string[],
): { options: BreakpointThreadOptions; format: PerfFormat } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: OPTIONS,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // node:util's messages run over several lines, and its hint about
    // positionals starting with "-" does not apply here.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(
      message.split("\n", 1)[0]!.replace(/\. To specify a positional .*$/, ""),
    );
  }
  const { values, positionals } = parsed;

  const benchmark = positionals.join(" ");
  if (benchmark !== "breakpoint thread") {
    throw new UsageError(
      benchmark === ""
        ? `missing benchmark: expected "breakpoint thread"`
        : `unknown benchmark ${
          JSON.stringify(benchmark)
        } (only "breakpoint thread" is simulated)`,
    );
  }

  const options: BreakpointThreadOptions = {};
  for (const name of NUMERIC) {
    const value = values[name];
    if (value === undefined) continue;
    if (!/^[0-9]+$/.test(value)) {
      throw new UsageError(
        `--${name} ${JSON.stringify(value)} must be a non-negative integer`,
      );
    }
    options[name] = Number(value);
  }
  if (values.strategy !== undefined) {
    options.strategy = pick(
      "strategy",
      values.strategy,
      SIM_STRATEGIES,
    ) as SimStrategy;
  }
  if (values.index !== undefined) {
    options.index = pick("index", values.index, INDEX_NAMES) as IndexName;
  }
  if (options.repeat === 0) {
    // perf bench's own check, before any benchmark runs.
    throw new UsageError(
      "Invalid repeat option: Must specify a positive value",
    );
  }

  let format: PerfFormat = "default";
  if (values.format !== undefined) {
    format = pick("format", values.format, ["default", "simple"]) as PerfFormat;
  }
  if (values.json === true) {
    if (values.format !== undefined) {
      throw new UsageError("--json and --format cannot be combined");
    }
    format = "json";
  }
  return { options, format };
}

function pick(
  name: string,
  value: string,
  allowed: readonly string[],
): string {
  if (!allowed.includes(value)) {
    throw new UsageError(
      `--${name} ${JSON.stringify(value)} is not one of ${allowed.join(", ")}`,
    );
  }
  return value;
}

/** A one-line progress report on a terminal, redrawn in place. */
class Progress {
  readonly #io: CliIo;
  readonly #now: () => number;
  readonly #start: number;
  #last: number;
  #shown = false;

  constructor(io: CliIo, now: () => number) {
    this.#io = io;
    this.#now = now;
    this.#start = now();
    this.#last = this.#start;
  }

  update(done: number, total: number): void {
    // Reading the clock on every thread would show in the timings.
    if ((done & 15) !== 0) return;
    const now = this.#now();
    if (now - this.#start < PROGRESS_AFTER_MS) return;
    if (now - this.#last < PROGRESS_EVERY_MS) return;
    this.#last = now;
    this.#shown = true;
    const percent = Math.floor(done / total * 100);
    const seconds = ((now - this.#start) / 1000).toFixed(1);
    this.#io.stderr(
      `\r\x1b[2Kbreakpoint/thread: ${percent}% (${done}/${total} thread starts and exits), ${seconds} s`,
    );
  }

  clear(): void {
    if (this.#shown) this.#io.stderr("\r\x1b[2K");
    this.#shown = false;
  }
}

function processIo(): CliIo {
  return {
    stdout: (text) => writeAll(Deno.stdout, text),
    stderr: (text) => writeAll(Deno.stderr, text),
    stderrIsTerminal: Deno.stderr.isTerminal(),
  };
}

function writeAll(
  stream: { writeSync(p: Uint8Array): number },
  text: string,
): void {
  let bytes = new TextEncoder().encode(text);
  while (bytes.length > 0) bytes = bytes.subarray(stream.writeSync(bytes));
}

if (import.meta.main) {
  Deno.exitCode = main(Deno.args);
}
