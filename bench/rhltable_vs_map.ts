/**
 * `RhlTable` against the obvious JavaScript multimap, a `Map<number, V[]>`:
 *
 * - per-operation time of a lookup that walks a key's values, and of an
 *   insert plus remove of a new key, at 1,024, 65,536 and 1,048,576 keys
 *   (mitata, two values per key);
 * - the slowest single insert while growing from empty to 1,048,576 keys,
 *   each insert timed with `performance.now()`, three runs: the `Map`
 *   rehashes itself all at once when it grows, the `RhlTable` never does;
 * - heap bytes per entry at 1,048,576 entries, one value per key.
 *
 * ```sh
 * deno run --allow-env --allow-sys --v8-flags=--expose-gc bench/rhltable_vs_map.ts [--quick]
 * ```
 *
 * `--quick` stops at 65,536 keys. `runRhlTableVsMap()` returns the same
 * numbers as plain JSON for `bench/main.ts`.
 *
 * @module
 */

import { RhlTable } from "@hwbp/rhltable";
import { bench, do_not_optimize, lineplot, run, summary } from "mitata";

/** Options of {@linkcode runRhlTableVsMap}. */
export interface RhlVsMapOptions {
  /** Stop at 65,536 keys instead of 1,048,576. Default `false`. */
  quick?: boolean;
}

/** One mitata measurement. */
export interface RhlVsMapOp {
  /** The multimap measured. */
  impl: "RhlTable" | "Map";
  /** What one iteration does. */
  op: "lookup+iterate" | "insert+remove";
  /** Distinct keys in the multimap (two values each). */
  keys: number;
  /** Mean time of one iteration, in nanoseconds. */
  avgNs: number;
  /** 99th percentile of the iteration time, in nanoseconds. */
  p99Ns: number;
}

/**
 * Single-insert latencies while growing from empty, over several runs.
 * A garbage collection pause lands on whichever insert happens to trigger
 * it, and rarely on the same one twice, while a resize stall lands on the
 * same insert every run; so `maxUs` and `p999Us` are taken over each
 * insert's fastest time across the runs, and `rawMaxUs` is the slowest
 * sample of any run, pauses included.
 */
export interface RhlVsMapLatency {
  /** Keys inserted, one value each. */
  keys: number;
  /** Runs, each from an empty multimap. */
  runs: number;
  /** Median time of a whole run, in milliseconds. */
  totalMs: number;
  /** The slowest insert, each insert at its fastest run, in microseconds. */
  maxUs: number;
  /** 99.9th percentile, each insert at its fastest run, in microseconds. */
  p999Us: number;
  /** The slowest insert of any run, in microseconds. */
  rawMaxUs: number;
}

/** The results of {@linkcode runRhlTableVsMap}, as plain JSON. */
export interface RhlVsMapResult {
  /** Whether this was a `quick` run. */
  quick: boolean;
  /** Key counts of the per-operation measurements. */
  sizes: number[];
  /** Per-operation times. */
  ops: RhlVsMapOp[];
  /** Growth from empty, insert by insert. */
  growth: { rhltable: RhlVsMapLatency; map: RhlVsMapLatency };
  /** Heap bytes per entry at `entries` entries, one value per key. */
  memory: {
    entries: number;
    /** Whether `gc()` was exposed (`--v8-flags=--expose-gc`). */
    gcExposed: boolean;
    rhltableBytesPerEntry: number;
    mapBytesPerEntry: number;
  };
}

/** A stored value, as a task breakpoint would be. */
interface Item {
  readonly id: number;
}

/** What mitata hands a generator bench: its current arguments. */
interface BenchState {
  get(name: string): unknown;
}

const PROBES = 4096;

function items(count: number): Item[] {
  const out: Item[] = [];
  for (let id = 0; id < count; id++) out.push({ id });
  return out;
}

function mapInsert(map: Map<number, Item[]>, key: number, item: Item): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [item]);
  else list.push(item);
}

/** Removes the newest `item` of `key`, as `RhlTable.remove()` does. */
function mapRemove(map: Map<number, Item[]>, key: number, item: Item): boolean {
  const list = map.get(key);
  if (list === undefined) return false;
  const at = list.lastIndexOf(item);
  if (at < 0) return false;
  if (list.length === 1) map.delete(key);
  else list.splice(at, 1);
  return true;
}

