/**
 * The `perf bench breakpoint thread` command line, simulated:
 *
 * ```sh
 * deno run jsr:@hwbp/sim/cli -r 30 breakpoint thread -b 4 -p 64 -t 64 --kernel-stage v5.19 --clock model
 * ```
 *
 * It parses, prints and exits as perf does (see the exit-code table in the
 * package README). Run as a script it reads `Deno.args` and sets
 * `Deno.exitCode`; import {@linkcode main} to run it in-process.
 *
 * @module
 */
import { ConstraintError, LOCKING_DISCIPLINES } from "@hwbp/core";
import {
  type OptionSpec,
  type Parsed,
  parseOptions,
  UsageError,
} from "./_cli_args.ts";
import { simulateBreakpointThread } from "./breakpoint_thread.ts";
import { KERNEL_STAGES, type KernelStageName } from "./kernel_stages.ts";
import {
  type BreakpointThreadOptions,
  type BreakpointThreadResult,
  SIM_CLOCKS,
  SIM_STRATEGIES,
} from "./options.ts";
import { formatResult, type PerfFormat } from "./perf_format.ts";
import { INDEX_NAMES } from "./task_indexes.ts";

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

const PROGRAM = "deno run jsr:@hwbp/sim/cli";

const USAGE =
  `Usage: ${PROGRAM} [-r <n>] [-f <format>] breakpoint thread [<options>]

Simulates perf bench breakpoint thread on the hwbp slot-accounting model: the
main task creates <b> inheritable breakpoints, then <p> spawner threads share
<r> batches, each creating and joining <t> threads that inherit them all.

Options:
  -r, --repeat <n>          batches of threads (default 10)
  -b, --breakpoints <n>     breakpoints of the main task (default 1)
  -p, --parallelism <n>     spawner threads sharing the batches (default 1)
  -t, --threads <n>         threads per batch (default 1)
      --cpus <n>            possible CPUs of the machine (default 256)
      --strategy <name>     slot accounting: ${SIM_STRATEGIES.join(", ")}
                            (default current)
      --index <name>        task index: ${
    INDEX_NAMES.join(", ")
  } (default rhltable)
      --locking <name>      mutex (global nr_bp_mutex) or rwsem (per-task mutex
                            and bp_cpuinfo_sem; default)
      --kernel-stage <name> index, strategy and locking of a kernel stage:
                            ${Object.keys(KERNEL_STAGES).join(", ")}
      --clock <name>        wall (measured, default) or model (virtual time)
      --seed <n>            rhltable hash seed (default 1)
  -f, --format <name>       output: default or simple (default default)
      --json                print one JSON object instead
  -h, --help                print this help

Example:
  ${PROGRAM} -r 30 breakpoint thread -b 4 -p 64 -t 64 --kernel-stage v5.19 --clock model
`;

/** perf bench with no collection: its usage and collections. */
const BENCH_USAGE = `Usage: 
\t${PROGRAM} [<common options>] <collection> <benchmark> [<options>]

        # List of all available benchmark collections:

    breakpoint: Breakpoint benchmarks

`;

/** perf bench breakpoint with no benchmark (perf's dump_benchmarks()). */
const BENCHMARKS = `
        # List of available benchmarks for collection 'breakpoint':

        thread: Benchmark thread start/finish with breakpoints

`;

const OPTIONS: readonly OptionSpec[] = [
  { long: "repeat", short: "r", kind: "uint" },
  { long: "format", short: "f", kind: "string" },
  { long: "breakpoints", short: "b", kind: "uint" },
  { long: "parallelism", short: "p", kind: "uint" },
  { long: "threads", short: "t", kind: "uint" },
  { long: "cpus", kind: "uint" },
  { long: "strategy", kind: "string" },
  { long: "index", kind: "string" },
  { long: "locking", kind: "string" },
  { long: "kernel-stage", kind: "string" },
  { long: "clock", kind: "string" },
  { long: "seed", kind: "uint" },
  { long: "json", kind: "boolean" },
  { long: "help", short: "h", kind: "boolean" },
];

