// The bench's charts: Vega-Lite specs built from plain data arrays, rendered
// to SVG by Vega, headless. Each implementation has one colour, the same in
// every chart; every axis says what it measures and in which unit.
import * as vega from "vega";
import { compile, type Config, type TopLevelSpec } from "vega-lite";

/** The kernel's totals, as the series' commit messages give them. */
export const KERNEL_SOURCE = "kernel (Linux 6.1 series, 256 CPUs)";
/** The virtual-time model's totals. */
export const MODELLED_SOURCE = "hwbp, modelled (virtual time, 256 CPUs)";
/** The wall-clock runs of the simulator, one JavaScript thread. */
export const MEASURED_SOURCE =
  "hwbp, measured here (one JS thread, wall clock)";

/** One colour per implementation or source, shared by every chart. */
export const COLORS: Readonly<Record<string, string>> = Object.freeze({
  // Task indexes.
  "list": "#e15759",
  "chained-hash": "#f28e2b",
  "rhltable": "#4e79a7",
  // Accounting strategies (both on an rhltable).
  "current": "#59a14f",
  "reserve-fastpath": "#ff9da7",
  "legacy": "#b07aa1",
  // Multimaps.
  "RhlTable": "#4e79a7",
  "Map": "#9c755f",
  "MultiMap": "#bab0ac",
  // Sources of the kernel's table.
  [KERNEL_SOURCE]: "#555555",
  [MODELLED_SOURCE]: "#edc948",
  [MEASURED_SOURCE]: "#76b7b2",
});

/** The colour of `series`; an unknown series is a bug in the caller. */
export function colorOf(series: string): string {
  const color = COLORS[series];
  if (color === undefined) throw new Error(`No colour for series "${series}"`);
  return color;
}

/** A point of a cost curve: `ns` at `x`, for one series. */
export interface CostPoint {
  series: string;
  x: number;
  ns: number;
}

/** One bar of the kernel's table: a stage's seconds, from one source. */
export interface StageBar {
  stage: string;
  source: string;
  seconds: number;
}

/** Time per operation of a multimap at a size. */
export interface MultimapPoint {
  impl: string;
  op: string;
  keys: number;
  ns: number;
}

/**
 * One figure of single-insert latencies, in microseconds: a statistic of
 * one run (`run` from 1), or of all runs together (`run` 0).
 */
export interface LatencyBar {
  impl: string;
  statistic: string;
  run: number;
  us: number;
}

/** Text around a chart: what it is, and how it was measured. */
export interface ChartText {
  title: string;
  /** Measured or modelled, mean or median, samples, GC or not. */
  subtitle: string;
}

const FONT = "DejaVu Sans, Helvetica, Arial, sans-serif";

function config(): Config {
  return {
    font: FONT,
    background: "white",
    title: {
      anchor: "start",
      fontSize: 14,
      subtitleFontSize: 11,
      subtitleColor: "#444",
    },
    axis: {
      labelFontSize: 11,
      titleFontSize: 12,
      grid: true,
      gridColor: "#e6e6e6",
    },
    legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 },
    view: { stroke: "#ccc" },
  };
}

/** Domain and range of a colour scale, in the order the series come. */
function colorScale(
  series: readonly string[],
): { domain: string[]; range: string[] } {
  const domain = [...new Set(series)];
  return { domain, range: domain.map(colorOf) };
}

/** A title with its subtitle split at "; " so no line runs too long. */
function title(text: ChartText): { text: string; subtitle: string[] } {
  return { text: text.title, subtitle: text.subtitle.split("; ") };
}

/** Axis values: the distinct x values, so a log axis shows the sizes run. */
function ticks(values: readonly number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/**
 * Cost curves on log–log axes: nanoseconds per operation against a size
 * (live tasks, CPUs), one line per series.
 */
export function costChart(
  points: readonly CostPoint[],
  xTitle: string,
  text: ChartText,
): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: title(text),
    width: 560,
    height: 320,
    config: config(),
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: "line", point: { size: 50 }, strokeWidth: 2 },
    encoding: {
      x: {
        field: "x",
        type: "quantitative",
        title: xTitle,
        scale: { type: "log", base: 2, nice: false },
        axis: {
          values: ticks(points.map((p) => p.x)),
          format: ",d",
          labelOverlap: false,
          labelFlush: true,
        },
      },
      y: {
        field: "ns",
        type: "quantitative",
        title: "time per operation (ns, log scale)",
        scale: { type: "log" },
        axis: { format: "~s" },
      },
      color: {
        field: "series",
        type: "nominal",
        title: null,
        scale: colorScale(points.map((p) => p.series)),
        legend: {
          orient: "top-left",
          fillColor: "white",
          strokeColor: "#ccc",
          padding: 6,
        },
      },
    },
  };
}

