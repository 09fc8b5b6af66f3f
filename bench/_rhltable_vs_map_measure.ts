/**
 * The measurements behind `bench/rhltable_vs_map.ts`: the structures under
 * test, the interleaved timing of their operations, the growth latencies
 * and the heap weights. That file documents what each figure means.
 *
 * @module
 */

import { median } from "./_median.ts";

export { median };
import { createTaskBreakpoint } from "@hwbp/core";
import { RhlTable, RhlTableTaskIndex } from "@hwbp/rhltable";
import { MultiMap } from "mnemonist";
import process from "node:process";
import type {
  RhlVsMapImpl,
  RhlVsMapLatency,
  RhlVsMapMemory,
  RhlVsMapOp,
  RhlVsMapOpName,
  RhlVsMapResult,
} from "./rhltable_vs_map.ts";

/** A stored value, as a task breakpoint would be. */
interface Item {
  readonly id: number;
}

/** Keys looked up by the lookup benches: enough to defeat the caches. */
const PROBES = 1 << 16;
/** Keys the "reused keys" regime cycles through. */
const REUSED = 4096;
/** Operations per timed batch. */
const LOOKUP_BATCH = 1 << 16;
const PAIR_BATCH = 1 << 14;
/** Runs of the growth measurement, per structure. */
const GROWTH_RUNS = 3;
/**
 * Timed rounds per size by default. At 1,024 keys a lookup batch lasts
 * about 1.3 ms, and with the old 7 rounds the median ratio of one process
 * swung from 0.86 to 1.24 (RhlTable ÷ Map, 15 processes): V8's tier-up of
 * the batch functions and the GC work left by the insert+remove batches
 * (counted in this process's CPU time, background threads included) land
 * on a few rounds, and 7 rounds let them move the median. With 41 the
 * same processes agree within ±5%, enough to decide a 10% target, for
 * some 3 seconds more at 1,048,576 keys.
 */
export const DEFAULT_ROUNDS = 41;
/** Untimed rounds first, for V8 to compile every batch function. */
const WARMUP_ROUNDS = 3;

/** Results fold into this, so that no timed work is dead code. */
export let sink = 0;

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

/** Pseudo-random keys below `keys`, the same for every structure. */
function probes(keys: number): Uint32Array {
  const out = new Uint32Array(PROBES);
  let state = 0x9e3779b9;
  for (let i = 0; i < PROBES; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state % keys;
  }
  return out;
}

/**
 * One structure under test: a batch of each operation, each its own
 * function so that V8's type feedback stays with one structure.
 */
interface Subject {
  readonly impl: RhlVsMapImpl;
  lookups(probe: Uint32Array, from: number): void;
  pairs(first: number, mask: number): void;
}

function rhlSubject(keys: number, values: Item[]): Subject {
  const table = new RhlTable<number, Item>({ seed: 0x5eed });
  for (const value of values) {
    for (let key = 0; key < keys; key++) table.insert(key, value);
  }
  const extra: Item = { id: -1 };
  return {
    impl: "RhlTable",
    lookups(probe, from) {
      let sum = 0;
      for (let n = 0; n < LOOKUP_BATCH; n++) {
        const key = probe[(from + n) & (PROBES - 1)]!;
        for (let node = table.lookup(key); node !== null; node = node.next) {
          sum += node.value.id;
        }
      }
      sink += sum;
    },
    pairs(first, mask) {
      for (let n = 0; n < PAIR_BATCH; n++) {
        const key = keys + ((first + n) & mask);
        table.insert(key, extra);
        if (!table.remove(key, extra)) sink++;
      }
    },
  };
}

function mapSubject(keys: number, values: Item[]): Subject {
  const map = new Map<number, Item[]>();
  for (const value of values) {
    for (let key = 0; key < keys; key++) mapInsert(map, key, value);
  }
  const extra: Item = { id: -1 };
  return {
    impl: "Map",
    lookups(probe, from) {
      let sum = 0;
      for (let n = 0; n < LOOKUP_BATCH; n++) {
        const list = map.get(probe[(from + n) & (PROBES - 1)]!);
        if (list === undefined) continue;
        for (let j = list.length - 1; j >= 0; j--) sum += list[j]!.id;
      }
      sink += sum;
    },
    pairs(first, mask) {
      for (let n = 0; n < PAIR_BATCH; n++) {
        const key = keys + ((first + n) & mask);
        mapInsert(map, key, extra);
        if (!mapRemove(map, key, extra)) sink++;
      }
    },
  };
}

