// The bench's figures: which charts it draws, from which numbers, with
// what each says about itself. Plain data in, SVG files out.
import type { TopLevelSpec } from "vega-lite";
import {
  costChart,
  type CostPoint,
  kernelChart,
  type LatencyBar,
  latencyChart,
  multimapOpsChart,
  type MultimapPoint,
  renderSvg,
  type StageBar,
} from "./_charts.ts";
import type { RhlVsMapResult } from "./rhltable_vs_map.ts";

/** Everything the figures draw, as plain data. */
export interface FigureData {
  /** `perf bench ...` command line of the kernel's table. */
  workload: string;
  /** CPUs of the kernel's table and of the live-task benches. */
  cpus: number;
  /** Thread start + exit cost against live tasks, per index. */
  liveTasks: CostPoint[];
  /** Thread start + exit cost against CPUs, per strategy. */
  perCpu: CostPoint[];
  /** Live tasks of the CPU bench. */
  perCpuLiveTasks: number;
  /** The kernel's table beside the model's. */
  stages: StageBar[];
  /**
   * The workload of the measured points of the kernel's chart when it is
   * not the kernel's (a `--quick` run), or null.
   */
  measuredWorkload: string | null;
  /** The model's rhltable hash seed. */
  modelSeed: number;
  /** RhlTable against Map, per operation. */
  multimapOps: MultimapPoint[];
  /** RhlTable against Map, single-insert latencies while growing. */
  latency: LatencyBar[];
  /** Keys the latencies were taken growing to, and the runs. */
  latencyKeys: number;
  latencyRuns: number;
  /** Interleaved rounds behind each per-operation time. */
  multimapRounds: number;
}

/** One chart: its file name, its spec and the series it must show. */
export interface Figure {
  file: string;
  /** The chart's title. */
  title: string;
  /** What the chart shows, for alt text. */
  alt: string;
  series: string[];
  spec: TopLevelSpec;
}

function seriesOf(
  values: readonly { series?: string; source?: string; impl?: string }[],
): string[] {
  return [...new Set(values.map((v) => v.series ?? v.source ?? v.impl ?? ""))];
}

/** The bench's charts, from its numbers. */
export function figures(data: FigureData): Figure[] {
  const mean = "mitata mean of each size, GC included";
  const out: Figure[] = [
    {
      title: "",
      file: "live_tasks.svg",
      alt: "Thread start and exit cost against live tasks, per task index",
      series: seriesOf(data.liveTasks),
      spec: costChart(
        data.liveTasks,
        "live tasks, 4 breakpoints each (log scale)",
        {
          title: "Thread start + exit against live tasks",
          subtitle:
            `4 reserves + 4 releases, current accounting, ${data.cpus} CPUs; measured: ${mean}`,
        },
      ),
    },
    {
      title: "",
      file: "cpus.svg",
      alt: "Thread start and exit cost against CPUs, per accounting strategy",
      series: seriesOf(data.perCpu),
      spec: costChart(data.perCpu, "CPUs (log scale)", {
        title: "Thread start + exit against CPUs",
        subtitle:
          `rhltable index, ${data.perCpuLiveTasks} live tasks; measured: ${mean}`,
      }),
    },
    {
      title: "",
      file: "kernel_table.svg",
      alt: "The kernel's perf bench totals per stage beside the model's",
      series: seriesOf(data.stages),
      spec: kernelChart(data.stages, {
        title:
          "perf bench breakpoint thread, 256 CPUs: the kernel's series beside the model",
        subtitle:
          "set A: -r 30 -b 4 -p 64 -t 64; set B: -r 100 -b 4 -p 128 -t 512; " +
          "kernel: totals from the series' commit messages (A no-bp and disabled: model inputs); " +
          `modelled: virtual time, deterministic (seed ${data.modelSeed}), costs calibrated here; ` +
          "measured: mean of whole runs on one JS thread, wall clock, GC included, " +
          (data.measuredWorkload === null
            ? `${data.workload} (not parallel: not comparable)`
            : `--quick workload ${data.workload.replace("perf bench ", "")}`),
      }),
    },
    {
      title: "",
      file: "rhltable_vs_map.svg",
      alt:
        "RhlTable against Map and MultiMap: time per lookup and per insert plus remove",
      series: seriesOf(data.multimapOps),
      spec: multimapOpsChart(data.multimapOps, {
        title:
          "RhlTable against Map<number, V[]> and mnemonist MultiMap, two values per key",
        subtitle:
          `measured: CPU time per operation, median of ${data.multimapRounds} ` +
          "interleaved rounds, GC included; " +
          "reused keys: V8's Map keeps deleted entries on its bucket chains until it rehashes",
      }),
    },
    {
      title: "",
      file: "rhltable_vs_map_latency.svg",
      alt:
        "RhlTable against a Map multimap: single-insert latencies while growing",
      series: seriesOf(data.latency),
      spec: latencyChart(data.latency, {
        title: `Single inserts while growing from empty to ${
          data.latencyKeys.toLocaleString("en-US")
        } keys`,
        subtitle:
          `measured: every insert timed (wall clock); raw: one point per run, ${data.latencyRuns} runs, ` +
          "GC pauses included; fastest of runs: each insert at its fastest over the runs " +
          "(hides GC pauses, keeps resize stalls)",
      }),
    },
  ];
  for (const figure of out) {
    figure.title = (figure.spec.title as { text: string }).text;
  }
  return out;
}

/** Statistics of the latency chart, top to bottom. */
export const LATENCY_STATISTICS = {
  rawMax: "worst insert, raw, each run",
  rawP999: "p99.9, raw, each run",
  fastestMax: "worst insert, fastest of runs",
  fastestP999: "p99.9, fastest of runs",
} as const;

/** The RhlTable-vs-Map result as chart data. */
export function multimapData(result: RhlVsMapResult): {
  ops: MultimapPoint[];
  latency: LatencyBar[];
  keys: number;
  runs: number;
  rounds: number;
} {
  const ops = result.ops.map((o) => ({
    impl: o.impl,
    op: o.op,
    keys: o.keys,
    ns: o.medianNs,
  }));
  const latency: LatencyBar[] = [];
  const s = LATENCY_STATISTICS;
  for (const g of [result.growth.rhltable, result.growth.map]) {
    const impl = g.impl;
    g.rawMaxUs.forEach((us, i) =>
      latency.push({ impl, statistic: s.rawMax, run: i + 1, us })
    );
    g.rawP999Us.forEach((us, i) =>
      latency.push({ impl, statistic: s.rawP999, run: i + 1, us })
    );
    latency.push(
      { impl, statistic: s.fastestMax, run: 0, us: g.fastestOfRunsMaxUs },
      { impl, statistic: s.fastestP999, run: 0, us: g.fastestOfRunsP999Us },
    );
  }
  return {
    ops,
    latency,
    keys: result.growth.rhltable.keys,
    runs: result.growth.rhltable.runs,
    rounds: result.rounds,
  };
}

/** Renders one figure to SVG text. */
export function renderFigure(figure: Figure): Promise<string> {
  return renderSvg(figure.spec);
}

/** Renders every figure into `dir`; returns the paths written. */
export async function writeFigures(
  dir: string,
  list: readonly Figure[],
): Promise<string[]> {
  await Deno.mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const figure of list) {
    const path = `${dir}/${figure.file}`;
    await Deno.writeTextFile(path, await renderFigure(figure));
    written.push(path);
  }
  return written;
}