/**
 * The kernel's table against the model's: one group of bars per stage,
 * one bar per source, seconds on a log axis.
 */
export function kernelChart(
  bars: readonly StageBar[],
  text: ChartText,
): TopLevelSpec {
  const stages = [...new Set(bars.map((b) => b.stage))];
  const sources = colorScale(bars.map((b) => b.source));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: title(text),
    width: 520,
    // The step of one source within a stage.
    height: { step: 13 },
    config: config(),
    data: { values: bars.map((b) => ({ ...b })) },
    // Points, not bars: a bar on a log axis has no true zero to start from.
    mark: { type: "point", filled: true, size: 110, opacity: 1 },
    encoding: {
      y: {
        field: "stage",
        type: "nominal",
        title: "set, stage: index, strategy, locking",
        sort: stages,
        // The title sits above the labels, clear of them: Vega measures
        // text without a font when headless, and would guess their width.
        axis: {
          labelLimit: 400,
          titleAngle: 0,
          titleAlign: "right",
          titleBaseline: "bottom",
          titleX: 0,
          titleY: -6,
        },
      },
      yOffset: { field: "source", type: "nominal", sort: sources.domain },
      x: {
        field: "seconds",
        type: "quantitative",
        title: "total time of one perf bench run (s, log scale)",
        scale: { type: "log" },
        axis: { format: "~g" },
      },
      color: {
        field: "source",
        type: "nominal",
        title: null,
        scale: sources,
        legend: { orient: "bottom", direction: "vertical", labelLimit: 480 },
      },
    },
  };
}

/**
 * RhlTable against a Map multimap: time per operation against keys, one
 * panel per operation, log axes.
 */
export function multimapOpsChart(
  points: readonly MultimapPoint[],
  text: ChartText,
): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: title(text),
    config: config(),
    data: { values: points.map((p) => ({ ...p })) },
    // Side by side, each operation with its own y scale.
    hconcat: [...new Set(points.map((p) => p.op))].map((op) => ({
      title: { text: op, fontSize: 13, anchor: "middle" as const },
      width: 230,
      height: 240,
      transform: [{ filter: { field: "op", equal: op } }],
      mark: { type: "line" as const, point: { size: 50 }, strokeWidth: 2 },
      encoding: {
        x: {
          field: "keys",
          type: "quantitative" as const,
          title: "keys in the multimap (log scale)",
          scale: { type: "log" as const, base: 2, nice: false },
          axis: {
            values: ticks(points.map((p) => p.keys)),
            format: ",d",
            labelOverlap: false,
            labelFlush: true,
          },
        },
        y: {
          field: "ns",
          type: "quantitative" as const,
          title: "CPU time per operation (ns, log scale)",
          scale: { type: "log" as const },
          axis: { format: "~s" },
        },
        color: {
          field: "impl",
          type: "nominal" as const,
          title: null,
          scale: colorScale(points.map((p) => p.impl)),
        },
      },
    })),
  };
}

/**
 * Single-insert latencies while growing, one row per statistic, a point
 * per run, log axis.
 */
export function latencyChart(
  bars: readonly LatencyBar[],
  text: ChartText,
): TopLevelSpec {
  const statistics = [...new Set(bars.map((b) => b.statistic))];
  const impls = colorScale(bars.map((b) => b.impl));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: title(text),
    width: 520,
    height: { step: 26 },
    config: config(),
    data: { values: bars.map((b) => ({ ...b })) },
    // Runs of one statistic share a row: translucent, so overlaps show.
    mark: { type: "point", filled: true, size: 90, opacity: 0.75 },
    encoding: {
      y: {
        field: "statistic",
        type: "nominal",
        title: "single-insert latency",
        sort: statistics,
        axis: { labelLimit: 400 },
      },
      yOffset: { field: "impl", type: "nominal", sort: impls.domain },
      x: {
        field: "us",
        type: "quantitative",
        title: "time of one insert (µs, log scale)",
        scale: { type: "log" },
        axis: { format: "~s" },
      },
      color: {
        field: "impl",
        type: "nominal",
        title: null,
        scale: impls,
        legend: { orient: "bottom", direction: "horizontal" },
      },
    },
  };
}

/** Renders a Vega-Lite spec to a standalone SVG document. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), {
    renderer: "none",
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
