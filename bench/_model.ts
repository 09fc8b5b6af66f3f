// The kernel's published table beside the virtual-time model of @hwbp/sim:
// every row of the 2022 series "perf/hw_breakpoint: Optimize for thousands
// of tasks" (commit messages; 256 CPUs), modelled at both parameter sets.
// Print it with `deno run bench/_model.ts`.
//
// The model's inputs: the kernel's -b 0 and accounting-disabled rows (set A
// only) fix the thread and per-event costs; the per-unit accounting and
// lock costs come from `deno task calibrate` on this machine. No other
// kernel number below feeds the model: the rest are what it predicts.
import {
  type CostTable,
  DEFAULT_COST_TABLE,
  DEFAULT_SEED,
  type IndexName,
  KERNEL_STAGES,
  type KernelStageName,
  type SimStrategy,
  simulateBreakpointThread,
} from "@hwbp/sim";

/** A `perf bench -r R breakpoint thread -b B -p P -t T` parameter set. */
export interface ParameterSet {
  /** A short name: "A" or "B". */
  name: string;
  /** The perf arguments. */
  args: string;
  cpus: number;
  repeat: number;
  breakpoints: number;
  parallelism: number;
  threads: number;
}

/** `-r 30 -b 4 -p 64 -t 64`: the series' main table. */
export const SET_A: ParameterSet = {
  name: "A",
  args: "-r 30 -b 4 -p 64 -t 64",
  cpus: 256,
  repeat: 30,
  breakpoints: 4,
  parallelism: 64,
  threads: 64,
};

/** `-r 100 -b 4 -p 128 -t 512`: the harder set of patches 12 to 14. */
export const SET_B: ParameterSet = {
  name: "B",
  args: "-r 100 -b 4 -p 128 -t 512",
  cpus: 256,
  repeat: 100,
  breakpoints: 4,
  parallelism: 128,
  threads: 512,
};

interface StageConfig {
  index: IndexName;
  strategy: SimStrategy;
  locking: "mutex" | "rwsem";
  breakpoints?: number;
}

/** One row of the kernel's table. */
interface KernelRow {
  stage: string;
  label: string;
  config: StageConfig;
  /** Seconds, per parameter set name; null where the series gives none. */
  kernel: { a: number | null; b: number | null };
  /** Whether this kernel figure is an input of the model, not a prediction. */
  input: boolean;
}

function stage(name: KernelStageName): StageConfig {
  return { ...KERNEL_STAGES[name] };
}

const ROWS: readonly KernelRow[] = [
  {
    stage: "v5.19",
    label: "list + legacy + global mutex",
    config: stage("v5.19"),
    kernel: { a: 236.418, b: null },
    input: false,
  },
  {
    stage: "patch04",
    label: "rhltable (+ legacy + mutex)",
    config: stage("patch04"),
    kernel: { a: 0.208, b: null },
    input: false,
  },
  {
    stage: "patch05-10",
    label: "same configuration as patch04",
    config: stage("patch04"),
    kernel: { a: 0.207, b: null },
    input: false,
  },
  {
    stage: "patch11",
    label: "+ per-task mutex and rwsem",
    config: stage("patch11"),
    kernel: { a: 0.077, b: null },
    input: false,
  },
  {
    stage: "patch12",
    label: "legacy + rwsem",
    config: stage("patch11"),
    kernel: { a: null, b: 1.989 },
    input: false,
  },
  {
    stage: "patch13",
    label: "+ reserve fast path",
    config: stage("patch13"),
    kernel: { a: null, b: 1.930 },
    input: false,
  },
  {
    stage: "v6.1",
    label: "patch14: + task histograms (final)",
    config: stage("v6.1"),
    kernel: { a: 0.067, b: 1.758 },
    input: false,
  },
  {
    stage: "disabled",
    label: "accounting disabled (input, set A)",
    config: { index: "rhltable", strategy: "none", locking: "rwsem" },
    kernel: { a: 0.067, b: null },
    input: true,
  },
  {
    stage: "no-bp",
    label: "no breakpoints, -b 0 (input, set A)",
    config: {
      index: "rhltable",
      strategy: "none",
      locking: "rwsem",
      breakpoints: 0,
    },
    kernel: { a: 0.060, b: null },
    input: true,
  },
];

