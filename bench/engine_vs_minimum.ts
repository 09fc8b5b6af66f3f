/**
 * The engine against the practical minimum (`bench/practical_minimum.ts`,
 * what a user would write instead), side by side in one process, on the
 * workload of `perf bench breakpoint thread -r 30 -b 4 -p 64 -t 64` at 256
 * CPUs: the main task's and the spawners' breakpoints stay live; each round
 * starts r × t threads (a new task id each), every thread reserves b
 * all-CPU RW breakpoints, then every thread exits and releases them. A
 * "pair" is one reserve plus its release.
 *
 * ```sh
 * deno run --allow-read --allow-run --allow-env --v8-flags=--expose-gc bench/engine_vs_minimum.ts
 * deno run ... bench/engine_vs_minimum.ts --processes 5   # min/median/max over fresh processes
 * deno run ... bench/engine_vs_minimum.ts --memory        # bytes per live task breakpoint at 1M
 * deno run ... bench/engine_vs_minimum.ts --scale         # pair cost at 1M live tasks against 1k
 * deno run ... bench/engine_vs_minimum.ts --free-index    # also: current + an index that costs nothing
 * deno run ... bench/engine_vs_minimum.ts --floor         # the index alone, and the engine over a null index
 * deno run ... bench/engine_vs_minimum.ts --scale --processes 5   # any of them over fresh processes
 * ```
 *
 * Variants run interleaved, round by round, rotating which goes first, so
 * machine noise lands on all of them alike; the ratio is the median of the
 * per-round ratios. Times are wall-clock means over a round, GC included;
 * the young generation is emptied before each run, so that each pays for
 * its own garbage (see `_rounds.ts`).
 *
 * @module
 */
import { median } from "./_median.ts";
import { timeRounds } from "./_rounds.ts";
import {
  positiveInteger,
  runScript,
  type ScriptFlags,
  UsageError,
} from "./_args.ts";
import { ACCOUNTING_STRATEGIES, type AccountingStrategy } from "@hwbp/core";
import { RhlTableTaskIndex } from "@hwbp/rhltable";
import { measureMemory, type MemoryResult } from "./_engine_memory.ts";
import { FreeTaskIndex } from "./_free_task_index.ts";
import * as floor from "./_index_floor.ts";
import {
  engineVariant,
  minimumVariant,
  SET_A,
  type Variant,
  type Workload,
} from "./_pair_variants.ts";

export { measureMemory, type MemoryResult };

/** Options of {@linkcode measureEngineVsMinimum}. */
export interface EngineVsMinimumOptions {
  /** CPUs of the modelled machine (default 256). */
  cpus?: number;
  /** perf's `-r`: batches of threads per round (default 30). */
  repeat?: number;
  /** perf's `-b`: breakpoints per thread (default 4). */
  breakpoints?: number;
  /** perf's `-p`: spawners (default 64). */
  parallelism?: number;
  /** perf's `-t`: threads per batch (default 64). */
  threads?: number;
  /** The engine's strategy (default `"current"`). */
  strategy?: AccountingStrategy;
  /** Measured rounds per variant, after warm-up (default 15). */
  rounds?: number;
  /** Reserve/release pairs per variant per round, at least (default 200,000). */
  pairsPerRound?: number;
  /**
   * Also measure the engine with an index that costs (almost) nothing
   * (each task's breakpoints in an array, in a native Map), to split engine
   * cost from index cost. Its extra TaskIndex class makes the engine's index
   * call sites polymorphic, so it is off by default.
   */
  freeIndex?: boolean;
}

/** What {@linkcode measureEngineVsMinimum} measured, as plain JSON. */
export interface EngineVsMinimumResult {
  /** Median over rounds of the engine's mean ns per pair (current + rhltable). */
  engineNsPerPair: number;
  /** Median over rounds of the minimum's mean ns per pair. */
  minimumNsPerPair: number;
  /** Median over rounds of the engine / minimum ratio of that round. */
  ratio: number;
  /** Measured rounds. */
  rounds: number;
  /** Pairs per variant per round. */
  pairsPerRound: number;
  /** The engine's fastest round, ns per pair: robust on a busy machine. */
  engineBestNsPerPair: number;
  /** The minimum's fastest round, ns per pair. */
  minimumBestNsPerPair: number;
  /** `engineBestNsPerPair / minimumBestNsPerPair`. */
  bestRatio: number;
  /** Median ns per pair of current + the free index, if measured. */
  freeIndexNsPerPair?: number;
  /** Median per-round ratio of the free-index engine to the minimum. */
  freeIndexRatio?: number;
}