function multiMapSubject(keys: number, values: Item[]): Subject {
  const multi = new MultiMap<number, Item>();
  for (const value of values) {
    for (let key = 0; key < keys; key++) multi.set(key, value);
  }
  const extra: Item = { id: -1 };
  return {
    impl: "MultiMap",
    lookups(probe, from) {
      let sum = 0;
      for (let n = 0; n < LOOKUP_BATCH; n++) {
        const list = multi.get(probe[(from + n) & (PROBES - 1)]!);
        if (list === undefined) continue;
        for (let j = list.length - 1; j >= 0; j--) sum += list[j]!.id;
      }
      sink += sum;
    },
    pairs(first, mask) {
      for (let n = 0; n < PAIR_BATCH; n++) {
        const key = keys + ((first + n) & mask);
        multi.set(key, extra);
        if (!multi.remove(key, extra)) sink++;
      }
    },
  };
}

/** CPU time of this process, user + system, in milliseconds. */
function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Times one size: every operation of every structure, interleaved. */
export function measureSize(keys: number, rounds: number): RhlVsMapOp[] {
  const values = items(2);
  const subjects = [
    rhlSubject(keys, values),
    mapSubject(keys, values),
    multiMapSubject(keys, values),
  ];
  const probe = probes(keys);
  const ops: RhlVsMapOpName[] = [
    "lookup+iterate",
    "insert+remove fresh keys",
    "insert+remove reused keys",
  ];
  // times[op][subject][round], ns per operation
  const times = ops.map(() => subjects.map((): number[] => []));
  // Fresh keys never repeat: one counter per structure, only ever growing.
  const fresh = subjects.map(() => 0);
  for (let round = 0; round < WARMUP_ROUNDS + rounds; round++) {
    for (let k = 0; k < subjects.length; k++) {
      const s = (round + k) % subjects.length;
      const subject = subjects[s]!;
      for (let o = 0; o < ops.length; o++) {
        const t0 = cpuMs();
        let count: number;
        if (o === 0) {
          subject.lookups(probe, round * LOOKUP_BATCH);
          count = LOOKUP_BATCH;
        } else if (o === 1) {
          subject.pairs(fresh[s]!, 0x3fffffff);
          fresh[s] = fresh[s]! + PAIR_BATCH;
          count = PAIR_BATCH;
        } else {
          subject.pairs(round * PAIR_BATCH, REUSED - 1);
          count = PAIR_BATCH;
        }
        const ns = (cpuMs() - t0) * 1e6 / count;
        if (round >= WARMUP_ROUNDS) times[o]![s]!.push(ns);
      }
    }
  }
  const out: RhlVsMapOp[] = [];
  for (let o = 0; o < ops.length; o++) {
    const base = times[o]![0]!;
    for (let s = 0; s < subjects.length; s++) {
      const own = times[o]![s]!;
      out.push({
        impl: subjects[s]!.impl,
        op: ops[o]!,
        keys,
        medianNs: median(own),
        minNs: Math.min(...own),
        maxNs: Math.max(...own),
        timeVsRhlTable: median(own.map((t, r) => t / base[r]!)),
      });
    }
  }
  return out;
}

export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return false;
  gc();
  gc();
  return true;
}

/**
 * Inserts `values.length` keys into an empty structure, timing each: its
 * duration into `samples`, its start (`performance.now()`) into `starts`,
 * so that a slow insert can be matched with V8's `--trace-gc` events.
 */
type Grower = (
  values: readonly Item[],
  samples: Float64Array,
  starts: Float64Array,
) => void;

function growRhlTable(
  values: readonly Item[],
  samples: Float64Array,
  starts: Float64Array,
): void {
  const table = new RhlTable<number, Item>({ seed: 0x5eed });
  for (let key = 0; key < values.length; key++) {
    const value = values[key]!;
    const t0 = performance.now();
    table.insert(key, value);
    samples[key] = performance.now() - t0;
    starts[key] = t0;
  }
  sink += table.size;
}

function growMap(
  values: readonly Item[],
  samples: Float64Array,
  starts: Float64Array,
): void {
  const map = new Map<number, Item[]>();
  for (let key = 0; key < values.length; key++) {
    const value = values[key]!;
    const t0 = performance.now();
    mapInsert(map, key, value);
    samples[key] = performance.now() - t0;
    starts[key] = t0;
  }
  sink += map.size;
}

