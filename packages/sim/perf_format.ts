/**
 * The text `perf bench breakpoint thread` prints, as pure functions of a
 * result.
 *
 * @module
 */
import type { BreakpointThreadResult } from "./options.ts";

/**
 * Output formats: perf bench's `default` and `simple` (`-f`), and one JSON
 * object.
 *
 * @example Usage
 * ```ts
 * import { formatResult, type PerfFormat, simulateBreakpointThread } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * const format: PerfFormat = "json";
 * const text = formatResult(simulateBreakpointThread({ cpus: 4 }), format);
 * assert.equal(JSON.parse(text).repeat, 10);
 * ```
 */
export type PerfFormat = "default" | "simple" | "json";

/**
 * The fields of a {@linkcode BreakpointThreadResult} that perf prints.
 *
 * @example Usage
 * ```ts
 * import { formatSimple, type PerfTiming } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * const timing: PerfTiming = { totalSeconds: 0.067, repeat: 30, breakpoints: 4, parallelism: 64, threads: 64 };
 * assert.equal(formatSimple(timing), "0.067\n");
 * ```
 */
export type PerfTiming = Pick<
  BreakpointThreadResult,
  "totalSeconds" | "repeat" | "breakpoints" | "parallelism" | "threads"
>;

/**
 * Formats a result exactly as perf's default format does:
 *
 * ```text
 * # Created/joined 30 threads with 4 breakpoints and 64 parallelism
 *      Total time: 0.208 [sec]
 *
 *      108.422396 usecs/op
 *     6939.033333 usecs/op/cpu
 * ```
 *
 * As in `tools/perf/bench/breakpoint.c`: the header's thread count is the
 * repeat count (perf prints `bench_repeat` there); the time is taken in
 * whole microseconds, as `gettimeofday()` gives it, and the seconds are
 * truncated to milliseconds (`tv_usec / 1000`); usecs/op is total µs /
 * repeat / threads, and usecs/op/cpu that times parallelism, both printed
 * with `%14lf`.
 *
 * @param result The run to print.
 * @returns Four lines and a blank one, each ending in a newline.
 *
 * @example Usage
 * ```ts
 * import { formatDefault } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * const text = formatDefault({ totalSeconds: 0.208171, repeat: 30, breakpoints: 4, parallelism: 64, threads: 64 });
 * assert.equal(
 *   text,
 *   "# Created/joined 30 threads with 4 breakpoints and 64 parallelism\n" +
 *     "     Total time: 0.208 [sec]\n\n" +
 *     "     108.422396 usecs/op\n" +
 *     "    6939.033333 usecs/op/cpu\n",
 * );
 * ```
 */
export function formatDefault(result: PerfTiming): string {
  const usec = wholeMicroseconds(result.totalSeconds);
  const usecsPerOp = usec / result.repeat / result.threads;
  return `# Created/joined ${result.repeat} threads with ${result.breakpoints} breakpoints and ${result.parallelism} parallelism\n` +
    ` ${"Total time".padStart(14)}: ${seconds(usec)} [sec]\n\n` +
    ` ${fixed6(usecsPerOp)} usecs/op\n` +
    ` ${fixed6(usecsPerOp * result.parallelism)} usecs/op/cpu\n`;
}

/**
 * Formats a result as perf's `simple` format: the total time in seconds,
 * truncated to milliseconds.
 *
 * @param result The run to print.
 * @returns One line, ending in a newline.
 *
 * @example Usage
 * ```ts
 * import { formatSimple } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * const text = formatSimple({ totalSeconds: 236.418999, repeat: 30, breakpoints: 4, parallelism: 64, threads: 64 });
 * assert.equal(text, "236.418\n");
 * ```
 */
export function formatSimple(result: PerfTiming): string {
  return `${seconds(wholeMicroseconds(result.totalSeconds))}\n`;
}

/**
 * Formats a result as one JSON object on one line, with every field of the
 * result and full precision.
 *
 * @param result The run to print.
 * @returns The JSON text, ending in a newline.
 *
 * @example Usage
 * ```ts
 * import { formatJson, simulateBreakpointThread } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * const result = simulateBreakpointThread({ cpus: 4, repeat: 2 });
 * const parsed = JSON.parse(formatJson(result));
 * assert.equal(parsed.reserves, 2);
 * assert.equal(parsed.usecsPerOp, result.usecsPerOp);
 * ```
 */
export function formatJson(result: BreakpointThreadResult): string {
  return `${JSON.stringify(result)}\n`;
}

/**
 * Formats a result in any {@linkcode PerfFormat}.
 *
 * @param result The run to print.
 * @param format Which format.
 * @returns The text, ending in a newline.
 * @throws {RangeError} If `format` is not a {@linkcode PerfFormat}.
 *
 * @example Usage
 * ```ts
 * import { formatResult, simulateBreakpointThread } from "@hwbp/sim";
 * import assert from "node:assert/strict";
 *
 * const result = simulateBreakpointThread({ cpus: 4, now: () => 0 });
 * assert.equal(formatResult(result, "simple"), "0.000\n");
 * ```
 */
export function formatResult(
  result: BreakpointThreadResult,
  format: PerfFormat,
): string {
  switch (format) {
    case "default":
      return formatDefault(result);
    case "simple":
      return formatSimple(result);
    case "json":
      return formatJson(result);
  }
  throw new RangeError(
    `Cannot format result: unknown format ${
      JSON.stringify(format)
    } (expected "default", "simple" or "json")`,
  );
}

/**
 * Seconds to whole microseconds. Rounding (not truncating) undoes binary
 * floating point: 0.208171 s is 208170.99999999997 µs as a double.
 */
function wholeMicroseconds(totalSeconds: number): number {
  return Math.max(0, Math.round(totalSeconds * 1e6));
}

/** perf's `%lu.%03lu` of `tv_sec` and `tv_usec / USEC_PER_MSEC`. */
function seconds(usec: number): string {
  const sec = Math.floor(usec / 1e6);
  const msec = Math.floor((usec - sec * 1e6) / 1000);
  return `${sec}.${String(msec).padStart(3, "0")}`;
}

/** C's `%14lf`: six decimals, right-aligned in 14 columns. */
function fixed6(value: number): string {
  return value.toFixed(6).padStart(14);
}