/** One modelled row, as plain data (for a chart). */
export interface ModelRow {
  stage: string;
  label: string;
  /** The parameter set: "A" (-r 30 -b 4 -p 64 -t 64) or "B" (-r 100 -b 4 -p 128 -t 512). */
  set: string;
  index: string;
  strategy: string;
  locking: string;
  /** The kernel's seconds, or null where the series gives none. */
  kernelSeconds: number | null;
  /** Modelled seconds (virtual time). */
  modelSeconds: number;
  /** Where the modelled time went, seconds. */
  breakdown: {
    threads: number;
    events: number;
    accounting: number;
    locks: number;
    waiting: number;
  };
  /** Whether the kernel figure is one of the model's two inputs. */
  input: boolean;
}

/** One step of the series: the kernel's ratio beside the model's. */
export interface StepRow {
  step: string;
  /** "patch04 ÷ ..."-style description of the two rows. */
  rows: string;
  set: string;
  /** The ratio the commit message quotes, or null. */
  kernelQuoted: number | null;
  /** The ratio of the kernel's own numbers. */
  kernelRatio: number | null;
  /** The modelled ratio. */
  modelRatio: number;
}

/** Everything `formatModelTable()` prints. */
export interface ModelTable {
  rows: ModelRow[];
  steps: StepRow[];
  costs: CostTable;
  seed: number;
}

/**
 * Models every kernel row at both parameter sets (distinct configurations
 * run once), and the series' steps as ratios.
 */
export function modelTable(
  options: { costs?: CostTable; seed?: number; sets?: ParameterSet[] } = {},
): ModelTable {
  const costs = options.costs ?? DEFAULT_COST_TABLE;
  const seed = options.seed ?? DEFAULT_SEED;
  const sets = options.sets ?? [SET_A, SET_B];
  const rows: ModelRow[] = [];
  for (const set of sets) {
    const cache = new Map<
      string,
      ReturnType<typeof simulateBreakpointThread>
    >();
    for (const row of ROWS) {
      const { breakpoints, ...config } = row.config;
      const key = JSON.stringify(row.config);
      let result = cache.get(key);
      if (result === undefined) {
        result = simulateBreakpointThread({
          cpus: set.cpus,
          repeat: set.repeat,
          breakpoints: breakpoints ?? set.breakpoints,
          parallelism: set.parallelism,
          threads: set.threads,
          ...config,
          seed,
          clock: "model",
          costs,
        });
        cache.set(key, result);
      }
      rows.push({
        stage: row.stage,
        label: row.label,
        set: set.name,
        index: config.strategy === "none" ? "-" : config.index,
        strategy: config.strategy,
        locking: config.strategy === "none" ? "-" : config.locking,
        kernelSeconds: set === SET_A
          ? row.kernel.a
          : set === SET_B
          ? row.kernel.b
          : null,
        modelSeconds: result.totalSeconds,
        breakdown: { ...result.breakdown! },
        input: row.input && set === SET_A,
      });
    }
  }
  return { rows, steps: steps(rows), costs, seed };
}

function steps(rows: ModelRow[]): StepRow[] {
  const find = (stage: string, set: string): ModelRow | undefined =>
    rows.find((r) => r.stage === stage && r.set === set);
  const out: StepRow[] = [];
  const add = (
    step: string,
    top: string,
    bottom: string,
    set: ParameterSet,
    quoted: number | null,
  ): void => {
    const a = find(top, set.name);
    const b = find(bottom, set.name);
    if (a === undefined || b === undefined) return;
    out.push({
      step,
      rows: `${top} ÷ ${bottom}`,
      set: set.name,
      kernelQuoted: quoted,
      kernelRatio: a.kernelSeconds !== null && b.kernelSeconds !== null
        ? a.kernelSeconds / b.kernelSeconds
        : null,
      modelRatio: a.modelSeconds / b.modelSeconds,
    });
  };
  add("rhltable (patch 4)", "v5.19", "patch04", SET_A, 1135);
  add("locking (patch 11)", "patch05-10", "patch11", SET_A, 2.7);
  add("histograms (patches 12-14)", "patch12", "v6.1", SET_B, 1.15);
  add("whole series", "v5.19", "v6.1", SET_A, null);
  add("final ÷ disabled", "v6.1", "disabled", SET_A, null);
  add("rhltable (patch 4)", "v5.19", "patch04", SET_B, null);
  add("locking (patch 11)", "patch05-10", "patch11", SET_B, null);
  add("whole series", "v5.19", "v6.1", SET_B, null);
  return out;
}

