/**
 * `RhlTable` against the obvious JavaScript multimaps: a `Map<number, V[]>`
 * and mnemonist's `MultiMap` (a `Map` of arrays with a tidier API).
 *
 * - Lookup+iterate: find a key and walk its two values, at 1,024, 65,536
 *   and 1,048,576 keys.
 * - Insert+remove in two regimes. Fresh keys: every pair inserts a key the
 *   structure has never seen and removes it again. Reused keys: the pairs
 *   cycle through the same 4,096 absent keys. V8's `Map` (an ordered hash
 *   table) does not unlink a deleted entry: it leaves a hole in its entry
 *   array, still threaded on its bucket's chain, until the table next
 *   rehashes, and a key added again gets a new entry at the end. So with
 *   reused keys each bucket's chain fills with dead entries of the same
 *   keys, every lookup walks them, and `Map` looks several times slower
 *   than it is; with fresh keys the dead entries are spread thin and the
 *   periodic rehash (when the entry array fills) clears them, which is
 *   the cost a long-running program pays. Fresh keys are the honest
 *   comparison; reused keys are shown to explain the old claim.
 * - Latency while growing from empty to 1,048,576 keys, every insert timed
 *   with `performance.now()`: the slowest single insert and the 99.9th
 *   percentile, raw (GC pauses included), per run; beside them, labelled,
 *   each insert's fastest time over the runs, which hides GC pauses (they
 *   rarely hit the same insert twice) and shows resize stalls (which do).
 *   `Map` rehashes all at once when it grows; `RhlTable` never does.
 * - Heap bytes per entry at 1,048,576 keys, one value per key, values
 *   excluded; and the bytes `RhlTableTaskIndex` adds per stored
 *   breakpoint, the breakpoint objects excluded.
 *
 * Timings are interleaved: each round times a batch of every structure in
 * turn (rotating who goes first), and a ratio is taken within a round, so
 * that load from other processes on a noisy machine hits all alike. The
 * first three rounds warm up and are dropped; 41 rounds are timed (see
 * `DEFAULT_ROUNDS` for why that many). Batches are timed in CPU time of
 * this process (user + system, `process.cpuUsage()`), which time spent
 * descheduled on a busy machine does not inflate; the growth latencies are
 * wall-clock times (`performance.now()`), since a pause is a wall-clock
 * cost.
 *
 * ```sh
 * deno run --allow-env --allow-sys --allow-read --allow-run --v8-flags=--expose-gc \
 *   bench/rhltable_vs_map.ts [--quick] [--json] [--processes N] [--rounds N] [--in-process]
 * ```
 *
 * Each part (each size's operations, the growth, the memory) runs in a
 * fresh process of its own (see {@linkcode runRhlTableVsMapIsolated});
 * `--in-process` runs them all in this one. `--quick` stops at 65,536
 * keys; `--json` prints the result ({@linkcode RhlVsMapResult}) as JSON;
 * `--processes N` repeats the whole run N times and prints min, median
 * and max of each ratio over them. {@linkcode runRhlTableVsMap} returns
 * an in-process result as plain JSON.
 *
 * @module
 */

import { positiveInteger, runScript, type ScriptFlags } from "./_args.ts";
import {
  clockOffset,
  type GcPause,
  parseGcTrace,
  pausesDuring,
} from "./_gc_trace.ts";

export type { GcPause };
import {
  collectGarbage,
  DEFAULT_ROUNDS,
  measureGrowth,
  measureMemory,
  measureSize,
  median,
  sink,
} from "./_rhltable_vs_map_measure.ts";

/** Options of {@linkcode runRhlTableVsMap}. */
export interface RhlVsMapOptions {
  /** Stop at 65,536 keys instead of 1,048,576. Default `false`. */
  quick?: boolean;
  /** Timed rounds per size, after three warm-up rounds. Default 41. */
  rounds?: number;
}

/** A multimap measured. */
export type RhlVsMapImpl = "RhlTable" | "Map" | "MultiMap";

/** What one timed operation does. */
export type RhlVsMapOpName =
  | "lookup+iterate"
  | "insert+remove fresh keys"
  | "insert+remove reused keys";

