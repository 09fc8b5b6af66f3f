/**
 * hwbp's benchmarks: the kernel's `perf bench breakpoint thread` table, the
 * cost of a thread start and exit against live tasks and against CPUs,
 * RhlTable against a native `Map`, and a closing table beside the numbers
 * of the kernel's series (the `-r 30 -b 4 -p 64 -t 64` runs of
 * `tools/perf/bench/breakpoint.c`, `bench_breakpoint_thread()`, against the
 * accounting of `kernel/events/hw_breakpoint.c`).
 *
 * ```sh
 * deno task bench                                 # the full run, 5 to 8 minutes
 * deno task bench --json bench/results/latest.json
 * deno task bench --quick                         # tiny sizes, a smoke test
 * ```
 *
 * Results go to stdout, at most 100 columns wide; progress, with the time
 * left, to stderr. SVG charts go to `bench/results/` (`--charts DIR`).
 *
 * @module
 */
import { bench, group, lineplot, summary } from "mitata";
import {
  type BreakpointThreadOptions,
  type BreakpointThreadResult,
  formatDefault,
  type IndexName,
  simulateBreakpointThread,
} from "@hwbp/sim";
import { describeMachine, machineLine } from "./_machine.ts";
import { FULL, QUICK, type Sizes } from "./_sizes.ts";
import {
  checkWritableDir,
  checkWritableFile,
  parseBenchArgs,
  USAGE,
  UsageError,
} from "./_args.ts";
import { processSink, Progress } from "./_progress.ts";
import { runMitata, type RunStats, statsOf } from "./_mitata.ts";
import {
  kernelRows,
  MEASURED_STAGE,
  type MeasuredRun,
  stageBars,
} from "./_kernel_table.ts";
import type { ModelTable } from "./_model.ts";
import {
  type EngineVsMinimumResult,
  measureInProcesses,
  type MemoryResult,
} from "./engine_vs_minimum.ts";
import { count, nanos, table } from "./_table.ts";
import {
  type ClosingInputs,
  closingTargets,
  minimumRatio,
  printClosing,
} from "./_closing.ts";
import type { CostPoint } from "./_charts.ts";
import type { FigureData } from "./_figures.ts";
import {
  BREAKPOINTS,
  engine,
  LiveTasks,
  perfBench,
  threadStartExit,
  type Tick,
} from "./_workloads.ts";
import {
  formatRhlTableVsMap,
  runRhlTableVsMapIsolated,
} from "./rhltable_vs_map.ts";

/** One configuration of the kernel's table. */
interface Model {
  name: string;
  options: BreakpointThreadOptions;
}

/** What a mitata generator bench gets: its arguments by name. */
interface BenchState {
  get(name: string): unknown;
}

/** Runs of the baseline, given one takes `seconds`, within the budget. */
function baselineRuns(seconds: number, sizes: Sizes): number {
  let runs = 1;
  while (
    runs < sizes.baselineMaxRuns &&
    (runs + 1) * seconds <= sizes.baselineBudgetSeconds
  ) runs++;
  return runs;
}

/**
 * A bench of one thread start + exit at each size of `range`, named
 * `index (step)`; it moves the progress to `step` when it starts.
 */
function liveTasksBench(
  index: IndexName,
  cpus: number,
  [lo, hi, multiplier]: [number, number, number],
  out: Progress,
  step: string,
): void {
  const tick: Tick = (detail) => out.tick(detail);
  const live = new LiveTasks(() => engine(cpus, index, "current"), tick);
  bench(
    `${index} (${step.slice(step.indexOf(", ") + 2)})`,
    function* (state: BenchState) {
      const tasks = state.get("tasks") as number;
      out.enter(step);
      tick(`${index}, ${tasks} tasks`);
      yield threadStartExit(live.grow(tasks));
      if (tasks === hi) live.drop();
    },
  ).range("tasks", lo, hi, multiplier);
}