function seconds(value: number | null): string {
  if (value === null) return "-";
  if (value >= 100) return value.toFixed(1);
  if (value >= 1) return value.toFixed(3);
  return value.toFixed(4);
}

function ratio(value: number | null): string {
  if (value === null) return "-";
  return value >= 100 ? `${value.toFixed(0)}×` : `${value.toFixed(2)}×`;
}

/** The table as text, every line at most 100 columns. */
export function formatModelTable(table: ModelTable): string {
  const lines: string[] = [];
  const sets = [SET_A, SET_B].filter((set) =>
    table.rows.some((r) => r.set === set.name)
  );
  lines.push(
    "Kernel (256 CPUs, commit messages of the series) beside the virtual-time model (modelled,",
    `seed ${table.seed}); "input" rows are the model's inputs, every other kernel figure a prediction.`,
  );
  for (const { name: set, args } of sets) {
    lines.push("");
    lines.push(`Set ${set}: perf bench ${args}`);
    lines.push(
      `${"stage".padEnd(11)}${"index".padEnd(9)}${"strategy".padEnd(17)}${
        "locking".padEnd(8)
      }${"kernel s".padStart(10)}${"modelled s".padStart(12)}${
        "accounting s".padStart(13)
      }${"waiting s".padStart(11)}`,
    );
    for (const r of table.rows.filter((r) => r.set === set)) {
      lines.push(
        `${r.stage.padEnd(11)}${r.index.padEnd(9)}${r.strategy.padEnd(17)}${
          r.locking.padEnd(8)
        }${seconds(r.kernelSeconds).padStart(10)}${
          seconds(r.modelSeconds).padStart(12)
        }${seconds(r.breakdown.accounting).padStart(13)}${
          seconds(r.breakdown.waiting).padStart(11)
        }${r.input ? "  input" : ""}`,
      );
    }
  }
  lines.push("");
  lines.push(
    "Steps of the series (kernel: quoted in the commit message / from its numbers):",
  );
  lines.push(
    `${"step".padEnd(27)}${"rows".padEnd(22)}${"set".padEnd(5)}${
      "kernel".padStart(14)
    }${"modelled".padStart(10)}`,
  );
  for (const s of table.steps) {
    const kernel = s.kernelQuoted === null
      ? ratio(s.kernelRatio)
      : `${ratio(s.kernelQuoted)}/${ratio(s.kernelRatio)}`;
    lines.push(
      `${s.step.padEnd(27)}${s.rows.padEnd(22)}${s.set.padEnd(5)}${
        kernel.padStart(14)
      }${ratio(s.modelRatio).padStart(10)}`,
    );
  }
  const list = table.costs.indexAccounting?.list ?? table.costs.accounting;
  const c = table.costs;
  const us = (ns: number): string => `${(ns / 1000).toFixed(2)} µs`;
  lines.push("");
  lines.push(
    `Costs: thread create ${us(c.threadCreate)} + exit ${
      us(c.threadExit)
    }, per event ${us(c.perEvent)} (from the two input rows);`,
  );
  lines.push(
    `lock ${c.lockAcquire.toFixed(0)} ns, wake-up ${
      us(c.lockWakeup)
    }, accounting per unit: ` +
      "calibrated on this machine.",
  );
  lines.push(
    `Calibrated cost of one list entry visited: ${
      list.entriesVisited.toFixed(2)
    } ns (the kernel's 236.418 s implies ~9.7 ns).`,
  );
  return lines.map((line) => line.trimEnd()).join("\n") + "\n";
}

if (import.meta.main) {
  const started = performance.now();
  const text = formatModelTable(modelTable());
  console.log(text);
  console.log(
    `(modelled in ${
      ((performance.now() - started) / 1000).toFixed(1)
    } s of wall time)`,
  );
}