/**
 * Measures the engine (current + rhltable by default) against the practical
 * minimum, interleaved round by round in this process.
 *
 * @param options The workload and the number of rounds.
 * @returns Median ns per pair of each, and the median per-round ratio.
 *
 * @example A tiny run
 * ```ts
 * import { measureEngineVsMinimum } from "./engine_vs_minimum.ts";
 * import assert from "node:assert/strict";
 *
 * const r = await measureEngineVsMinimum({ cpus: 4, repeat: 2, threads: 4, rounds: 3, pairsPerRound: 100 });
 * assert.equal(r.rounds, 3);
 * assert.ok(r.engineNsPerPair > 0 && r.minimumNsPerPair > 0 && r.ratio > 0);
 * ```
 */
export function measureEngineVsMinimum(
  options: EngineVsMinimumOptions = {},
): Promise<EngineVsMinimumResult> {
  const w: Workload = {
    cpus: options.cpus ?? SET_A.cpus,
    repeat: options.repeat ?? SET_A.repeat,
    breakpoints: options.breakpoints ?? SET_A.breakpoints,
    parallelism: options.parallelism ?? SET_A.parallelism,
    threads: options.threads ?? SET_A.threads,
  };
  const strategy = options.strategy ?? "current";
  const rounds = options.rounds ?? 15;
  const perRep = w.repeat * w.threads * w.breakpoints;
  const reps = Math.max(
    1,
    Math.ceil((options.pairsPerRound ?? 200_000) / perRep),
  );
  const variants: Variant[] = [
    engineVariant("engine", w, strategy, new RhlTableTaskIndex()),
    minimumVariant(w),
  ];
  if (options.freeIndex) {
    variants.push(engineVariant("free", w, strategy, new FreeTaskIndex()));
  }
  const ns = timeRounds(variants.map((v) => (n) => v.run(n)), reps, rounds);
  const ratios = ns[0]!.map((e, r) => e / ns[1]![r]!);
  const result: EngineVsMinimumResult = {
    engineNsPerPair: median(ns[0]!),
    minimumNsPerPair: median(ns[1]!),
    ratio: median(ratios),
    rounds,
    pairsPerRound: reps * perRep,
    engineBestNsPerPair: Math.min(...ns[0]!),
    minimumBestNsPerPair: Math.min(...ns[1]!),
    bestRatio: Math.min(...ns[0]!) / Math.min(...ns[1]!),
  };
  if (options.freeIndex) {
    result.freeIndexNsPerPair = median(ns[2]!);
    result.freeIndexRatio = median(ns[2]!.map((f, r) => f / ns[1]![r]!));
  }
  return Promise.resolve(result);
}

/** What {@linkcode measureScale} measured. */
export interface ScaleResult {
  /** Live background tasks of the small engine. */
  smallTasks: number;
  /** Live background tasks of the large engine. */
  largeTasks: number;
  /** Median ns per pair with `smallTasks` other tasks live. */
  smallNsPerPair: number;
  /** Median ns per pair with `largeTasks` other tasks live. */
  largeNsPerPair: number;
  /** Median of the per-round large / small ratios. */
  ratio: number;
  /** The practical minimum's median ns per pair beside `smallTasks`. */
  minimumSmallNsPerPair: number;
  /** The practical minimum's median ns per pair beside `largeTasks`. */
  minimumLargeNsPerPair: number;
  /** Median of the minimum's per-round large / small ratios. */
  minimumRatio: number;
  /** Measured rounds. */
  rounds: number;
}

/**
 * Cost of the bench's pairs (a new task id per thread) on current +
 * rhltable with 1,000 and with 1,000,000 other tasks live (one all-CPU
 * breakpoint each), two engines side by side, rounds interleaved; and the
 * practical minimum's, for scale (its `Map` slows down with size too).
 *
 * @param options `rounds`, `pairsPerRound`, and the two populations.
 * @returns Median ns per pair of each and the median per-round ratio.
 */