/** Mean ns at each `arg` of the benches `series + suffix`, as chart points. */
function costPoints(
  runs: readonly RunStats[],
  arg: string,
  series: readonly string[],
  suffix: string,
): CostPoint[] {
  const points: CostPoint[] = [];
  for (const name of series) {
    for (const r of runs) {
      if (r.bench !== name + suffix || r.stats === null) continue;
      points.push({ series: name, x: r.args[arg] as number, ns: r.stats.avg });
    }
  }
  return points;
}

/** A table of mean times: one row per x, one column per series. */
function costTable(
  points: readonly CostPoint[],
  xTitle: string,
  series: readonly string[],
): string {
  const xs = [...new Set(points.map((p) => p.x))].sort((a, b) => a - b);
  const rows = xs.map((x) => [
    count(x),
    ...series.map((s) => {
      const p = points.find((q) => q.series === s && q.x === x);
      return p === undefined ? "-" : nanos(p.ns);
    }),
  ]);
  const right = new Set(series.map((_, i) => i + 1).concat(0));
  return table([[xTitle, ...series], ...rows], right);
}

/** The figure data of a `--json` results file; a UsageError if it has none. */
function readFigureData(path: string): FigureData {
  let results: { figures?: FigureData };
  try {
    results = JSON.parse(Deno.readTextFileSync(path));
  } catch (error) {
    const reason = error instanceof Error
      ? error.message.split("\n", 1)[0]
      : String(error);
    throw new UsageError(`Cannot read --charts-from ${path}: ${reason}`);
  }
  if (results.figures === undefined) {
    throw new UsageError(
      `Cannot read --charts-from ${path}: no "figures" in it`,
    );
  }
  return results.figures;
}

/**
 * The model's table for `sets`, run in a worker: one synchronous call of
 * tens of seconds would otherwise leave the progress line silent.
 */
function runModel(
  sets: readonly string[],
  tick: (detail: string) => void,
): Promise<ModelTable> {
  const worker = new Worker(new URL("./_model_worker.ts", import.meta.url), {
    type: "module",
  });
  const what = `modelling set${sets.length > 1 ? "s" : ""} ${
    sets.join(" and ")
  }`;
  const beat = setInterval(() => tick(what), 1000);
  return new Promise<ModelTable>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<ModelTable>) => resolve(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(`The model failed: ${event.message}`));
    };
    worker.postMessage({ sets });
  }).finally(() => {
    clearInterval(beat);
    worker.terminate();
  });
}

