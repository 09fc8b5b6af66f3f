// The bench's charts are valid SVG documents that hold what they claim:
// their title, axis titles, every series in the legend, and a mark in each
// series' colour. Parsed with a real XML parser, not matched as text.
import assert from "node:assert/strict";
import { DOMParser, type Element } from "@xmldom/xmldom";
import {
  colorOf,
  COLORS,
  KERNEL_SOURCE,
  MEASURED_SOURCE,
  MODELLED_SOURCE,
} from "./_charts.ts";
import {
  type Figure,
  type FigureData,
  figures,
  LATENCY_STATISTICS,
  multimapData,
  renderFigure,
} from "./_figures.ts";

/** Small but complete input: every series each chart draws. */
function sampleData(): FigureData {
  const sizes = [1024, 4096, 16384];
  return {
    workload: "perf bench -r 4 breakpoint thread -b 4 -p 4 -t 8",
    cpus: 16,
    liveTasks: ["list", "chained-hash", "rhltable"].flatMap((series, i) =>
      sizes.map((x) => ({ series, x, ns: (i + 1) * x }))
    ),
    perCpu: ["current", "reserve-fastpath", "legacy"].flatMap((series, i) =>
      [4, 16, 64].map((x) => ({ series, x, ns: 500 + i * 100 * x }))
    ),
    perCpuLiveTasks: 64,
    stages: [
      { stage: "A  v5.19", source: KERNEL_SOURCE, seconds: 236.418 },
      { stage: "A  v5.19", source: MODELLED_SOURCE, seconds: 200 },
      { stage: "A  v5.19", source: MEASURED_SOURCE, seconds: 76.39 },
      { stage: "A  no-bp", source: KERNEL_SOURCE, seconds: 0.06 },
      { stage: "A  no-bp", source: MODELLED_SOURCE, seconds: 0.06 },
      { stage: "A  no-bp", source: MEASURED_SOURCE, seconds: 6.4e-6 },
      { stage: "B  v6.1", source: KERNEL_SOURCE, seconds: 1.758 },
      { stage: "B  v6.1", source: MODELLED_SOURCE, seconds: 1.6 },
    ],
    measuredWorkload: null,
    modelSeed: 1,
    multimapOps: ["RhlTable", "Map", "MultiMap"].flatMap((impl, i) =>
      ["lookup+iterate", "insert+remove fresh keys"].flatMap((op) =>
        [1024, 65536].map((keys) => ({
          impl,
          op,
          keys,
          ns: 10 + i * keys / 100,
        }))
      )
    ),
    latency: ["RhlTable", "Map"].flatMap((impl, i) => [
      ...[1, 2, 3].flatMap((run) => [
        { impl, statistic: "worst insert, raw, each run", run, us: 900 * run },
        { impl, statistic: "p99.9, raw, each run", run, us: (i + 1) * run },
      ]),
      { impl, statistic: "worst insert, fastest of runs", run: 0, us: 50 },
      { impl, statistic: "p99.9, fastest of runs", run: 0, us: 0.5 },
    ]),
    latencyKeys: 65536,
    latencyRuns: 3,
    multimapRounds: 7,
  };
}

function parseSvg(svg: string): Element {
  const errors: string[] = [];
  const doc = new DOMParser({
    onError: (level, message) => {
      if (level !== "warning") errors.push(message);
    },
  }).parseFromString(svg, "image/svg+xml");
  assert.deepEqual(errors, []);
  const root = doc.documentElement;
  assert.ok(root !== null);
  assert.equal(root.tagName, "svg");
  assert.equal(root.getAttribute("xmlns"), "http://www.w3.org/2000/svg");
  assert.ok(Number(root.getAttribute("width")) > 100);
  assert.ok(Number(root.getAttribute("height")) > 100);
  return root;
}

function texts(root: Element): string[] {
  return Array.from(
    root.getElementsByTagName("text"),
    (t) => t.textContent ?? "",
  );
}

/** Fill and stroke colours of every drawn path, lower-cased. */
function markColors(root: Element): Set<string> {
  const colors = new Set<string>();
  for (const path of Array.from(root.getElementsByTagName("path"))) {
    for (const attribute of ["fill", "stroke"]) {
      const value = path.getAttribute(attribute);
      if (value !== null) colors.add(value.toLowerCase());
    }
  }
  return colors;
}