export function measureScale(
  options: {
    rounds?: number;
    pairsPerRound?: number;
    smallTasks?: number;
    largeTasks?: number;
  } = {},
): ScaleResult {
  const w = SET_A;
  const smallTasks = options.smallTasks ?? 1_000;
  const largeTasks = options.largeTasks ?? 1_000_000;
  const rounds = options.rounds ?? 15;
  const perRep = w.repeat * w.threads * w.breakpoints;
  const reps = Math.max(
    1,
    Math.ceil((options.pairsPerRound ?? 200_000) / perRep),
  );
  const variants = [
    engineVariant("small", w, "current", new RhlTableTaskIndex(), smallTasks),
    engineVariant("large", w, "current", new RhlTableTaskIndex(), largeTasks),
    minimumVariant(w, smallTasks),
    minimumVariant(w, largeTasks),
  ];
  const ns = timeRounds(variants.map((v) => (n) => v.run(n)), reps, rounds);
  return {
    smallTasks,
    largeTasks,
    smallNsPerPair: median(ns[0]!),
    largeNsPerPair: median(ns[1]!),
    ratio: median(ns[1]!.map((l, r) => l / ns[0]![r]!)),
    minimumSmallNsPerPair: median(ns[2]!),
    minimumLargeNsPerPair: median(ns[3]!),
    minimumRatio: median(ns[3]!.map((l, r) => l / ns[2]![r]!)),
    rounds,
  };
}

/**
 * Runs this script in `processes` fresh Deno processes, one after another,
 * and returns each process's JSON result: {@linkcode measureEngineVsMinimum}'s,
 * or with `--scale`, `--memory` or `--floor` in `args`,
 * {@linkcode measureScale}'s, {@linkcode measureMemory}'s or
 * `measureIndexFloor()`'s (`_index_floor.ts`).
 *
 * @param processes How many processes.
 * @param args Extra command-line arguments for each.
 * @param inlineBudget V8's inlining budget for each process
 * (`--max-inlined-bytecode-size-cumulative`), or V8's default.
 * @returns One result per process.
 */
export async function measureInProcesses<T = EngineVsMinimumResult>(
  processes: number,
  args: readonly string[] = [],
  inlineBudget?: number,
): Promise<T[]> {
  const results: T[] = [];
  for (let p = 0; p < processes; p++) {
    const output = await new Deno.Command(Deno.execPath(), {
      args: processArgs(args, inlineBudget),
      stdout: "piped",
      stderr: "inherit",
    }).output();
    if (!output.success) {
      throw new Error(`engine-vs-minimum process failed (exit ${output.code})`);
    }
    results.push(JSON.parse(new TextDecoder().decode(output.stdout)));
  }
  return results;
}

/**
 * The command line of one process of {@linkcode measureInProcesses}:
 * this script with `--json` and `args`, under `--expose-gc` and, if given,
 * V8's inlining budget. V8 reads its flags once, when it starts, so a
 * budget can only reach a fresh process.
 *
 * @example With a budget
 * ```ts
 * import { processArgs } from "./engine_vs_minimum.ts";
 * import assert from "node:assert/strict";
 *
 * const argv = processArgs(["--scale"], 5000);
 * assert.ok(argv.includes("--v8-flags=--expose-gc,--max-inlined-bytecode-size-cumulative=5000"));
 * assert.deepEqual(argv.slice(-2), ["--json", "--scale"]);
 * ```
 */
export function processArgs(
  args: readonly string[],
  inlineBudget?: number,
): string[] {
  const v8Flags = inlineBudget === undefined
    ? "--expose-gc"
    : `--expose-gc,--max-inlined-bytecode-size-cumulative=${inlineBudget}`;
  return [
    "run",
    "--allow-read",
    "--allow-env",
    "--allow-run",
    `--v8-flags=${v8Flags}`,
    new URL(import.meta.url).pathname,
    "--json",
    ...args,
  ];
}

function spread(values: readonly number[], digits: number): string {
  const sorted = values.slice().sort((a, b) => a - b);
  return `min ${sorted[0]!.toFixed(digits)}, median ${
    median(sorted).toFixed(digits)
  }, max ${sorted[sorted.length - 1]!.toFixed(digits)}`;
}

function formatResult(r: EngineVsMinimumResult): string {
  const lines = [
    `engine (current + rhltable): ${r.engineNsPerPair.toFixed(1)} ns per pair`,
    `practical minimum:           ${r.minimumNsPerPair.toFixed(1)} ns per pair`,
    `ratio (median of ${r.rounds} per-round ratios): ${r.ratio.toFixed(2)}×`,
    `fastest rounds: engine ${r.engineBestNsPerPair.toFixed(1)} ns, minimum ${
      r.minimumBestNsPerPair.toFixed(1)
    } ns, ratio ${r.bestRatio.toFixed(2)}×`,
  ];
  if (r.freeIndexNsPerPair !== undefined) {
    lines.push(
      `engine + free index:         ${
        r.freeIndexNsPerPair.toFixed(1)
      } ns per pair (${r.freeIndexRatio!.toFixed(2)}× the minimum)`,
    );
  }
  return lines.join("\n");
}

