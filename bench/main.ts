/**
 * hwbp's benchmarks: the kernel's `perf bench breakpoint thread` table, the
 * cost of a thread start and exit against live tasks and against CPUs,
 * RhlTable against a native `Map`, and a closing table beside the kernel's
 * numbers (SPEC §7b).
 *
 * ```sh
 * deno task bench                                 # the full run, under 10 minutes
 * deno task bench --json bench/results/latest.json
 * deno task bench --quick                         # tiny sizes, a smoke test
 * ```
 *
 * Human-readable results go to stdout, progress between sections to
 * stderr.
 *
 * @module
 */
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import {
  type B,
  bench,
  do_not_optimize,
  group,
  lineplot,
  run,
  summary,
} from "mitata";
import {
  type AccountingStrategy,
  ARCH_PROFILES,
  BreakpointConstraints,
  type BreakpointHandle,
} from "@hwbp/core";
import {
  type BreakpointThreadOptions,
  type BreakpointThreadResult,
  createTaskIndex,
  formatDefault,
  type IndexName,
  simulateBreakpointThread,
} from "@hwbp/sim";
import { describeMachine, type Machine, machineLine } from "./_machine.ts";
import {
  type KernelRow,
  kernelTable,
  type Target,
  target,
  targetTable,
} from "./_report.ts";
import {
  formatRhlTableVsMap,
  runRhlTableVsMapIsolated,
} from "./rhltable_vs_map.ts";

const USAGE = `Usage: deno task bench [--quick] [--json FILE]

  --quick       tiny sizes, for a smoke test
  --json FILE   also write machine-readable results to FILE
  -h, --help    print this help
`;

/** The inheritable breakpoints of every simulated thread, as in the kernel's runs. */
const BREAKPOINTS = 4;
/** Task id of the thread the per-thread benches start and stop. */
const PROBE_TASK = 2 ** 30;

interface Sizes {
  /** `perf bench -r 30 breakpoint thread -b 4 -p 64 -t 64` on 256 CPUs. */
  kernel: Required<
    Pick<
      BreakpointThreadOptions,
      "cpus" | "repeat" | "breakpoints" | "parallelism" | "threads"
    >
  >;
  /** Wall-clock budget for the list + legacy baseline's runs. */
  baselineBudgetSeconds: number;
  baselineMaxRuns: number;
  /** Live tasks (lo, hi, multiplier), every index. */
  tasksAll: [number, number, number];
  /** Live tasks (lo, hi, multiplier), the hash indexes. */
  tasksHash: [number, number, number];
  /** CPUs of the live-task benches. */
  tasksCpus: number;
  /** CPUs (lo, hi, multiplier) of the CPU bench. */
  cpus: [number, number, number];
  /** Live tasks of the CPU bench. */
  cpusLiveTasks: number;
}

const FULL: Sizes = {
  kernel: {
    cpus: 256,
    repeat: 30,
    breakpoints: BREAKPOINTS,
    parallelism: 64,
    threads: 64,
  },
  // One run takes ~80 s here, so mitata's 12+ samples cannot fit: the
  // baseline gets as many whole runs as fit in three minutes (two).
  baselineBudgetSeconds: 180,
  baselineMaxRuns: 5,
  // Building n tasks through the list costs O(n²) entry visits: 16k tasks
  // take ~30 s here, 64k would take ~16× that. The list stops at 16k.
  tasksAll: [1024, 16384, 2],
  tasksHash: [1024, 65536, 2],
  tasksCpus: 256,
  cpus: [16, 4096, 4],
  cpusLiveTasks: 1024,
};

const QUICK: Sizes = {
  kernel: {
    cpus: 16,
    repeat: 4,
    breakpoints: BREAKPOINTS,
    parallelism: 4,
    threads: 8,
  },
  baselineBudgetSeconds: 0,
  baselineMaxRuns: 1,
  tasksAll: [64, 256, 2],
  tasksHash: [64, 1024, 4],
  tasksCpus: 16,
  cpus: [4, 64, 4],
  cpusLiveTasks: 64,
};