/** One structure's time for one operation at one size, over the rounds. */
export interface RhlVsMapOp {
  /** The multimap measured. */
  impl: RhlVsMapImpl;
  /** The operation. */
  op: RhlVsMapOpName;
  /** Distinct keys in the multimap (two values each). */
  keys: number;
  /** Median over the rounds of the mean CPU time per operation, in ns. */
  medianNs: number;
  /** Fastest round's mean time per operation, in ns. */
  minNs: number;
  /** Slowest round's mean time per operation, in ns. */
  maxNs: number;
  /**
   * Median over the rounds of this structure's time divided by
   * `RhlTable`'s in the same round: below 1 means faster than `RhlTable`.
   */
  timeVsRhlTable: number;
}

/**
 * Single-insert latencies of one structure while growing from empty, over
 * several runs. Raw figures include garbage collection pauses.
 */
export interface RhlVsMapLatency {
  /** The multimap measured. */
  impl: "RhlTable" | "Map";
  /** Keys inserted per run, one value each. */
  keys: number;
  /** Runs, each from an empty multimap, interleaved with the other's. */
  runs: number;
  /** Median time of a whole run, in milliseconds. */
  totalMs: number;
  /** Slowest single insert of each run, raw (GC included), in µs. */
  rawMaxUs: number[];
  /** 99.9th percentile of each run's inserts, raw (GC included), in µs. */
  rawP999Us: number[];
  /** When each run started (`performance.now()`, ms), just after a full GC. */
  runStartMs: number[];
  /** When each run's slowest insert started (`performance.now()`, ms). */
  worstAtMs: number[];
  /** Each run's slowest insert: the keys already in the structure. */
  worstAtKey: number[];
  /**
   * The slowest insert when each insert counts at its fastest over the
   * runs (hides GC pauses, keeps resize stalls), in µs. Not a raw figure.
   */
  fastestOfRunsMaxUs: number;
  /** The 99.9th percentile of the same fastest-of-runs times, in µs. */
  fastestOfRunsP999Us: number;
}

/**
 * Bytes per entry, heap used plus external memory (typed arrays) from
 * `Deno.memoryUsage()` after `gc()`.
 */
export interface RhlVsMapMemory {
  /** Keys (one value each) or breakpoints stored. */
  entries: number;
  /** Whether `gc()` was exposed (`--v8-flags=--expose-gc`); else rough. */
  gcExposed: boolean;
  /** `RhlTable<number, V>`, per key with one value. */
  rhltableBytesPerEntry: number;
  /** `Map<number, V[]>`, per key with one value. */
  mapBytesPerEntry: number;
  /** mnemonist `MultiMap<number, V>`, per key with one value. */
  multimapBytesPerEntry: number;
  /**
   * `RhlTableTaskIndex`, per stored breakpoint (one per task), the
   * breakpoint objects themselves excluded.
   */
  taskIndexBytesPerBreakpoint: number;
}

/** The results of {@linkcode runRhlTableVsMap}, as plain JSON. */
export interface RhlVsMapResult {
  /** Whether this was a `quick` run. */
  quick: boolean;
  /** Key counts of the per-operation measurements. */
  sizes: number[];
  /** Timed rounds per size (after three warm-up rounds). */
  rounds: number;
  /** Per-operation times, every structure, operation and size. */
  ops: RhlVsMapOp[];
  /** Growth from empty, insert by insert. */
  growth: {
    rhltable: RhlVsMapLatency;
    map: RhlVsMapLatency;
    /**
     * `RhlTable`'s slowest raw insert over `Map`'s, run by run (paired in
     * the order they ran): below 0.2 meets "one fifth of Map's worst".
     */
    worstRatioPerRun: number[];
    /**
     * V8's GC pauses (`--trace-gc`) that overlap each run's slowest insert,
     * and the longest young-generation pause of the part; only when the
     * growth ran in a process of its own.
     */
    gc?: {
      rhltable: GcPause[][];
      map: GcPause[][];
      /** Per run, its longest scavenge (young-generation GC), in ms. */
      longestScavengeMs: { rhltable: number[]; map: number[] };
    };
  };
  /** Heap bytes per entry. */
  memory: RhlVsMapMemory;
}

/** The key counts of a run. */
function sizesOf(quick: boolean): number[] {
  return quick ? [1 << 10, 1 << 16] : [1 << 10, 1 << 16, 1 << 20];
}

/**
 * One part of a run, as a fresh process does it (`--part=`): `ops:N`
 * times every operation at N keys, `growth:N` grows to N keys, `memory:N`
 * weighs N entries.
 */