/** `--help` of this script. */
const USAGE =
  `Usage: deno run --allow-read --allow-env --allow-run --v8-flags=--expose-gc \\
         bench/engine_vs_minimum.ts [what] [options]

  what (default: the engine's ns per reserve + release against the minimum's)
  --memory            heap bytes per live task breakpoint (--live N, default 1,000,000)
  --scale             ns per pair with 1,000,000 other tasks live against 1,000
  --floor             the index's calls alone, and the engine over a null index
  --free-index        also time the engine over an index that costs nothing

  options
  --processes N       run it in N fresh processes; print min / median / max
  --inline-budget N   with --processes: V8's inlining budget in those processes
                      (--max-inlined-bytecode-size-cumulative; V8's default 920)
  --rounds N          measured rounds per variant (default 15)
  --cpus N            CPUs of the modelled machine (default 256)
  --strategy NAME     the engine's strategy: ${ACCOUNTING_STRATEGIES.join(", ")}
  --json              print the result as JSON
  -h, --help          print this help`;

/** This script's flags, for {@linkcode runScript}. */
const FLAGS: ScriptFlags = {
  processes: { type: "string" },
  "inline-budget": { type: "string" },
  rounds: { type: "string" },
  cpus: { type: "string" },
  strategy: { type: "string" },
  memory: { type: "boolean" },
  scale: { type: "boolean" },
  live: { type: "string" },
  "free-index": { type: "boolean" },
  floor: { type: "boolean" },
  json: { type: "boolean" },
};

if (import.meta.main) {
  await runScript(USAGE, Deno.args, FLAGS, async (values) => {
    const options: EngineVsMinimumOptions = {};
    const rounds = positiveInteger("rounds", values.rounds, 15);
    if (values.rounds !== undefined) options.rounds = rounds;
    if (values.cpus !== undefined) {
      options.cpus = positiveInteger("cpus", values.cpus, 256);
    }
    if (values.strategy !== undefined) {
      const strategy = values.strategy as AccountingStrategy;
      if (!ACCOUNTING_STRATEGIES.includes(strategy)) {
        throw new UsageError(
          `--strategy must be one of ${ACCOUNTING_STRATEGIES.join(", ")}, not ${
            JSON.stringify(values.strategy)
          }`,
        );
      }
      options.strategy = strategy;
    }
    const live = positiveInteger("live", values.live, 1_000_000);
    if (values["free-index"]) options.freeIndex = true;
    const roundsOnly = values.rounds === undefined ? {} : { rounds };
    const inlineBudget = values["inline-budget"] === undefined
      ? undefined
      : positiveInteger("inline-budget", values["inline-budget"], 920);
    if (
      inlineBudget !== undefined &&
      (values.processes === undefined || values.json)
    ) {
      throw new UsageError(
        "--inline-budget needs --processes (without --json): V8 reads its flags when it starts, so only a fresh process gets the budget; for this process, pass --v8-flags=--expose-gc,--max-inlined-bytecode-size-cumulative=N to deno",
      );
    }
    if (values.processes !== undefined && !values.json) {
      await reportProcesses(
        positiveInteger("processes", values.processes, 1),
        values,
        inlineBudget,
      );
    } else if (values.scale) {
      const r = measureScale(roundsOnly);
      if (values.json) console.log(JSON.stringify(r));
      else {
        console.log(
          `current + rhltable, a new task id per thread: ${
            r.smallNsPerPair.toFixed(1)
          } ns per pair with ${r.smallTasks} other tasks live, ${
            r.largeNsPerPair.toFixed(1)
          } ns with ${r.largeTasks}: ${
            r.ratio.toFixed(2)
          }× (median of ${r.rounds} rounds)`,
        );
        console.log(
          `practical minimum, same operations: ${
            r.minimumSmallNsPerPair.toFixed(1)
          } ns and ${r.minimumLargeNsPerPair.toFixed(1)} ns: ${
            r.minimumRatio.toFixed(2)
          }×`,
        );
      }
    } else if (values.floor) {
      const r = floor.measureIndexFloor(roundsOnly);
      console.log(values.json ? JSON.stringify(r) : floor.formatIndexFloor(r));
    } else if (values.memory) {
      const m = measureMemory(live);
      if (values.json) console.log(JSON.stringify(m));
      else {
        console.log(
          `${m.live} live task breakpoints, ${m.perTask} per task (heap used + external after a full GC${
            m.gcExposed ? "" : "; no --expose-gc: rough"
          }):`,
        );
        console.log(
          `  engine (current) + rhltable, handles included: ${
            m.engineBytes.toFixed(1)
          } bytes each`,
        );
        console.log(
          `  practical minimum + a { task, pool, weight } record per breakpoint: ${
            m.minimumWithRecordsBytes.toFixed(1)
          } bytes each`,
        );
        console.log(
          `  practical minimum alone: ${m.minimumBytes.toFixed(1)} bytes each`,
        );
      }
    } else {
      const result = await measureEngineVsMinimum(options);
      console.log(values.json ? JSON.stringify(result) : formatResult(result));
    }
  });
}

