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
  /** RhlTable against Map, per operation. */
  multimapOps: MultimapPoint[];
  /** RhlTable against Map, single-insert latencies while growing. */
  latency: LatencyBar[];
  /** Keys the latencies were taken growing to, and the runs. */
  latencyKeys: number;
  latencyRuns: number;
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
        title: `${data.workload}, ${data.cpus} CPUs`,
        subtitle: "kernel: totals from the series' commit messages; " +
          "hwbp: mean of whole runs here, simulator clock (the baseline: whole runs, no warmup)",
      }),
    },
    {
      title: "",
      file: "rhltable_vs_map.svg",
      alt:
        "RhlTable against a Map multimap: time per lookup and per insert plus remove",
      series: seriesOf(data.multimapOps),
      spec: multimapOpsChart(data.multimapOps, {
        title: "RhlTable against a Map<number, V[]> multimap",
        subtitle:
          "two values per key; measured: mitata mean per operation, GC included",
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
          `measured: each insert timed, its fastest of ${data.latencyRuns} runs ` +
          "(raw max: slowest of any run, GC pauses included)",
      }),
    },
  ];
  for (const figure of out) {
    figure.title = (figure.spec.title as { text: string }).text;
  }
  return out;
}

/** The RhlTable-vs-Map result as chart data. */
export function multimapData(result: RhlVsMapResult): {
  ops: MultimapPoint[];
  latency: LatencyBar[];
  keys: number;
  runs: number;
} {
  const ops = result.ops.map((o) => ({
    impl: o.impl,
    op: o.op,
    keys: o.keys,
    ns: o.avgNs,
  }));
  const latency: LatencyBar[] = [];
  const growth = [["RhlTable", result.growth.rhltable], [
    "Map",
    result.growth.map,
  ]] as const;
  for (
    const [statistic, key] of [["p99.9", "p999Us"], ["max", "maxUs"], [
      "raw max",
      "rawMaxUs",
    ]] as const
  ) {
    for (const [impl, g] of growth) {
      latency.push({ impl, statistic, us: g[key] });
    }
  }
  return {
    ops,
    latency,
    keys: result.growth.rhltable.keys,
    runs: result.growth.rhltable.runs,
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