/** Keys 0..keys-1 with `perKey` values each. */
function buildTable(keys: number, perKey: number): RhlTable<number, Item> {
  const table = new RhlTable<number, Item>({ seed: 0x5eed });
  const values = items(perKey);
  for (let v = 0; v < perKey; v++) {
    for (let key = 0; key < keys; key++) table.insert(key, values[v]!);
  }
  return table;
}

function buildMap(keys: number, perKey: number): Map<number, Item[]> {
  const map = new Map<number, Item[]>();
  const values = items(perKey);
  for (let v = 0; v < perKey; v++) {
    for (let key = 0; key < keys; key++) mapInsert(map, key, values[v]!);
  }
  return map;
}

/** Pseudo-random keys below `keys`, the same for every run. */
function probes(keys: number): Uint32Array {
  const out = new Uint32Array(PROBES);
  let state = 0x9e3779b9;
  for (let i = 0; i < PROBES; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state % keys;
  }
  return out;
}

function registerBenches(sizes: readonly number[]): void {
  const lo = sizes[0]!;
  const hi = sizes[sizes.length - 1]!;
  summary(() => {
    lineplot(() => {
      bench("RhlTable lookup+iterate", function* (state: BenchState) {
        const keys = state.get("keys") as number;
        const table = buildTable(keys, 2);
        const keysToFind = probes(keys);
        let i = 0;
        yield () => {
          let sum = 0;
          const key = keysToFind[i++ & (PROBES - 1)]!;
          for (let node = table.lookup(key); node !== null; node = node.next) {
            sum += node.value.id;
          }
          do_not_optimize(sum);
        };
      }).range("keys", lo, hi, 64);

      bench("Map lookup+iterate", function* (state: BenchState) {
        const keys = state.get("keys") as number;
        const map = buildMap(keys, 2);
        const keysToFind = probes(keys);
        let i = 0;
        yield () => {
          let sum = 0;
          const list = map.get(keysToFind[i++ & (PROBES - 1)]!);
          if (list !== undefined) {
            for (let j = list.length - 1; j >= 0; j--) sum += list[j]!.id;
          }
          do_not_optimize(sum);
        };
      }).range("keys", lo, hi, 64);
    });
  });

  summary(() => {
    lineplot(() => {
      // Each iteration adds a key that was absent and removes it again, so
      // the multimap keeps its size and no resize threshold is crossed.
      bench("RhlTable insert+remove", function* (state: BenchState) {
        const keys = state.get("keys") as number;
        const table = buildTable(keys, 2);
        const item: Item = { id: -1 };
        let i = 0;
        yield () => {
          const key = keys + (i++ & (PROBES - 1));
          table.insert(key, item);
          do_not_optimize(table.remove(key, item));
        };
      }).range("keys", lo, hi, 64);

      bench("Map insert+remove", function* (state: BenchState) {
        const keys = state.get("keys") as number;
        const map = buildMap(keys, 2);
        const item: Item = { id: -1 };
        let i = 0;
        yield () => {
          const key = keys + (i++ & (PROBES - 1));
          mapInsert(map, key, item);
          do_not_optimize(mapRemove(map, key, item));
        };
      }).range("keys", lo, hi, 64);
    });
  });
}

const BENCH_NAMES: Record<string, Pick<RhlVsMapOp, "impl" | "op">> = {
  "RhlTable lookup+iterate": { impl: "RhlTable", op: "lookup+iterate" },
  "Map lookup+iterate": { impl: "Map", op: "lookup+iterate" },
  "RhlTable insert+remove": { impl: "RhlTable", op: "insert+remove" },
  "Map insert+remove": { impl: "Map", op: "insert+remove" },
};

function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return false;
  gc();
  gc();
  return true;
}

/** Runs of the growth measurement. */
const GROWTH_RUNS = 3;

function summarize(
  fastest: Float64Array,
  rawMaxMs: number,
  totalsMs: number[],
): RhlVsMapLatency {
  const sorted = fastest.slice().sort();
  const totals = totalsMs.slice().sort((a, b) => a - b);
  return {
    keys: fastest.length,
    runs: totals.length,
    totalMs: totals[totals.length >> 1]!,
    maxUs: sorted[sorted.length - 1]! * 1000,
    p999Us: sorted[Math.floor(sorted.length * 0.999)]! * 1000,
    rawMaxUs: rawMaxMs * 1000,
  };
}