/**
 * `--processes N`: each measurement in N fresh processes, min/median/max,
 * under V8's inlining `budget` if one is given.
 */
async function reportProcesses(
  processes: number,
  values: Record<string, string | boolean | undefined>,
  budget: number | undefined,
): Promise<void> {
  const passThrough = withoutFlags(Deno.args, ["processes", "inline-budget"]);
  if (budget !== undefined) {
    console.log(
      `V8's inlining budget in each process: ${budget} (--max-inlined-bytecode-size-cumulative; default 920)`,
    );
  }
  if (values.scale) {
    const results = await measureInProcesses<ScaleResult>(
      processes,
      passThrough,
      budget,
    );
    const r0 = results[0]!;
    console.log(
      `${results.length} processes, current + rhltable, ${r0.largeTasks} against ${r0.smallTasks} other tasks live:`,
    );
    console.log(
      `  ns/pair at ${r0.smallTasks}: ${
        spread(results.map((r) => r.smallNsPerPair), 1)
      }`,
    );
    console.log(
      `  ns/pair at ${r0.largeTasks}: ${
        spread(results.map((r) => r.largeNsPerPair), 1)
      }`,
    );
    console.log(`  ratio: ${spread(results.map((r) => r.ratio), 2)}`);
    console.log(
      `  practical minimum's ratio: ${
        spread(results.map((r) => r.minimumRatio), 2)
      }`,
    );
    return;
  }
  if (values.floor) {
    console.log(floor.formatIndexFloorSpread(
      await measureInProcesses<floor.IndexFloorResult>(
        processes,
        passThrough,
        budget,
      ),
    ));
    return;
  }
  if (values.memory) {
    const results = await measureInProcesses<MemoryResult>(
      processes,
      passThrough,
      budget,
    );
    console.log(
      `${results.length} processes, ${
        results[0]!.live
      } live task breakpoints, bytes each (heap + external after a full GC):`,
    );
    console.log(
      `  engine + rhltable, handles included: ${
        spread(results.map((r) => r.engineBytes), 1)
      }`,
    );
    console.log(
      `  minimum + a record per breakpoint:   ${
        spread(results.map((r) => r.minimumWithRecordsBytes), 1)
      }`,
    );
    return;
  }
  const results = await measureInProcesses(processes, passThrough, budget);
  console.log(`${results.length} processes:`);
  console.log(
    `  engine ns/pair:  ${spread(results.map((r) => r.engineNsPerPair), 1)}`,
  );
  console.log(
    `  minimum ns/pair: ${spread(results.map((r) => r.minimumNsPerPair), 1)}`,
  );
  console.log(`  ratio:           ${spread(results.map((r) => r.ratio), 2)}`);
  console.log(
    `  ratio of fastest rounds: ${spread(results.map((r) => r.bestRatio), 2)}`,
  );
  if (results[0]!.freeIndexRatio !== undefined) {
    console.log(
      `  free-index ratio: ${spread(results.map((r) => r.freeIndexRatio!), 2)}`,
    );
  }
}

/** `args` without the flags named in `names`, in either value form. */
function withoutFlags(
  args: readonly string[],
  names: readonly string[],
): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (names.some((n) => arg === `--${n}`)) {
      i++; // and its value
      continue;
    }
    if (names.some((n) => arg.startsWith(`--${n}=`))) continue;
    out.push(arg);
  }
  return out;
}
