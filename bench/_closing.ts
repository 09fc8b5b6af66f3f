// The bench's closing section: the kernel's table beside the model's and
// the measured runs, the engine against the practical minimum, and the
// targets of the issues it answers, judged. Plain data in, lines out.
import type { ModelTable } from "./_model.ts";
import {
  type KernelRow,
  kernelTable,
  type MeasuredRun,
  measuredTable,
  stepTable,
} from "./_kernel_table.ts";
import type { Progress } from "./_progress.ts";
import {
  reported,
  type Target,
  target,
  targetTable,
  within,
} from "./_report.ts";
import { count, ratio } from "./_table.ts";
import type {
  EngineVsMinimumResult,
  MemoryResult,
} from "./engine_vs_minimum.ts";

/** What the closing section reports, gathered by the bench's earlier parts. */
export interface ClosingInputs {
  /** Whether this is a `--quick` run (tiny measured sizes, set A modelled). */
  quick: boolean;
  /** The virtual-time model's table (sets A and, in a full run, B). */
  model: ModelTable;
  /** The kernel's rows joined to the model's and the measured runs. */
  rows: KernelRow[];
  /** Every measured run of the kernel's workload. */
  measured: MeasuredRun[];
  /** Threads one run of the workload creates (repeat × threads). */
  threadsPerRun: number;
  /** Mean seconds of a measured current + rhltable run. */
  finalSeconds: number;
  /** Mean seconds of a measured run without accounting. */
  floorSeconds: number;
  /** Thread start + exit beside few and many live tasks (rhltable), ns. */
  perThread: { loTasks: number; hiTasks: number; lo: number; hi: number };
  /** The engine against the practical minimum, one result per process. */
  minimum: EngineVsMinimumResult[];
  /** Interleaved rounds in each of those processes. */
  minimumRounds: number;
  /** Bytes per live task breakpoint. */
  memory: MemoryResult;
}

/** The processes' ratios to the practical minimum, ascending. */
function sortedRatios(minimum: readonly EngineVsMinimumResult[]): number[] {
  return minimum.map((r) => r.ratio).sort((a, b) => a - b);
}

/** The median of the processes' ratios to the practical minimum. */
export function minimumRatio(
  minimum: readonly EngineVsMinimumResult[],
): number {
  const ratios = sortedRatios(minimum);
  return ratios[(ratios.length - 1) >> 1]!;
}

/** The targets the bench judges, from the kernel's and the issues' figures. */
export function closingTargets(inputs: ClosingInputs): Target[] {
  const { model, rows, perThread } = inputs;
  const modelled = (stage: string, set = "A"): number =>
    rows.find((r) => r.stage === stage && r.set === set)!.modelSeconds;
  const step = (name: string, set: string) =>
    model.steps.find((s) => s.step === name && s.set === set);
  const targets: Target[] = [
    target(
      "list+legacy+mutex ÷ final (modelled, A)",
      modelled("v5.19") / modelled("v6.1"),
      236.418 / 0.067,
      ">=",
      500,
    ),
    target(
      "final ÷ accounting disabled (modelled, A)",
      modelled("v6.1") / modelled("disabled"),
      1,
      "<=",
      1.1,
    ),
    within(
      "locking: mutex ÷ rwsem (modelled, A)",
      modelled("patch05-10") / modelled("patch11"),
      2.7,
      2,
    ),
    reported(
      "the seed: list ÷ rhltable (modelled, A)",
      modelled("v5.19") / modelled("patch04"),
      1135,
    ),
  ];
  if (step("histograms (patches 12-14)", "B") !== undefined) {
    const b = step("histograms (patches 12-14)", "B")!;
    targets.push(
      reported("patches 12-14 (modelled, B)", b.modelRatio, b.kernelRatio),
      reported(
        "final ÷ disabled (modelled, B)",
        modelled("v6.1", "B") / modelled("disabled", "B"),
        null,
      ),
    );
  }
  targets.push(
    target(
      "engine ÷ practical minimum (measured)",
      minimumRatio(inputs.minimum),
      null,
      "<=",
      2.5,
    ),
    target(
      `rhltable per thread, ${perThread.hiTasks} / ${perThread.loTasks} tasks`,
      perThread.hi / perThread.lo,
      null,
      "<=",
      1.3,
      true,
    ),
    reported(
      "final ÷ no accounting (measured)†",
      inputs.finalSeconds / inputs.floorSeconds,
      1,
      true,
    ),
  );
  return targets;
}