/** One configuration of the kernel's table. */
interface Model {
  name: string;
  options: BreakpointThreadOptions;
}

/** What a mitata generator bench gets: its arguments by name. */
interface BenchState {
  get(name: string): unknown;
}

/** The mitata statistics we keep, in nanoseconds. */
interface Stats {
  avg: number;
  min: number;
  max: number;
  p50: number;
  p99: number;
  samples: number;
}

interface RunStats {
  bench: string;
  name: string;
  args: Record<string, unknown>;
  stats: Stats | null;
  error?: string;
}

const SECTIONS = 6;
let section = 0;

/** A progress line on stderr, between sections. */
function progress(message: string): void {
  console.error(`[bench ${section}/${SECTIONS}] ${message}`);
}

function startSection(title: string): void {
  section++;
  progress(title);
  console.log(`\n## ${title}\n`);
}

/** SGR escape sequences, as mitata colors its output. */
// deno-lint-ignore no-control-regex -- ESC is exactly what we match
const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * Prints a line of mitata's output, without colors under `NO_COLOR`.
 * mitata 1.0.34 cannot draw a lineplot with colors off (it passes `null`
 * where it reads an object), so it always draws in color and we strip.
 */
function printMitata(line: string): void {
  console.log(Deno.noColor ? line.replace(ANSI, "") : line);
}

async function runMitata(): Promise<RunStats[]> {
  const { benchmarks } = await run({ colors: true, print: printMitata });
  const runs: RunStats[] = [];
  for (const trial of benchmarks) {
    for (const r of trial.runs) {
      const stats = r.stats === undefined ? null : {
        avg: r.stats.avg,
        min: r.stats.min,
        max: r.stats.max,
        p50: r.stats.p50,
        p99: r.stats.p99,
        samples: r.stats.samples.length,
      };
      runs.push({
        bench: trial.alias,
        name: r.name,
        args: r.args,
        stats,
        ...(r.error === undefined ? {} : { error: String(r.error) }),
      });
    }
  }
  return runs;
}

function avgOf(
  runs: RunStats[],
  bench: string,
  args?: [string, number],
): number {
  const run = runs.find((r) =>
    r.bench === bench && (args === undefined || r.args[args[0]] === args[1])
  );
  if (run?.stats == null) {
    throw new Error(
      `No result for ${bench}${args ? ` at ${args[0]} = ${args[1]}` : ""}`,
    );
  }
  return run.stats.avg;
}

/**
 * A bench of one whole `perf bench breakpoint thread` run. mitata's manual
 * timing takes each sample from the simulator's own clock, so a sample is
 * exactly perf's timed region (spawners created, batches run, spawners
 * joined), without building the engine or the main task's breakpoints.
 */
function perfBench(name: string, options: BreakpointThreadOptions): B {
  return bench(name, function* () {
    yield manual(() => simulateBreakpointThread(options).totalSeconds * 1e9);
  });
}

/**
 * mitata's manual-timing yield: `fn` runs once per sample and returns the
 * sample in nanoseconds. mitata's types only describe plain functions.
 */
function manual(fn: () => number): () => number {
  return { manual: fn } as unknown as () => number;
}

/**
 * An engine with `tasks` live tasks of four all-CPU breakpoints each, grown
 * incrementally across a bench's ascending range so every size is built
 * once.
 */
class LiveTasks {
  readonly #make: () => BreakpointConstraints;
  #hw: BreakpointConstraints | null = null;
  #tasks = 0;

  constructor(make: () => BreakpointConstraints) {
    this.#make = make;
  }

  grow(tasks: number): BreakpointConstraints {
    if (this.#hw === null || this.#tasks > tasks) {
      this.#hw = this.#make();
      this.#tasks = 0;
    }
    const hw = this.#hw;
    const spec = { type: "rw" as const, cpu: -1, task: 0 };
    for (; this.#tasks < tasks; this.#tasks++) {
      spec.task = this.#tasks + 1;
      for (let i = 0; i < BREAKPOINTS; i++) hw.reserve(spec);
    }
    return hw;
  }