/** Times every insert of `keys` new keys into an empty `RhlTable`. */
function growTable(keys: number, values: readonly Item[]): RhlVsMapLatency {
  const fastest = new Float64Array(keys).fill(Infinity);
  const totals: number[] = [];
  let rawMax = 0;
  for (let run = 0; run < GROWTH_RUNS; run++) {
    collectGarbage();
    const table = new RhlTable<number, Item>({ seed: 0x5eed });
    const start = performance.now();
    for (let key = 0; key < keys; key++) {
      const value = values[key]!;
      const t0 = performance.now();
      table.insert(key, value);
      const dt = performance.now() - t0;
      if (dt < fastest[key]!) fastest[key] = dt;
      if (dt > rawMax) rawMax = dt;
    }
    totals.push(performance.now() - start);
    do_not_optimize(table);
  }
  return summarize(fastest, rawMax, totals);
}

/** Times every insert of `keys` new keys into an empty `Map` multimap. */
function growMap(keys: number, values: readonly Item[]): RhlVsMapLatency {
  const fastest = new Float64Array(keys).fill(Infinity);
  const totals: number[] = [];
  let rawMax = 0;
  for (let run = 0; run < GROWTH_RUNS; run++) {
    collectGarbage();
    const map = new Map<number, Item[]>();
    const start = performance.now();
    for (let key = 0; key < keys; key++) {
      const value = values[key]!;
      const t0 = performance.now();
      mapInsert(map, key, value);
      const dt = performance.now() - t0;
      if (dt < fastest[key]!) fastest[key] = dt;
      if (dt > rawMax) rawMax = dt;
    }
    totals.push(performance.now() - start);
    do_not_optimize(map);
  }
  return summarize(fastest, rawMax, totals);
}

/** Heap bytes per entry of what `build` returns, values excluded. */
function bytesPerEntry(entries: number, build: () => unknown): number {
  collectGarbage();
  const before = Deno.memoryUsage().heapUsed;
  const built = build();
  collectGarbage();
  const after = Deno.memoryUsage().heapUsed;
  do_not_optimize(built);
  return (after - before) / entries;
}

async function measure(
  quick: boolean,
  format: "quiet" | "mitata",
): Promise<RhlVsMapResult> {
  const sizes = quick ? [1 << 10, 1 << 16] : [1 << 10, 1 << 16, 1 << 20];
  const top = sizes[sizes.length - 1]!;

  registerBenches(sizes);
  const report = await run({ format, throw: true });
  const ops: RhlVsMapOp[] = [];
  for (const trial of report.benchmarks) {
    const names = BENCH_NAMES[trial.alias];
    if (names === undefined) continue;
    for (const { args, stats } of trial.runs) {
      if (stats === undefined) continue;
      ops.push({
        ...names,
        keys: args.keys as number,
        avgNs: stats.avg,
        p99Ns: stats.p99,
      });
    }
  }

  // The values exist before either structure is built, so that neither the
  // timings nor the heap deltas include them.
  const values = items(top);
  const growth = {
    rhltable: growTable(top, values),
    map: growMap(top, values),
  };

  const gcExposed = collectGarbage();
  const memory = {
    entries: top,
    gcExposed,
    rhltableBytesPerEntry: bytesPerEntry(top, () => {
      const table = new RhlTable<number, Item>({ seed: 0x5eed });
      for (let key = 0; key < top; key++) table.insert(key, values[key]!);
      return table;
    }),
    mapBytesPerEntry: bytesPerEntry(top, () => {
      const map = new Map<number, Item[]>();
      for (let key = 0; key < top; key++) mapInsert(map, key, values[key]!);
      return map;
    }),
  };

  return { quick, sizes, ops, growth, memory };
}

/**
 * Measures `RhlTable` against a `Map<number, V[]>` multimap. Calls mitata's
 * `run()` for its own benches, so call it when no other benches are
 * registered. Takes about a minute; under ten seconds with `quick`.
 *
 * @param options `quick` stops at 65,536 keys.
 * @returns Every measurement, as plain JSON.
 *
 * @example Quick run
 * ```ts ignore
 * import { runRhlTableVsMap } from "./rhltable_vs_map.ts";
 *
 * const result = await runRhlTableVsMap({ quick: true });
 * console.log(result.growth.rhltable.maxUs, result.growth.map.maxUs);
 * ```
 */