function measurePart(part: string, rounds: number): unknown {
  const [kind, count] = part.split(":");
  const keys = Number(count);
  if (!Number.isInteger(keys) || keys < 1) {
    throw new RangeError(`Cannot run part ${JSON.stringify(part)}: bad size`);
  }
  switch (kind) {
    case "ops":
      return measureSize(keys, rounds);
    case "growth":
      return measureGrowth(keys);
    case "memory":
      return measureMemory(keys);
    default:
      throw new RangeError(`Cannot run part ${JSON.stringify(part)}`);
  }
}

function measure(quick: boolean, rounds: number): RhlVsMapResult {
  const sizes = sizesOf(quick);
  const top = sizes[sizes.length - 1]!;
  const ops: RhlVsMapOp[] = [];
  for (const keys of sizes) {
    ops.push(...measureSize(keys, rounds));
    collectGarbage();
  }
  const growth = measureGrowth(top);
  collectGarbage();
  const memory = measureMemory(top);
  return { quick, sizes, rounds, ops, growth, memory };
}

/**
 * Measures `RhlTable` against `Map<number, V[]>` and mnemonist's
 * `MultiMap`, in this process. Takes about a minute; seconds with
 * `quick`. Run it with `--v8-flags=--expose-gc` for exact heap figures.
 *
 * @param options `quick` stops at 65,536 keys; `rounds` sets the timed
 * rounds per size.
 * @returns Every measurement, as plain JSON.
 *
 * @example Quick run
 * ```ts ignore
 * import { runRhlTableVsMap } from "./rhltable_vs_map.ts";
 *
 * const result = await runRhlTableVsMap({ quick: true });
 * console.log(result.growth.rhltable.rawMaxUs, result.growth.map.rawMaxUs);
 * ```
 */
export function runRhlTableVsMap(
  options: RhlVsMapOptions = {},
): Promise<RhlVsMapResult> {
  return Promise.resolve(
    measure(options.quick ?? false, options.rounds ?? DEFAULT_ROUNDS),
  );
}

function list(xs: readonly number[], digits: number): string {
  return xs.map((x) => x.toFixed(digits)).join(" / ");
}

/**
 * Formats a result as a readable table, with what each figure is.
 *
 * @param result What {@linkcode runRhlTableVsMap} returned.
 * @returns Lines of text.
 */
export function formatRhlTableVsMap(result: RhlVsMapResult): string {
  // Every line fits in 100 columns.
  const lines: string[] = [];
  lines.push(
    `RhlTable vs Map<number, V[]> vs mnemonist MultiMap, two values per key. CPU ns per`,
    `operation: median [min..max] of ${result.rounds} interleaved rounds; x: median of ` +
      "the per-round time ÷ RhlTable's",
    "(below 1 is faster than RhlTable).",
  );
  const ops: RhlVsMapOpName[] = [
    "lookup+iterate",
    "insert+remove fresh keys",
    "insert+remove reused keys",
  ];
  const impls = ["RhlTable", "Map", "MultiMap"] as const;
  for (const op of ops) {
    lines.push("");
    lines.push(op);
    lines.push(
      `${"".padEnd(16)} ${impls.map((impl) => impl.padEnd(26)).join(" ")}`
        .trimEnd(),
    );
    for (const keys of result.sizes) {
      const cells = impls.map((impl) => {
        const m = result.ops.find((o) =>
          o.op === op && o.impl === impl && o.keys === keys
        );
        if (m === undefined) return "".padEnd(26);
        const ratio = impl === "RhlTable"
          ? ""
          : ` ${m.timeVsRhlTable.toFixed(2)}x`;
        return `${m.medianNs.toFixed(1)} [${m.minNs.toFixed(0)}..${
          m.maxNs.toFixed(0)
        }]${ratio}`.padEnd(26);
      });
      lines.push(
        `${`${keys} keys`.padStart(14).padEnd(16)} ${cells.join(" ")}`
          .trimEnd(),
      );
    }
  }
  lines.push(
    "",
    "Reused keys: V8's Map leaves a deleted entry on its bucket's chain until the next rehash,",
    "and re-adding the key appends a new entry, so chains of dead entries of the same 4,096",
    "keys slow every Map lookup; fresh keys show the steady cost.",
  );
  const { rhltable, map, worstRatioPerRun } = result.growth;
  lines.push(
    "",
    `Growing 0 -> ${rhltable.keys} keys, every insert timed (wall clock); ` +
      `${rhltable.runs} runs each, interleaved.`,
    "Raw, GC pauses included, run by run: worst single insert and p99.9, µs:",
  );
  for (const g of [rhltable, map]) {
    lines.push(
      `  ${g.impl.padEnd(9)} total ${g.totalMs.toFixed(1)} ms  worst ${
        list(g.rawMaxUs, 0)
      }  p99.9 ${list(g.rawP999Us, 2)}`,
    );
  }
  lines.push(
    `  RhlTable worst ÷ Map worst, raw, per run: ${list(worstRatioPerRun, 3)}`,
  );
  if (result.growth.gc !== undefined) lines.push(...formatGc(result.growth));
  lines.push(
    "Fastest of runs (each insert at its fastest over the runs: hides GC pauses, keeps",
    "resize stalls), not raw:",
  );
  for (const g of [rhltable, map]) {
    lines.push(
      `  ${g.impl.padEnd(9)} worst ${
        g.fastestOfRunsMaxUs.toFixed(1)
      } µs, p99.9 ${g.fastestOfRunsP999Us.toFixed(2)} µs`,
    );
  }
  const memory = result.memory;
  lines.push(
    "",
    `Memory per entry at ${memory.entries} keys, one value each (heap + external)${
      memory.gcExposed ? "" : " (no --expose-gc: rough)"
    }: RhlTable ${memory.rhltableBytesPerEntry.toFixed(1)} B, Map ${
      memory.mapBytesPerEntry.toFixed(1)
    } B,`,
    `MultiMap ${memory.multimapBytesPerEntry.toFixed(1)} B; ` +
      `RhlTableTaskIndex ${
        memory.taskIndexBytesPerBreakpoint.toFixed(1)
      } B per breakpoint (breakpoints excluded)`,
  );
  return lines.join("\n");
}