const NUMERIC = [
  "repeat",
  "breakpoints",
  "parallelism",
  "threads",
  "cpus",
  "seed",
] as const;
const CHOICES: Readonly<Record<string, readonly string[]>> = {
  strategy: SIM_STRATEGIES,
  index: INDEX_NAMES,
  locking: LOCKING_DISCIPLINES,
  clock: SIM_CLOCKS,
  "kernel-stage": Object.keys(KERNEL_STAGES),
};

/** Exit code of a usage error or a help request, as perf's parse_options(). */
const EXIT_USAGE = 129;
/** Progress appears once a run has taken this long. */
const PROGRESS_AFTER_MS = 1000;
/** And is redrawn at most this often. */
const PROGRESS_EVERY_MS = 100;

/** strerror() of the codes a reserve can fail with. */
const STRERROR: Readonly<Record<string, string>> = {
  ENOSPC: "No space left on device",
  EINVAL: "Invalid argument",
  EOPNOTSUPP: "Operation not supported",
  E2BIG: "Argument list too long",
  EBUSY: "Device or resource busy",
  ENOENT: "No such file or directory",
};

/**
 * Runs the command line as `perf bench` would: perf's global `-r`/`-f`
 * (and any other option) before the collection, then `breakpoint thread`
 * and its options. It prints perf's formats, or one JSON object with
 * `--json`, and returns perf's exit code:
 *
 * - 0: a run; no arguments (the collections are listed); `breakpoint`
 *   alone (its benchmarks are listed); and, as perf, an unknown `-f`
 *   format or `-r 0`, which print one line on standard output;
 * - 1: an unknown collection or benchmark; a breakpoint that does not fit
 *   (`perf_event_open: No space left on device`);
 * - 129: a bad option or value (one line and a hint on standard error),
 *   and `-h`/`--help` (the help on standard output).
 *
 * @param args The arguments, without the program name.
 * @param io Where to write (default: the process's standard streams).
 * @returns The exit code.
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
 * assert.equal(main(["breakpoint", "thread", "-b", "-4"], io), 129);
 * assert.match(err, /^ Error: switch `b' expects an unsigned numerical value, got '-4'\n/);
 * ```
 */
export function main(args: readonly string[], io: CliIo = processIo()): number {
  const values: Parsed = new Map();
  let at: number;
  try {
    at = parseOptions(args, 0, OPTIONS, values);
  } catch (error) {
    return usageError(io, error);
  }
  if (values.has("help")) return help(io);
  const early = perfChecks(values, io);
  if (early !== null) return early;

  if (at >= args.length) {
    io.stdout(BENCH_USAGE);
    return 0;
  }
  const collection = args[at]!;
  if (collection !== "breakpoint") {
    io.stdout(`Unknown collection: '${collection}'\n`);
    return 1;
  }
  const benchmark = args[at + 1];
  if (benchmark === undefined || benchmark === "-h" || benchmark === "--help") {
    io.stdout(BENCHMARKS);
    return 0;
  }
  if (benchmark !== "thread") {
    io.stdout(
      `Unknown benchmark: '${benchmark}' for collection 'breakpoint'\n`,
    );
    return 1;
  }

  // perf prints this before the benchmark parses its own options. Our
  // options may come after the benchmark's name too: peek at them for -f
  // and --json (errors are reported below).
  const peek: Parsed = new Map(values);
  try {
    parseOptions(args, at + 2, OPTIONS, peek);
  } catch {
    // Reported once parsed for real.
  }
  if ((peek.get("format") ?? "default") === "default" && !peek.has("json")) {
    io.stdout("# Running 'breakpoint/thread' benchmark:\n");
  }
  let options: BreakpointThreadOptions;
  let format: PerfFormat;
  try {
    const end = parseOptions(args, at + 2, OPTIONS, values);
    if (end < args.length) {
      throw new UsageError(`unexpected argument '${args[end]}'`);
    }
    if (values.has("help")) return help(io);
    const late = perfChecks(values, io);
    if (late !== null) return late;
    ({ options, format } = toOptions(values));
  } catch (error) {
    return usageError(io, error);
  }
  return run(options, format, io);
}