  drop(): void {
    this.#hw = null;
    this.#tasks = 0;
  }
}

/**
 * The work of one thread start and exit: the probe task inherits four
 * breakpoints, then releases them. The engine ends as it began.
 */
function threadStartExit(hw: BreakpointConstraints): () => void {
  const spec = { type: "rw" as const, cpu: -1, task: PROBE_TASK };
  const handles: (BreakpointHandle | null)[] = new Array(BREAKPOINTS).fill(
    null,
  );
  return () => {
    for (let i = 0; i < BREAKPOINTS; i++) handles[i] = hw.reserve(spec);
    for (let i = 0; i < BREAKPOINTS; i++) hw.release(handles[i]!);
    do_not_optimize(handles);
  };
}

function engine(
  cpus: number,
  index: IndexName,
  strategy: AccountingStrategy,
): BreakpointConstraints {
  return new BreakpointConstraints({
    cpus,
    ...ARCH_PROFILES.x86_64,
    index: createTaskIndex(index),
    strategy,
  });
}

function liveTasksBench(
  index: IndexName,
  cpus: number,
  [lo, hi, multiplier]: [number, number, number],
): void {
  const live = new LiveTasks(() => engine(cpus, index, "current"));
  bench(`${index} ($tasks tasks)`, function* (state: BenchState) {
    const tasks = state.get("tasks") as number;
    yield threadStartExit(live.grow(tasks));
    if (tasks === hi) live.drop();
  }).range("tasks", lo, hi, multiplier);
}