async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseBenchArgs(args);
    if (parsed.help) {
      console.log(USAGE);
      return 0;
    }
    if (parsed.json !== null) checkWritableFile(parsed.json, "--json");
    checkWritableDir(parsed.charts, "--charts");
    if (parsed.chartsFrom !== null) {
      const data = readFigureData(parsed.chartsFrom);
      // Vega loads only once the arguments are known to be good, so that a
      // bad one fails at once.
      const { figures, writeFigures } = await import("./_figures.ts");
      for (const path of await writeFigures(parsed.charts, figures(data))) {
        console.log(path);
      }
      return 0;
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`error: ${error.message} (deno task bench --help for usage)`);
    return 2;
  }
  const { quick } = parsed;
  const sizes = quick ? QUICK : FULL;
  const out = new Progress(processSink(), sizes.plan);
  const tick: Tick = (detail) => out.tick(detail);
  const machine = describeMachine();
  const command = ["deno task bench", ...args].join(" ");
  out.line(`# hwbp benchmarks${quick ? " (--quick: tiny sizes)" : ""}`);
  out.line(machineLine(machine));

  // Every mitata bench runs in one mitata run (each run first times empty
  // functions for a few seconds); the benches move the progress from step
  // to step as they start.
  const k = sizes.kernel;
  const perf =
    `perf bench -r ${k.repeat} breakpoint thread -b ${k.breakpoints} ` +
    `-p ${k.parallelism} -t ${k.threads}`;
  const models: Model[] = [
    { name: "none (no accounting)", options: { ...k, strategy: "none" } },
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
  models.push({
    name: "reserve-fastpath + rhltable",
    options: { ...k, strategy: "reserve-fastpath", index: "rhltable" },
  });
  const kernelStep: Tick = (detail) => {
    out.enter("kernel's table");
    out.tick(detail);
  };
  group(perf, () => {
    summary(() => {
      for (const model of models) {
        perfBench(model.name, model.options, kernelStep).baseline(
          model.name === MEASURED_STAGE["v6.1"],
        );
      }
    });
  });
  const allIndexes = ["list", "chained-hash", "rhltable"] as const;
  const hashIndexes = ["chained-hash", "rhltable"] as const;
  const strategies = ["current", "reserve-fastpath", "legacy"] as const;
  summary(() => {
    lineplot(() => {
      for (const index of allIndexes) {
        liveTasksBench(
          index,
          sizes.tasksCpus,
          sizes.tasksAll,
          out,
          "live tasks, every index",
        );
      }
    });
  });
  summary(() => {
    lineplot(() => {
      for (const index of hashIndexes) {
        liveTasksBench(
          index,
          sizes.tasksCpus,
          sizes.tasksHash,
          out,
          "live tasks, hash indexes",
        );
      }
    });
  });
  const [cLo, cHi, cMul] = sizes.cpus;
  summary(() => {
    lineplot(() => {
      for (const strategy of strategies) {
        bench(`${strategy} by CPUs`, function* (state: BenchState) {
          const cpus = state.get("cpus") as number;
          out.enter("CPUs");
          tick(`${strategy}, ${cpus} CPUs`);
          const live = new LiveTasks(
            () => engine(cpus, "rhltable", strategy),
            tick,
          );
          yield threadStartExit(live.grow(sizes.cpusLiveTasks));
        }).range("cpus", cLo, cHi, cMul);
      }
    });
  });
  out.step("calibrating mitata");
  const engineRuns = await runMitata();
  const kernelRuns = engineRuns.filter((r) =>
    models.some((m) => m.name === r.bench)
  );
  const tasksAllRuns = engineRuns.filter((r) =>
    r.bench.endsWith(" (every index)")
  );
  const tasksHashRuns = engineRuns.filter((r) =>
    r.bench.endsWith(" (hash indexes)")
  );
  const cpuRuns = engineRuns.filter((r) => r.bench.endsWith(" by CPUs"));
  // The index work of each run is deterministic: one more run, untimed,
  // reads it.
  const work = new Map<string, BreakpointThreadResult>();
  for (const model of models) {
    work.set(model.name, simulateBreakpointThread(model.options));
  }

  // The kernel's baseline, as many whole runs as fit in the budget.
  out.step("baseline");
  const baselineSeconds: number[] = [];
  let baseline: BreakpointThreadResult | null = null;
  let expectedRuns = 1;
  while (baselineSeconds.length < expectedRuns) {
    const run = baselineSeconds.length;
    baseline = simulateBreakpointThread({
      ...k,
      strategy: "legacy",
      index: "list",
      onProgress(done, total) {
        // A clock read per thread: negligible beside the list's scans.
        out.tick(
          `legacy + list, run ${run + 1} of ${expectedRuns}`,
          (run + done / total) / expectedRuns,
        );
      },
    });
    baselineSeconds.push(baseline.totalSeconds);
    expectedRuns = baselineRuns(baselineSeconds[0]!, sizes);
  }
  work.set("legacy + list", baseline!);
  const baselineAvg = baselineSeconds.reduce((a, b) => a + b, 0) /
    baselineSeconds.length;

  out.heading(`## 1. ${perf}, ${k.cpus} CPUs, measured on one JS thread`);
  out.line(
    "One bench per strategy × index; each sample is one whole run on the wall clock of",
  );
  out.line(
    "one JavaScript thread (the simulator's clock over perf's timed region): the spawners'",
  );
  out.line(
    "batches interleave, they do not run in parallel. The kernel's baseline (legacy + list)",
  );
  out.line(
    "is too slow for mitata's 12+ samples: it is timed on its own in part 2.",
  );
  out.line();
  out.line(table([
    ["configuration (measured)", "mean", "min", "max", "samples"],
    ...models.map((m) => {
      const s = statsOf(kernelRuns, m.name);
      return [
        m.name,
        nanos(s.avg),
        nanos(s.min),
        nanos(s.max),
        count(s.samples),
      ];
    }),
  ], new Set([1, 2, 3, 4])));

  out.heading(`## 2. The kernel's baseline, legacy + list: ${perf}`);
  out.line(
    quick
      ? "1 whole run (--quick), timed by the simulator's clock over perf's timed region."
      : `${baselineSeconds.length} whole run(s), as many as fit in ${sizes.baselineBudgetSeconds} s, ` +
        "each timed by the simulator's\nclock over perf's timed region, as perf times it.",
  );
  if (!quick) {
    out.line(
      `mitata would take a warmup run and 12 samples: ~${
        Math.ceil(13 * baselineAvg / 60)
      } min.`,
    );
  }
  out.line(
    `Nothing is scaled or extrapolated. Runs: ${
      baselineSeconds.map((s) => `${s.toFixed(3)} s`).join(", ")
    }.`,
  );
  out.line("The last one, as perf prints it:");
  out.line();
  out.line(formatDefault(baseline!).trimEnd());

  const [tLo, tHi] = sizes.tasksAll;
  out.heading(
    `## 3. Thread start + exit against live tasks, every index, ${sizes.tasksCpus} CPUs`,
  );
  out.line(
    `One thread inherits ${BREAKPOINTS} breakpoints and drops them (4 reserves + 4 releases),`,
  );
  out.line(
    `beside ${tLo} to ${tHi} live tasks of ${BREAKPOINTS} breakpoints each, current accounting.`,
  );
  out.line(
    `The list stops at ${tHi}: building n tasks through it is itself O(n²). mitata means:`,
  );
  out.line();
  out.line(
    costTable(
      costPoints(tasksAllRuns, "tasks", allIndexes, " (every index)"),
      "live tasks",
      allIndexes,
    ),
  );

  const [hLo, hHi] = sizes.tasksHash;
  out.heading(
    `## 4. Thread start + exit against live tasks, hash indexes up to ${hHi} tasks`,
  );
  const hashPoints = costPoints(
    tasksHashRuns,
    "tasks",
    hashIndexes,
    " (hash indexes)",
  );
  out.line(costTable(hashPoints, "live tasks", hashIndexes));

  out.heading(`## 5. Thread start + exit against CPUs (${cLo} to ${cHi})`);
  out.line(
    `rhltable, ${sizes.cpusLiveTasks} live tasks; current, reserve-fastpath and legacy accounting. mitata means:`,
  );
  const perCpu = costPoints(cpuRuns, "cpus", strategies, " by CPUs");
  out.line();
  out.line(costTable(perCpu, "CPUs", strategies));

  // 6. RhlTable against Map, in a fresh process: the engine benchmarks
  // above drove RhlTable with other value types, and their type feedback
  // would slow it down here. This process only waits, so a timer can
  // report progress.
  out.step("RhlTable vs Map");
  out.heading("## 6. RhlTable against a native Map multimap");
  const heartbeat = setInterval(() => out.tick("in a fresh process"), 1000);
  let rhltableVsMap;
  try {
    rhltableVsMap = await runRhlTableVsMapIsolated({ quick });
  } finally {
    clearInterval(heartbeat);
  }
  out.line(formatRhlTableVsMap(rhltableVsMap));

  // The virtual-time model, off the main thread so that progress goes on.
  out.step("model");
  const modelSets = quick ? ["A"] : ["A", "B"];
  const model = await runModel(modelSets, (detail) => out.tick(detail));

  // The engine against the practical minimum, and memory, each in a fresh
  // process: the benches above drove the engine with every index and
  // strategy, and the type feedback they left would slow it down here.
  out.step("engine vs minimum");
  const minimumProcesses = quick ? 1 : 3;
  const minimumRounds = quick ? 5 : 15;
  const minimumBeat = setInterval(
    () => out.tick("engine and minimum, interleaved, in fresh processes"),
    1000,
  );
  let minimum: EngineVsMinimumResult[];
  let memory: MemoryResult;
  try {
    minimum = await measureInProcesses(minimumProcesses, [
      "--rounds",
      String(minimumRounds),
    ]);
    memory =
      (await measureInProcesses(1, ["--memory"]))[0] as unknown as MemoryResult;
  } finally {
    clearInterval(minimumBeat);
  }

  // The closing tables.
  const mean = (name: string): number => statsOf(kernelRuns, name).avg / 1e9;
  const measured: MeasuredRun[] = [
    {
      name: "legacy + list",
      seconds: baselineAvg,
      timedBy: baselineSeconds.length === 1
        ? "1 whole run"
        : `${baselineSeconds.length} whole runs`,
      entriesVisited: work.get("legacy + list")?.entriesVisited ?? null,
    },
    ...models.map((m) => ({
      name: m.name,
      seconds: mean(m.name),
      timedBy: `${count(statsOf(kernelRuns, m.name).samples)} samples`,
      entriesVisited: work.get(m.name)?.entriesVisited ?? null,
    })),
  ];
  const rows = kernelRows(model, measured);
  const closing: ClosingInputs = {
    quick,
    model,
    rows,
    measured,
    threadsPerRun: k.repeat * k.threads,
    finalSeconds: mean(MEASURED_STAGE["v6.1"]!),
    floorSeconds: mean(MEASURED_STAGE["disabled"]!),
    perThread: {
      loTasks: hLo,
      hiTasks: hHi,
      lo: statsOf(tasksHashRuns, "rhltable (hash indexes)", ["tasks", hLo]).avg,
      hi: statsOf(tasksHashRuns, "rhltable (hash indexes)", ["tasks", hHi]).avg,
    },
    minimum,
    minimumRounds,
    memory,
  };
  const targets = closingTargets(closing);
  printClosing(out, closing, targets);

  // Charts.
  out.step("charts");
  const { figures, multimapData, writeFigures } = await import("./_figures.ts");
  const multimap = multimapData(rhltableVsMap);
  const liveTasks = [
    ...costPoints(tasksAllRuns, "tasks", ["list"], " (every index)"),
    ...hashPoints,
  ];
  const figureData: FigureData = {
    workload: perf,
    cpus: k.cpus,
    liveTasks,
    perCpu,
    perCpuLiveTasks: sizes.cpusLiveTasks,
    stages: stageBars(rows),
    measuredWorkload: quick ? perf : null,
    modelSeed: model.seed,
    multimapOps: multimap.ops,
    latency: multimap.latency,
    latencyKeys: multimap.keys,
    latencyRuns: multimap.runs,
    multimapRounds: multimap.rounds,
  };
  const written = await writeFigures(parsed.charts, figures(figureData));
  out.heading("## Charts");
  for (const path of written) out.line(path);

  const elapsedSeconds = out.elapsedSeconds;
  if (parsed.json !== null) {
    const results = {
      command,
      quick,
      date: new Date().toISOString(),
      elapsedSeconds,
      machine,
      kernelTable: {
        workload: k,
        model,
        rows,
        measured,
        baselineRunsSeconds: baselineSeconds,
        mitata: kernelRuns,
      },
      engineVsMinimum: {
        ratio: minimumRatio(minimum),
        rounds: minimumRounds,
        processes: minimum,
      },
      memory,
      targets,
      liveTasks: { allIndexes: tasksAllRuns, hashIndexes: tasksHashRuns },
      cpus: cpuRuns,
      rhltableVsMap,
      charts: written,
      figures: figureData,
    };
    await Deno.writeTextFile(
      parsed.json,
      JSON.stringify(results, null, 2) + "\n",
    );
    out.line(parsed.json);
  }
  out.line();
  out.line(`whole run: ${elapsedSeconds.toFixed(0)} s (${command})`);
  out.done();
  return 0;
}

if (import.meta.main) {
  Deno.exitCode = await main(Deno.args);
}