/** perf bench's checks of -f and -r, which print on stdout and exit 0. */
function perfChecks(values: Parsed, io: CliIo): number | null {
  const format = values.get("format");
  if (format !== undefined && format !== "default" && format !== "simple") {
    io.stdout(`Unknown format descriptor: '${format}'\n`);
    return 0;
  }
  if (values.get("repeat") === 0) {
    io.stdout("Invalid repeat option: Must specify a positive value\n");
    return 0;
  }
  return null;
}

function toOptions(
  values: Parsed,
): { options: BreakpointThreadOptions; format: PerfFormat } {
  const options: BreakpointThreadOptions = {};
  for (const name of NUMERIC) {
    const value = values.get(name);
    if (value !== undefined) options[name] = value as number;
  }
  for (const [name, allowed] of Object.entries(CHOICES)) {
    const value = values.get(name);
    if (value !== undefined && !allowed.includes(value as string)) {
      throw new UsageError(
        `option \`${name}' expects one of ${
          allowed.join(", ")
        }, got '${value}'`,
      );
    }
  }
  const stage = values.get("kernel-stage") as KernelStageName | undefined;
  if (stage !== undefined) {
    for (const name of ["index", "strategy", "locking"]) {
      if (values.has(name)) {
        throw new UsageError(
          `option \`kernel-stage' sets the ${name}: drop --${name} or --kernel-stage`,
        );
      }
    }
    Object.assign(options, KERNEL_STAGES[stage]);
  }
  const pick = <K extends "strategy" | "index" | "locking" | "clock">(
    name: K,
  ): void => {
    const value = values.get(name);
    if (value !== undefined) {
      options[name] = value as NonNullable<BreakpointThreadOptions[K]>;
    }
  };
  pick("strategy");
  pick("index");
  pick("locking");
  pick("clock");
  let format = (values.get("format") ?? "default") as PerfFormat;
  if (values.has("json")) {
    if (values.has("format")) {
      throw new UsageError("option `json' cannot be used with switch `f'");
    }
    format = "json";
  }
  return { options, format };
}

function run(
  options: BreakpointThreadOptions,
  format: PerfFormat,
  io: CliIo,
): number {
  const now = io.now ?? (() => performance.now());
  const progress = io.stderrIsTerminal === true ? new Progress(io, now) : null;
  if (progress !== null) {
    options.onProgress = (done, total) => progress.update(done, total);
  }
  options.now = now;
  let result: BreakpointThreadResult;
  try {
    result = simulateBreakpointThread(options);
  } catch (error) {
    progress?.clear();
    if (error instanceof ConstraintError) {
      // perror("perf_event_open"), then exit(EXIT_FAILURE).
      const text = STRERROR[error.code] ?? error.code;
      io.stderr(`perf_event_open: ${text} (${error.message})\n`);
      return 1;
    }
    if (error instanceof RangeError || error instanceof TypeError) {
      return usageError(io, new UsageError(error.message));
    }
    throw error;
  }
  progress?.clear();
  let text = formatResult(result, format);
  if (format === "default" && result.breakdown !== undefined) {
    text += modelledLine(result);
  }
  io.stdout(text);
  return 0;
}

/** A line after perf's, saying the time is modelled and where it went. */
function modelledLine(result: BreakpointThreadResult): string {
  const b = result.breakdown!;
  const s = (seconds: number): string => seconds.toFixed(6);
  return `# modelled (virtual time, seed ${result.seed}): threads ${
    s(b.threads)
  } s, events ${s(b.events)} s, accounting ${s(b.accounting)} s, locks ${
    s(b.locks)
  } s, waiting ${s(b.waiting)} s\n`;
}

function usageError(io: CliIo, error: unknown): number {
  if (!(error instanceof UsageError)) throw error;
  io.stderr(
    ` Error: ${error.message}\n Run with --help to list the options.\n`,
  );
  return EXIT_USAGE;
}

function help(io: CliIo): number {
  io.stdout(USAGE);
  return EXIT_USAGE;
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