async function main(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        quick: { type: "boolean" },
        json: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`error: ${message.split("\n", 1)[0]}\n\n${USAGE}`);
    return 1;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const quick = values.quick === true;
  const sizes = quick ? QUICK : FULL;
  const started = performance.now();
  const machine: Machine = describeMachine();
  const command = `deno task bench${quick ? " --quick" : ""}${
    values.json === undefined ? "" : ` --json ${values.json}`
  }`;
  console.log(`# hwbp benchmarks${quick ? " (--quick: tiny sizes)" : ""}`);
  console.log(`machine: ${machineLine(machine)}`);

  // 1. The kernel's table.
  const k = sizes.kernel;
  const perf =
    `perf bench -r ${k.repeat} breakpoint thread -b ${k.breakpoints} -p ${k.parallelism} -t ${k.threads}`;
  startSection(`${perf}, ${k.cpus} CPUs: one bench per strategy × index`);
  console.log(
    "Each sample is one whole run, timed by the simulator's clock over perf's timed region.",
  );
  console.log(
    "The kernel's baseline (legacy + list) is timed on its own below: it takes too long for mitata's 12+ samples.",
  );
  const models: Model[] = [
    { name: "none (accounting disabled)", options: { ...k, strategy: "none" } },
    { name: "no breakpoints (-b 0)", options: { ...k, breakpoints: 0 } },
  ];
  for (const strategy of ["current", "legacy"] as const) {
    for (const index of ["rhltable", "chained-hash", "list"] as const) {
      if (strategy === "legacy" && index === "list") continue;
      models.push({
        name: `${strategy} + ${index}`,
        options: { ...k, strategy, index },
      });
    }
  }
  group(`${perf} (${k.cpus} CPUs)`, () => {
    summary(() => {
      for (const model of models) {
        // Ratios against the kernel's final stage.
        perfBench(model.name, model.options)
          .baseline(model.name === "current + rhltable");
      }
    });
  });
  const kernelRuns = await runMitata();
  // The index work of each run is deterministic: one more run, untimed,
  // reads it.
  const work = new Map<string, BreakpointThreadResult>();
  for (const model of models) {
    work.set(model.name, simulateBreakpointThread(model.options));
  }

  // 2. The kernel's baseline, as many whole runs as fit in the budget.
  startSection(
    `${perf}, ${k.cpus} CPUs: legacy + list, the kernel's baseline`,
  );
  const baselineSeconds: number[] = [];
  const budgetMs = sizes.baselineBudgetSeconds * 1000;
  const baselineStart = performance.now();
  let baseline: BreakpointThreadResult | null = null;
  while (baselineSeconds.length < sizes.baselineMaxRuns) {
    const spent = performance.now() - baselineStart;
    const last = baselineSeconds.at(-1);
    if (last !== undefined && spent + last * 1000 > budgetMs) break;
    progress(
      `legacy + list: run ${baselineSeconds.length + 1}${
        last === undefined ? "" : ` (about ${last.toFixed(0)} s)`
      }`,
    );
    baseline = simulateBreakpointThread({
      ...k,
      strategy: "legacy",
      index: "list",
    });
    baselineSeconds.push(baseline.totalSeconds);
  }
  work.set("legacy + list", baseline!);
  const baselineAvg = baselineSeconds.reduce((a, b) => a + b, 0) /
    baselineSeconds.length;
  console.log(
    `legacy + list: ${baselineSeconds.length} whole run(s), as many as fit in ${sizes.baselineBudgetSeconds} s, ` +
      "each timed by the simulator's clock over perf's timed region, as perf times it.",
  );
  console.log(
    `mitata's bench() would take a warmup run and 12 samples: ~${
      Math.ceil(13 * baselineAvg / 60)
    } min here. Nothing is scaled or extrapolated.`,
  );
  console.log(
    `runs: ${
      baselineSeconds.map((s) => `${s.toFixed(3)} s`).join(", ")
    }; the last one as perf prints it:\n`,
  );
  console.log(formatDefault(baseline!).trimEnd());

  // 3. and 4. Cost of a thread start and exit against live tasks.
  const [tLo, tHi] = sizes.tasksAll;
  startSection(
    `Thread start + exit (4 reserves + 4 releases) vs live tasks, every index, ${sizes.tasksCpus} CPUs`,
  );
  console.log(
    `${tLo} → ${tHi} live tasks of ${BREAKPOINTS} breakpoints each, current accounting. ` +
      `The list stops at ${tHi}: building n tasks through it is itself O(n²).`,
  );
  summary(() => {
    lineplot(() => {
      for (const index of ["list", "chained-hash", "rhltable"] as const) {
        liveTasksBench(index, sizes.tasksCpus, sizes.tasksAll);
      }
    });
  });
  const tasksAllRuns = await runMitata();

  const [hLo, hHi] = sizes.tasksHash;
  startSection(
    `Thread start + exit vs live tasks, hash indexes up to ${hHi} tasks, ${sizes.tasksCpus} CPUs`,
  );
  summary(() => {
    lineplot(() => {
      for (const index of ["chained-hash", "rhltable"] as const) {
        liveTasksBench(index, sizes.tasksCpus, sizes.tasksHash);
      }
    });
  });
  const tasksHashRuns = await runMitata();

  // 5. Cost against CPUs.
  const [cLo, cHi, cMul] = sizes.cpus;
  startSection(
    `Thread start + exit vs CPUs (${cLo} → ${cHi}), current vs legacy, rhltable, ${sizes.cpusLiveTasks} live tasks`,
  );
  summary(() => {
    lineplot(() => {
      for (const strategy of ["current", "legacy"] as const) {
        bench(`${strategy} ($cpus CPUs)`, function* (state: BenchState) {
          const cpus = state.get("cpus") as number;
          const live = new LiveTasks(() => engine(cpus, "rhltable", strategy));
          yield threadStartExit(live.grow(sizes.cpusLiveTasks));
        }).range("cpus", cLo, cHi, cMul);
      }
    });
  });
  const cpuRuns = await runMitata();

  // 6. RhlTable against Map.
  startSection("RhlTable against a native Map multimap");
  // In a fresh process: the engine benchmarks above drove RhlTable with
  // other value types, and their type feedback would slow it down here.
  const rhltableVsMap = await runRhlTableVsMapIsolated({ quick });
  console.log(formatRhlTableVsMap(rhltableVsMap));

  // The closing tables.
  const mean = (name: string): number => avgOf(kernelRuns, name) / 1e9;
  const row = (
    stage: string,
    kernel: [number, number] | null,
    model: string,
    seconds: number | null,
    timedBy: string,
  ): KernelRow => ({
    stage,
    kernelSeconds: kernel?.[0] ?? null,
    kernelUsecsPerOp: kernel?.[1] ?? null,
    model,
    seconds,
    timedBy,
    entriesVisited: work.get(model)?.entriesVisited ?? null,
  });
  const mitataSamples = (name: string): string => {
    const run = kernelRuns.find((r) => r.bench === name);
    return `mitata, ${run?.stats?.samples ?? 0} samples`;
  };
  const rows: KernelRow[] = [
    row(
      "list + global mutex",
      [236.418, 123134.79],
      "legacy + list",
      baselineAvg,
      `sim clock, ${baselineSeconds.length} run(s)`,
    ),
    row(
      "rhltable (the seed patch)",
      [0.208, 108.42],
      "legacy + rhltable",
      mean("legacy + rhltable"),
      mitataSamples("legacy + rhltable"),
    ),
    row("+ finer locking", [0.077, 40.2], "(no locks in the model)", null, ""),
    row(
      "+ histograms and fast paths (final)",
      [0.067, 35.29],
      "current + rhltable",
      mean("current + rhltable"),
      mitataSamples("current + rhltable"),
    ),
    row(
      "accounting disabled (ideal)",
      [0.067, 35.29],
      "none (accounting disabled)",
      mean("none (accounting disabled)"),
      mitataSamples("none (accounting disabled)"),
    ),
    row(
      "no breakpoints",
      [0.06, 31.37],
      "no breakpoints (-b 0)",
      mean("no breakpoints (-b 0)"),
      mitataSamples("no breakpoints (-b 0)"),
    ),
    ...["current + chained-hash", "current + list", "legacy + chained-hash"]
      .map((model) => row("", null, model, mean(model), mitataSamples(model))),
  ];
  const final = mean("current + rhltable");
  const floor = mean("none (accounting disabled)");
  const rhltable = "rhltable ($tasks tasks)";
  const perThreadLo = avgOf(tasksHashRuns, rhltable, ["tasks", hLo]);
  const perThreadHi = avgOf(tasksHashRuns, rhltable, ["tasks", hHi]);
  const targets: Target[] = [
    target(
      "legacy+list / current+rhltable",
      baselineAvg / final,
      123134.79 / 35.29,
      ">=",
      1000,
    ),
    target("current+rhltable / none", final / floor, 1, "<=", 1.5),
    target(
      `rhltable per thread, ${hHi} / ${hLo} tasks`,
      perThreadHi / perThreadLo,
      null,
      "<=",
      1.3,
    ),
  ];
  section = SECTIONS;
  progress("done; closing tables");
  console.log(`\n## Beside the kernel (SPEC §7b): ${perf}, ${k.cpus} CPUs\n`);
  console.log(kernelTable(rows, k.repeat * k.threads));
  console.log();
  console.log(targetTable(targets, quick));
  if (!quick && final / floor > 1.5) {
    console.log(
      "\nThe model's floor creates no threads: the kernel's ~31 µs of clone() and exit per thread, " +
        "which hides its accounting, is absent here, so every nanosecond of accounting shows.",
    );
  }
  const elapsedSeconds = (performance.now() - started) / 1000;
  console.log(`\nwhole run: ${elapsedSeconds.toFixed(0)} s (${command})`);

  if (values.json !== undefined) {
    const results = {
      command,
      quick,
      date: new Date().toISOString(),
      elapsedSeconds,
      machine,
      kernelTable: {
        workload: k,
        rows,
        baselineRunsSeconds: baselineSeconds,
        mitata: kernelRuns,
      },
      targets,
      liveTasks: { allIndexes: tasksAllRuns, hashIndexes: tasksHashRuns },
      cpus: cpuRuns,
      rhltableVsMap,
    };
    await Deno.mkdir(dirname(values.json), { recursive: true });
    await Deno.writeTextFile(
      values.json,
      JSON.stringify(results, null, 2) + "\n",
    );
    progress(`wrote ${values.json}`);
  }
  return 0;
}

if (import.meta.main) {
  Deno.exitCode = await main(Deno.args);
}