/**
 * Each run's worst insert beside the GC pauses it overlapped, and the
 * floor those pauses set.
 */
function formatGc(growth: RhlVsMapResult["growth"]): string[] {
  const gc = growth.gc!;
  const lines = [
    "What each worst insert overlapped in V8's GC trace (--trace-gc):",
  ];
  const runs = growth.rhltable.rawMaxUs.length;
  for (let run = 0; run < runs; run++) {
    for (
      const [g, pauses] of [[growth.rhltable, gc.rhltable[run]!], [
        growth.map,
        gc.map[run]!,
      ]] as const
    ) {
      const key = g.worstAtKey[run]!;
      // The longest two, to stay within 100 columns.
      const shown = [...pauses].sort((a, b) => b.pauseMs - a.pauseMs)
        .slice(0, 2);
      const cause = shown.length > 0
        ? shown.map((p) => `${p.kind} ${p.pauseMs.toFixed(1)} ms`).join(", ")
        : `no GC pause${
          g.impl === "Map" && (key & (key - 1)) === 0
            ? " (Map grows its table here)"
            : ""
        }`;
      lines.push(
        `  run ${run + 1}  ${g.impl.padEnd(8)} ${
          (g.rawMaxUs[run]! / 1000).toFixed(1).padStart(5)
        } ms at key ${key.toLocaleString("en-US")}: ${cause}`,
      );
    }
  }
  const ms = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(" / ");
  lines.push(
    "The floor: only inserts allocate in the timed loop, so a run's longest scavenge",
    "lands inside one insert, and no run's worst insert can be shorter. A scavenge copies",
    "every young object still alive, and in a growing table every new node is, until V8",
    "starts allocating them in the old generation (allocation-site pretenuring).",
    `Longest scavenge per run, ms: RhlTable ${
      ms(gc.longestScavengeMs.rhltable)
    }; Map ${ms(gc.longestScavengeMs.map)}`,
  );
  return lines;
}

/** Brackets a part's JSON on its stdout (ASCII's record separator). */
const PART_FRAME = "\u001e";
const GC_FLAGS = "--v8-flags=--expose-gc";
const SELF_ARGS = [
  "run",
  "--allow-env",
  "--allow-sys",
  "--allow-read",
  GC_FLAGS,
];

/**
 * Runs one part in a fresh process and returns its JSON; with `traceGc`,
 * under V8's `--trace-gc` too, and the trace's lines beside it.
 */