export function runRhlTableVsMap(
  options: RhlVsMapOptions = {},
): Promise<RhlVsMapResult> {
  return measure(options.quick ?? false, "quiet");
}

function fixed(x: number, digits: number, width: number): string {
  return x.toFixed(digits).padStart(width);
}

/**
 * Formats a result as a readable table.
 *
 * @param result What {@linkcode runRhlTableVsMap} returned.
 * @returns Lines of text.
 */
export function formatRhlTableVsMap(result: RhlVsMapResult): string {
  const lines: string[] = [];
  lines.push("RhlTable vs Map<number, V[]>, two values per key");
  lines.push(
    "op               keys      RhlTable ns/op   Map ns/op   Map/RhlTable",
  );
  for (const op of ["lookup+iterate", "insert+remove"] as const) {
    for (const keys of result.sizes) {
      const find = (impl: RhlVsMapOp["impl"]) =>
        result.ops.find((o) =>
          o.op === op && o.impl === impl && o.keys === keys
        );
      const rhl = find("RhlTable");
      const map = find("Map");
      if (rhl === undefined || map === undefined) continue;
      lines.push(
        `${op.padEnd(16)} ${String(keys).padStart(8)} ${
          fixed(rhl.avgNs, 1, 16)
        } ${fixed(map.avgNs, 1, 11)} ${fixed(map.avgNs / rhl.avgNs, 2, 14)}`,
      );
    }
  }
  const { rhltable, map } = result.growth;
  lines.push("");
  lines.push(`Growing 0 -> ${rhltable.keys} keys, each insert timed`);
  lines.push(
    `(each insert at its fastest of ${rhltable.runs} runs; raw max includes GC pauses)`,
  );
  lines.push("           total ms    max us   p99.9 us   raw max us");
  for (const [name, g] of [["RhlTable", rhltable], ["Map", map]] as const) {
    lines.push(
      `${name.padEnd(9)} ${fixed(g.totalMs, 1, 9)} ${fixed(g.maxUs, 1, 9)} ${
        fixed(g.p999Us, 2, 10)
      } ${fixed(g.rawMaxUs, 1, 12)}`,
    );
  }
  const memory = result.memory;
  lines.push("");
  lines.push(
    `Heap per entry at ${memory.entries} entries, one value per key${
      memory.gcExposed ? "" : " (no --expose-gc: rough)"
    }: RhlTable ${memory.rhltableBytesPerEntry.toFixed(1)} B, Map ${
      memory.mapBytesPerEntry.toFixed(1)
    } B`,
  );
  return lines.join("\n");
}

/**
 * Runs this comparison in a fresh Deno process and returns its result.
 * `bench/main.ts` uses it so that the engine benchmarks before it, which
 * drive the same RhlTable code with other value types, leave no type
 * feedback behind to slow this one down.
 *
 * @param options `quick` for tiny sizes.
 * @returns Every measurement, as plain JSON.
 */
export async function runRhlTableVsMapIsolated(
  options: RhlVsMapOptions = {},
): Promise<RhlVsMapResult> {
  const args = [
    "run",
    "--allow-env",
    "--allow-sys",
    "--v8-flags=--expose-gc",
    new URL(import.meta.url).pathname,
    "--json",
  ];
  if (options.quick) args.push("--quick");
  const output = await new Deno.Command(Deno.execPath(), {
    args,
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!output.success) {
    throw new Error(
      `RhlTable vs Map benchmark process failed with exit code ${output.code}`,
    );
  }
  return JSON.parse(new TextDecoder().decode(output.stdout)) as RhlVsMapResult;
}

if (import.meta.main) {
  const quick = Deno.args.includes("--quick");
  if (Deno.args.includes("--json")) {
    // Machine-readable, for runRhlTableVsMapIsolated(): stdout holds only
    // the result.
    console.log(JSON.stringify(await measure(quick, "quiet")));
  } else {
    const result = await measure(quick, "mitata");
    console.log();
    console.log(formatRhlTableVsMap(result));
  }
}