/** Prints the kernel's table, the minimum, the measured runs and the targets. */
export function printClosing(
  out: Progress,
  inputs: ClosingInputs,
  targets: readonly Target[],
): void {
  const measuredHeader = "measured";
  out.heading("## The kernel's table, modelled (256 CPUs)");
  out.line(
    "kernel: totals from the commit messages of the series (256 CPUs); * marks the two",
  );
  out.line(
    "rows that are the model's inputs, every other kernel figure is predicted. modelled:",
  );
  out.line(
    `the virtual-time model of @hwbp/sim (64+ spawners on their own CPUs, locks simulated,`,
  );
  out.line(
    `deterministic, seed ${inputs.model.seed}), costs calibrated on this machine (deno task calibrate).`,
  );
  out.line(
    inputs.quick
      ? "measured: part 1's means, --quick's tiny workload, one JS thread, wall clock: not"
      : "measured: part 1's means (part 2's for v5.19), one JS thread, wall clock: not",
  );
  out.line(
    "the kernel's parallel machine, so not comparable. Ratios: to each column's v6.1 row.",
  );
  out.line();
  out.line("Set A: perf bench -r 30 breakpoint thread -b 4 -p 64 -t 64");
  out.line(kernelTable(inputs.rows, "A", measuredHeader));
  if (inputs.model.rows.some((r) => r.set === "B")) {
    out.line();
    out.line("Set B: perf bench -r 100 breakpoint thread -b 4 -p 128 -t 512");
    out.line(kernelTable(inputs.rows, "B", measuredHeader));
  } else {
    out.line();
    out.line(
      "Set B (-r 100 -b 4 -p 128 -t 512) is modelled in the full run only (~25 s).",
    );
  }
  out.line();
  out.line("Steps of the series, the kernel's beside the model's (modelled):");
  out.line(stepTable(inputs.model.steps));
  out.line();
  const spread = (xs: readonly number[]): string =>
    xs.length === 1 ? "" : ` (min ${ratio(xs[0]!)}, max ${ratio(xs.at(-1)!)})`;
  out.line(
    `The engine against the practical minimum (measured, ${inputs.minimum.length} fresh process(es),`,
  );
  out.line(
    `each ${inputs.minimumRounds} interleaved rounds, wall clock, GC included), set A on 256 CPUs:`,
  );
  out.line(
    `  engine (current + rhltable) ${
      inputs.minimum[0]!.engineNsPerPair.toFixed(1)
    } ns, ` +
      `minimum ${
        inputs.minimum[0]!.minimumNsPerPair.toFixed(1)
      } ns per reserve + release;`,
  );
  out.line(
    `  ratio ${
      ratio(minimumRatio(inputs.minimum))
    }, median of the processes' median per-round ratios${
      spread(sortedRatios(inputs.minimum))
    }`,
  );
  out.line(
    `Memory (measured, heap + external after a full GC, ${
      count(inputs.memory.live)
    } live task breakpoints, ${inputs.memory.perTask} a task):`,
  );
  out.line(
    `  engine + rhltable ${
      inputs.memory.engineBytes.toFixed(1)
    } B each, handles included; ` +
      `minimum ${inputs.memory.minimumWithRecordsBytes.toFixed(1)} B`,
  );
  out.line(
    `  with a { task, pool, weight } record per breakpoint (${
      inputs.memory.minimumBytes.toFixed(1)
    } B without)`,
  );
  out.line();
  out.line(
    `Every measured run (one JS thread, wall clock; mitata samples or whole runs), ${inputs.threadsPerRun} threads a run:`,
  );
  out.line(measuredTable(inputs.measured, inputs.threadsPerRun));
  out.heading("## Targets");
  out.line(targetTable(targets, inputs.quick));
  out.line(
    "† one JS thread, wall clock, not comparable to the kernel's parallel floor: with",
  );
  out.line(
    "no threads to create, every accounting step shows; the model answers the kernel.",
  );
}