async function runPart(
  part: string,
  rounds: number,
  traceGc = false,
): Promise<{ json: unknown; trace: string }> {
  const args = [
    ...SELF_ARGS,
    new URL(import.meta.url).pathname,
    `--part=${part}`,
    `--rounds=${rounds}`,
  ];
  if (traceGc) args[args.indexOf(GC_FLAGS)] = `${GC_FLAGS},--trace-gc`;
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!output.success) {
    throw new Error(
      `RhlTable vs Map benchmark part ${part} failed with exit code ${output.code}`,
    );
  }
  // V8 prints its trace on stdout too, through a buffer that it flushes
  // in blocks, mid-line; the part frames its JSON (see PART_FRAME) so the
  // trace around it joins back exactly.
  const text = new TextDecoder().decode(output.stdout);
  const from = text.indexOf(PART_FRAME);
  const to = text.indexOf(PART_FRAME, from + 1);
  if (from < 0 || to < 0) {
    throw new Error(`RhlTable vs Map benchmark part ${part} printed no result`);
  }
  return {
    json: JSON.parse(text.slice(from + PART_FRAME.length, to)),
    trace: text.slice(0, from) + text.slice(to + PART_FRAME.length),
  };
}

/** Matches each run's slowest insert with the GC pauses it overlapped. */
function attributeWorst(
  growth: RhlVsMapResult["growth"],
  trace: string,
): RhlVsMapResult["growth"]["gc"] {
  const pauses = parseGcTrace(trace);
  const { rhltable, map } = growth;
  // Runs alternate, RhlTable first: the order of their explicit GCs.
  const starts = rhltable.runStartMs.flatMap((ms, i) => [
    ms,
    map.runStartMs[i]!,
  ]);
  const offset = clockOffset(pauses, starts);
  if (offset === null) return undefined;
  const during = (g: RhlVsMapLatency) =>
    g.worstAtMs.map((at, i) =>
      pausesDuring(pauses, offset, at, g.rawMaxUs[i]! / 1000)
    );
  // A run lasts until the next one's explicit GCs: its longest scavenge.
  const longest = (run: number) => {
    const from = starts[run]! + offset;
    const to = run + 1 < starts.length ? starts[run + 1]! + offset : Infinity;
    const young = pauses.filter((p) =>
      p.kind === "Scavenge" && p.endMs >= from && p.endMs < to
    );
    return Math.max(0, ...young.map((p) => p.pauseMs));
  };
  return {
    rhltable: during(rhltable),
    map: during(map),
    longestScavengeMs: {
      rhltable: rhltable.runStartMs.map((_, i) => longest(2 * i)),
      map: map.runStartMs.map((_, i) => longest(2 * i + 1)),
    },
  };
}

/**
 * Runs this comparison with every part in a fresh Deno process of its own
 * (each size's operations, the growth, the memory), and returns the
 * merged result. Within one process, what the earlier parts leave behind
 * skews the later ones: the RhlTable nodes that insert+remove pairs
 * discard are pretenured into the old generation, and the next table's
 * nodes fill the holes they leave, scattered. `bench/main.ts` uses it for
 * the same reason: the engine benchmarks before it drive the same code
 * with other value types.
 *
 * @param options `quick` for tiny sizes; `rounds` per size.
 * @returns Every measurement, as plain JSON.
 */
export async function runRhlTableVsMapIsolated(
  options: RhlVsMapOptions = {},
): Promise<RhlVsMapResult> {
  const quick = options.quick ?? false;
  const rounds = options.rounds ?? DEFAULT_ROUNDS;
  const sizes = sizesOf(quick);
  const top = sizes[sizes.length - 1]!;
  const ops: RhlVsMapOp[] = [];
  for (const keys of sizes) {
    ops.push(...(await runPart(`ops:${keys}`, rounds)).json as RhlVsMapOp[]);
  }
  const traced = await runPart(`growth:${top}`, rounds, true);
  const growth = traced.json as RhlVsMapResult["growth"];
  const gc = attributeWorst(growth, traced.trace);
  if (gc !== undefined) growth.gc = gc;
  const memory = (await runPart(`memory:${top}`, rounds))
    .json as RhlVsMapMemory;
  return { quick, sizes, rounds, ops, growth, memory };
}