/** The index of the largest sample. */
function argmax(samples: Float64Array): number {
  let at = 0;
  for (let i = 1; i < samples.length; i++) {
    if (samples[i]! > samples[at]!) at = i;
  }
  return at;
}

export function measureGrowth(keys: number): RhlVsMapResult["growth"] {
  const values = items(keys);
  const growers: [RhlVsMapLatency["impl"], Grower][] = [
    ["RhlTable", growRhlTable],
    ["Map", growMap],
  ];
  const perImpl = growers.map(() => ({
    fastest: new Float64Array(keys).fill(Infinity),
    rawMaxUs: [] as number[],
    rawP999Us: [] as number[],
    totals: [] as number[],
    runStartMs: [] as number[],
    worstAtMs: [] as number[],
    worstAtKey: [] as number[],
  }));
  const samples = new Float64Array(keys);
  const starts = new Float64Array(keys);
  for (let run = 0; run < GROWTH_RUNS; run++) {
    for (let g = 0; g < growers.length; g++) {
      const acc = perImpl[g]!;
      collectGarbage();
      const start = performance.now();
      acc.runStartMs.push(start);
      growers[g]![1](values, samples, starts);
      acc.totals.push(performance.now() - start);
      const worst = argmax(samples);
      acc.worstAtMs.push(starts[worst]!);
      acc.worstAtKey.push(worst);
      acc.rawMaxUs.push(samples[worst]! * 1000);
      const sorted = samples.slice().sort();
      acc.rawP999Us.push(sorted[Math.floor(keys * 0.999)]! * 1000);
      const fastest = acc.fastest;
      for (let i = 0; i < keys; i++) {
        if (samples[i]! < fastest[i]!) fastest[i] = samples[i]!;
      }
    }
  }
  const latency = (g: number): RhlVsMapLatency => {
    const acc = perImpl[g]!;
    const sorted = acc.fastest.slice().sort();
    return {
      impl: growers[g]![0],
      keys,
      runs: GROWTH_RUNS,
      totalMs: median(acc.totals),
      rawMaxUs: acc.rawMaxUs,
      rawP999Us: acc.rawP999Us,
      runStartMs: acc.runStartMs,
      worstAtMs: acc.worstAtMs,
      worstAtKey: acc.worstAtKey,
      fastestOfRunsMaxUs: sorted[keys - 1]! * 1000,
      fastestOfRunsP999Us: sorted[Math.floor(keys * 0.999)]! * 1000,
    };
  };
  const rhltable = latency(0);
  const map = latency(1);
  return {
    rhltable,
    map,
    worstRatioPerRun: rhltable.rawMaxUs.map((us, i) => us / map.rawMaxUs[i]!),
  };
}

/**
 * Heap used plus external memory: typed arrays (the task index's buckets
 * and nodes) keep their contents outside the heap.
 */
function memoryInUse(): number {
  const usage = Deno.memoryUsage();
  return usage.heapUsed + usage.external;
}

/** Bytes per entry of what `build` returns, in the heap or outside it. */
function bytesPerEntry(entries: number, build: () => unknown): number {
  collectGarbage();
  const before = memoryInUse();
  const built = build();
  collectGarbage();
  const after = memoryInUse();
  sink += built === null ? 1 : 0;
  return (after - before) / entries;
}

export function measureMemory(entries: number): RhlVsMapMemory {
  // The values exist before any structure is built, so that the heap
  // deltas do not include them.
  const values = items(entries);
  const breakpoints = Array.from(
    { length: entries },
    (_, task) => createTaskBreakpoint({ task }),
  );
  const gcExposed = collectGarbage();
  return {
    entries,
    gcExposed,
    rhltableBytesPerEntry: bytesPerEntry(entries, () => {
      const table = new RhlTable<number, Item>({ seed: 0x5eed });
      for (let key = 0; key < entries; key++) table.insert(key, values[key]!);
      return table;
    }),
    mapBytesPerEntry: bytesPerEntry(entries, () => {
      const map = new Map<number, Item[]>();
      for (let key = 0; key < entries; key++) mapInsert(map, key, values[key]!);
      return map;
    }),
    multimapBytesPerEntry: bytesPerEntry(entries, () => {
      const multi = new MultiMap<number, Item>();
      for (let key = 0; key < entries; key++) multi.set(key, values[key]!);
      return multi;
    }),
    taskIndexBytesPerBreakpoint: bytesPerEntry(entries, () => {
      const index = new RhlTableTaskIndex({ seed: 0x5eed });
      for (const bp of breakpoints) index.insert(bp);
      return index;
    }),
  };
}