function assertFigure(figure: Figure, svg: string): void {
  const root = parseSvg(svg);
  const words = texts(root);
  const colors = markColors(root);
  for (const series of figure.series) {
    assert.ok(
      words.includes(series),
      `${figure.file}: no legend entry "${series}"`,
    );
    assert.ok(
      colors.has(colorOf(series)),
      `${figure.file}: no mark in ${series}'s colour`,
    );
  }
  // Axis titles name their unit (or say the axis is a count), and no
  // placeholder such as "$tasks" is left in any text.
  const titles = words.filter((w) =>
    / \(.*\)$/.test(w) && /scale|ns|µs|s,/.test(w)
  );
  assert.ok(
    titles.length >= 2,
    `${figure.file}: axis titles missing in ${words.join(" | ")}`,
  );
  assert.ok(
    !words.some((w) => w.includes("$")),
    `${figure.file}: placeholder in ${words.join(" | ")}`,
  );
}

Deno.test("every chart renders to an SVG document with its title, axes and series", async () => {
  const list = figures(sampleData());
  assert.deepEqual(list.map((f) => f.file), [
    "live_tasks.svg",
    "cpus.svg",
    "kernel_table.svg",
    "rhltable_vs_map.svg",
    "rhltable_vs_map_latency.svg",
  ]);
  assert.deepEqual(list[0]!.series, ["list", "chained-hash", "rhltable"]);
  assert.deepEqual(list[1]!.series, ["current", "reserve-fastpath", "legacy"]);
  assert.deepEqual(list[2]!.series, [
    KERNEL_SOURCE,
    MODELLED_SOURCE,
    MEASURED_SOURCE,
  ]);
  assert.deepEqual(list[3]!.series, ["RhlTable", "Map", "MultiMap"]);
  assert.deepEqual(list[4]!.series, ["RhlTable", "Map"]);
  for (const figure of list) {
    const svg = await renderFigure(figure);
    assertFigure(figure, svg);
    assert.ok(
      texts(parseSvg(svg)).includes(figure.title),
      `${figure.file}: no title`,
    );
  }
});

Deno.test("the committed charts in bench/results hold their series", async () => {
  for (const figure of figures(sampleData())) {
    const url = new URL(`./results/${figure.file}`, import.meta.url);
    const svg = await Deno.readTextFile(url);
    assertFigure(figure, svg);
  }
});

Deno.test("each implementation has one colour, shared across charts", () => {
  assert.equal(colorOf("rhltable"), colorOf("RhlTable"));
  const others = Object.entries(COLORS).filter(([name]) => name !== "RhlTable");
  assert.equal(new Set(others.map(([, color]) => color)).size, others.length);
  assert.throws(() => colorOf("skiplist"), {
    message: 'No colour for series "skiplist"',
  });
});

Deno.test("multimapData() draws each run's raw latencies and labels the fastest-of-runs figures", () => {
  const growth = (impl: "RhlTable" | "Map", scale: number) => ({
    impl,
    keys: 4096,
    runs: 2,
    totalMs: 3,
    rawMaxUs: [100 * scale, 200 * scale],
    rawP999Us: [1 * scale, 2 * scale],
    runStartMs: [10, 20],
    worstAtMs: [12, 25],
    worstAtKey: [1024, 2048],
    fastestOfRunsMaxUs: 50 * scale,
    fastestOfRunsP999Us: 0.5 * scale,
  });
  const data = multimapData({
    quick: true,
    sizes: [1024],
    rounds: 5,
    ops: [{
      impl: "MultiMap",
      op: "insert+remove fresh keys",
      keys: 1024,
      medianNs: 42,
      minNs: 40,
      maxNs: 50,
      timeVsRhlTable: 1.1,
    }],
    growth: {
      rhltable: growth("RhlTable", 1),
      map: growth("Map", 10),
      worstRatioPerRun: [0.1, 0.1],
    },
    memory: {
      entries: 4096,
      gcExposed: true,
      rhltableBytesPerEntry: 72,
      mapBytesPerEntry: 84,
      multimapBytesPerEntry: 108,
      taskIndexBytesPerBreakpoint: 72,
    },
  });
  assert.deepEqual(data.ops, [
    { impl: "MultiMap", op: "insert+remove fresh keys", keys: 1024, ns: 42 },
  ]);
  assert.equal(data.rounds, 5);
  assert.equal(data.runs, 2);
  const s = LATENCY_STATISTICS;
  assert.deepEqual(
    data.latency.filter((p) => p.impl === "Map"),
    [
      { impl: "Map", statistic: s.rawMax, run: 1, us: 1000 },
      { impl: "Map", statistic: s.rawMax, run: 2, us: 2000 },
      { impl: "Map", statistic: s.rawP999, run: 1, us: 10 },
      { impl: "Map", statistic: s.rawP999, run: 2, us: 20 },
      { impl: "Map", statistic: s.fastestMax, run: 0, us: 500 },
      { impl: "Map", statistic: s.fastestP999, run: 0, us: 5 },
    ],
  );
});