/** Min, median and max of each headline ratio over several processes. */
function formatAcrossProcesses(results: readonly RhlVsMapResult[]): string {
  const lines = [
    `Over ${results.length} runs (every part in a fresh process): min / median / max`,
  ];
  const spread = (xs: number[], digits: number) =>
    `${Math.min(...xs).toFixed(digits)} / ${median(xs).toFixed(digits)} / ${
      Math.max(...xs).toFixed(digits)
    }`;
  const first = results[0]!;
  for (const op of first.ops) {
    if (op.impl === "RhlTable") continue;
    const ratios = results.map((r) =>
      r.ops.find((o) =>
        o.impl === op.impl && o.op === op.op && o.keys === op.keys
      )!.timeVsRhlTable
    );
    lines.push(
      `  ${op.op.padEnd(26)} ${String(op.keys).padStart(8)} keys  ${
        op.impl.padEnd(8)
      } time / RhlTable time: ${spread(ratios, 2)}`,
    );
  }
  const worst = results.flatMap((r) => r.growth.worstRatioPerRun);
  lines.push(
    `  worst insert, RhlTable / Map, raw, every run: ${spread(worst, 3)}`,
  );
  lines.push(
    `  worst insert us, RhlTable: ${
      spread(results.flatMap((r) => r.growth.rhltable.rawMaxUs), 0)
    }; Map: ${spread(results.flatMap((r) => r.growth.map.rawMaxUs), 0)}`,
  );
  lines.push(
    `  raw p99.9 us, RhlTable: ${
      spread(results.flatMap((r) => r.growth.rhltable.rawP999Us), 2)
    }; Map: ${spread(results.flatMap((r) => r.growth.map.rawP999Us), 2)}`,
  );
  lines.push(
    `  task index bytes per breakpoint: ${
      spread(results.map((r) => r.memory.taskIndexBytesPerBreakpoint), 1)
    }; RhlTable bytes per entry: ${
      spread(results.map((r) => r.memory.rhltableBytesPerEntry), 1)
    }; Map: ${spread(results.map((r) => r.memory.mapBytesPerEntry), 1)}`,
  );
  return lines.join("\n");
}

/** `--help` of this script. */
const USAGE =
  `Usage: deno run --allow-env --allow-sys --allow-read --allow-run \\
         --v8-flags=--expose-gc bench/rhltable_vs_map.ts [options]

  --processes N   repeat the whole run N times; print min / median / max
  --rounds N      timed rounds per size (default ${DEFAULT_ROUNDS})
  --quick         stop at 65,536 keys
  --in-process    run every part in this process, not each in a fresh one
  --json          print the result as JSON
  -h, --help      print this help`;

/** This script's flags; `--part` is how a run starts each fresh process. */
const FLAGS: ScriptFlags = {
  quick: { type: "boolean" },
  json: { type: "boolean" },
  rounds: { type: "string" },
  part: { type: "string" },
  processes: { type: "string" },
  "in-process": { type: "boolean" },
};

if (import.meta.main) {
  await runScript(USAGE, Deno.args, FLAGS, async (values) => {
    const quick = values.quick === true;
    const json = values.json === true;
    const rounds = positiveInteger("rounds", values.rounds, DEFAULT_ROUNDS);
    const part = values.part;
    if (typeof part === "string") {
      // One part, for runPart(): its JSON, framed.
      const json = JSON.stringify(measurePart(part, rounds));
      Deno.stdout.writeSync(
        new TextEncoder().encode(`${PART_FRAME}${json}${PART_FRAME}`),
      );
    } else if (values.processes !== undefined) {
      const processes = positiveInteger("processes", values.processes, 1);
      const results: RhlVsMapResult[] = [];
      for (let p = 0; p < processes; p++) {
        results.push(await runRhlTableVsMapIsolated({ quick, rounds }));
        console.error(`run ${p + 1} of ${processes} done`);
      }
      console.log(formatAcrossProcesses(results));
      if (json) console.log(JSON.stringify(results));
    } else if (values["in-process"] === true) {
      const result = measure(quick, rounds);
      console.log(json ? JSON.stringify(result) : formatRhlTableVsMap(result));
    } else {
      const result = await runRhlTableVsMapIsolated({ quick, rounds });
      console.log(json ? JSON.stringify(result) : formatRhlTableVsMap(result));
    }
    if (sink === 0.5) console.log("");
  });
}
