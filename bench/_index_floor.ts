/**
 * The floor half of `engine_vs_minimum.ts --floor`: what the engine's index
 * calls alone cost against the practical minimum. Per pair, the engine asks
 * its `RhlTableTaskIndex` for the kernel's work: two lookups and an insert
 * per reserve (`max_bp_pinned_slots()` and `toggle_bp_slot()` each call
 * `task_bp_pinned()`), a remove and a lookup per release. Here those five
 * calls run alone, on the bench's workload, with records made in advance
 * and no engine around them: no engine on top of this index can be faster.
 * Beside them, the other half: the engine over an index that stores
 * nothing and finds nothing, which is what everything but the index
 * costs.
 *
 * @module
 */
import { median } from "./_median.ts";
import { timeRounds } from "./_rounds.ts";
import {
  createTaskBreakpoint,
  type TaskBreakpoint,
  type TaskIndex,
  type TaskIndexWork,
  type TaskVisitor,
} from "@hwbp/core";
import { RhlTableTaskIndex } from "@hwbp/rhltable";
import {
  engineVariant,
  FIRST_THREAD_TASK,
  minimumVariant,
  SET_A,
} from "./_pair_variants.ts";

/** What {@linkcode measureIndexFloor} measured. */
export interface IndexFloorResult {
  /** Median ns per pair of the index's five calls (kernel-faithful table). */
  indexNsPerPair: number;
  /** The same calls with automatic shrinking off: not the kernel's table. */
  noShrinkNsPerPair: number;
  /** Median ns per pair of insert and remove alone (no lookup). */
  insertRemoveNsPerPair: number;
  /** The practical minimum's median ns per pair. */
  minimumNsPerPair: number;
  /** Median per-round ratio: the five calls ÷ the minimum (the floor). */
  ratio: number;
  /** Median per-round ratio without automatic shrinking. */
  noShrinkRatio: number;
  /** Median per-round ratio of insert and remove alone. */
  insertRemoveRatio: number;
  /** Median ns per pair of the engine over an index that does nothing. */
  engineAloneNsPerPair: number;
  /** Median per-round ratio of the engine over that index ÷ the minimum. */
  engineAloneRatio: number;
  /** Measured rounds. */
  rounds: number;
}

/** Sums a task's weights, as the engine's `task_bp_pinned()` visitor does. */
class WeightSum implements TaskVisitor {
  total = 0;
  visit(bp: TaskBreakpoint): boolean {
    this.total += bp.weight;
    return true;
  }
}

/**
 * An index that stores nothing and finds nothing: every task looks empty
 * to the engine, which can make it answer wrongly. On the bench's
 * workload every breakpoint fits either way (4 per task, 4 slots), so the
 * engine runs its whole path with only the index's work missing. For
 * timing only.
 */
class NullTaskIndex implements TaskIndex {
  readonly name = "null";
  size = 0;
  readonly work: TaskIndexWork = {
    lookups: 0,
    entriesVisited: 0,
    bucketsTouched: 0,
  };
  insert(_bp: TaskBreakpoint): void {
    this.size++;
  }
  remove(_bp: TaskBreakpoint): boolean {
    this.size--;
    return true;
  }
  visitTask(_task: number, _visitor: TaskVisitor): void {
    this.work.lookups++;
  }
  resetWork(): void {
    this.work.lookups = 0;
  }
  *[Symbol.iterator](): Iterator<TaskBreakpoint> {}
}

const REPEAT = SET_A.repeat;
const THREADS = SET_A.threads;
const BREAKPOINTS = SET_A.breakpoints;
const PARALLELISM = SET_A.parallelism;
/**
 * Sets of thread records made in advance, each with task ids of its own;
 * the waves take them in turn. A record's task is fixed for life, so the
 * ids repeat every this many waves (they grew forever when records could
 * be retargeted); the table sees other keys than the last wave's either
 * way. Two sets keep the records' memory near what one retargeted set
 * took: more would measure cache misses, not the index.
 */
const GENERATIONS = 2;

/** One variant: `run(reps)` runs the waves and returns the pairs. */
type Run = (reps: number) => number;

function indexVariant(lookups: boolean, shrink: boolean): Run {
  const index = new RhlTableTaskIndex({ automaticShrinking: shrink });
  const record = (task: number): TaskBreakpoint =>
    createTaskBreakpoint({ task, cpu: -1, slot: 0, weight: 1 });
  for (let task = 0; task <= PARALLELISM; task++) {
    for (let i = 0; i < BREAKPOINTS; i++) index.insert(record(task));
  }
  const generations: TaskBreakpoint[][] = [];
  for (let g = 0, task = FIRST_THREAD_TASK; g < GENERATIONS; g++) {
    const records: TaskBreakpoint[] = [];
    for (let j = 0; j < REPEAT * THREADS; j++, task++) {
      for (let i = 0; i < BREAKPOINTS; i++) records.push(record(task));
    }
    generations.push(records);
  }
  const sum = new WeightSum();
  let wave = 0;
  return (reps) => {
    let pairs = 0;
    for (let rep = 0; rep < reps; rep++) {
      const records = generations[wave++ % GENERATIONS]!;
      let k = 0;
      for (let j = 0; j < REPEAT * THREADS; j++) {
        for (let i = 0; i < BREAKPOINTS; i++) {
          const bp = records[k++]!;
          const task = bp.task;
          if (lookups) {
            index.visitTask(task, sum); // max_bp_pinned_slots()
            index.visitTask(task, sum); // toggle_bp_slot()
          }
          index.insert(bp);
        }
      }
      for (let x = 0; x < k; x++) {
        const bp = records[x]!;
        index.remove(bp);
        if (lookups) index.visitTask(bp.task, sum); // toggle_bp_slot()
      }
      pairs += k;
    }
    return pairs;
  };
}

/**
 * Measures the index's five calls per pair (kernel-faithful, and without
 * automatic shrinking for comparison), insert and remove alone, and the
 * practical minimum, interleaved round by round in this process, on
 * `perf bench breakpoint thread -r 30 -b 4 -p 64 -t 64`'s operations.
 * Times are wall-clock means over a round, GC included.
 *
 * @param options `rounds` (default 15) and `pairsPerRound` (default 200,000).
 * @returns Median ns per pair of each, and median per-round ratios.
 */
export function measureIndexFloor(
  options: { rounds?: number; pairsPerRound?: number } = {},
): IndexFloorResult {
  const rounds = options.rounds ?? 15;
  const perRep = REPEAT * THREADS * BREAKPOINTS;
  const reps = Math.max(
    1,
    Math.ceil((options.pairsPerRound ?? 200_000) / perRep),
  );
  const engine = engineVariant(
    "engine alone",
    SET_A,
    "current",
    new NullTaskIndex(),
  );
  const engineAlone: Run = (n) => engine.run(n);
  const min = minimumVariant(SET_A);
  const minimum: Run = (n) => min.run(n);
  const variants = [
    indexVariant(true, true),
    indexVariant(true, false),
    indexVariant(false, true),
    engineAlone,
    minimum,
  ];
  const ns = timeRounds(variants, reps, rounds);
  const ratio = (i: number): number =>
    median(ns[i]!.map((t, r) => t / ns[4]![r]!));
  return {
    indexNsPerPair: median(ns[0]!),
    noShrinkNsPerPair: median(ns[1]!),
    insertRemoveNsPerPair: median(ns[2]!),
    engineAloneNsPerPair: median(ns[3]!),
    minimumNsPerPair: median(ns[4]!),
    ratio: ratio(0),
    noShrinkRatio: ratio(1),
    insertRemoveRatio: ratio(2),
    engineAloneRatio: ratio(3),
    rounds,
  };
}

/** {@linkcode measureIndexFloor}'s result, as lines for a terminal. */
export function formatIndexFloor(r: IndexFloorResult): string {
  return [
    `the index's calls alone (3 lookups + insert + remove per pair), against the practical minimum (${
      r.minimumNsPerPair.toFixed(1)
    } ns per pair):`,
    `  rhltable, the kernel's table: ${
      r.indexNsPerPair.toFixed(1)
    } ns per pair, ${r.ratio.toFixed(2)}× (the floor)`,
    `  same without automatic shrinking (not the kernel's): ${
      r.noShrinkNsPerPair.toFixed(1)
    } ns, ${r.noShrinkRatio.toFixed(2)}×`,
    `  insert + remove only: ${r.insertRemoveNsPerPair.toFixed(1)} ns, ${
      r.insertRemoveRatio.toFixed(2)
    }×`,
    `the engine over an index that does nothing (all but the index): ${
      r.engineAloneNsPerPair.toFixed(1)
    } ns, ${r.engineAloneRatio.toFixed(2)}×`,
  ].join("\n");
}

/** Several processes' results, as min/median/max lines for a terminal. */
export function formatIndexFloorSpread(
  results: readonly IndexFloorResult[],
): string {
  const spread = (pick: (r: IndexFloorResult) => number): string => {
    const v = results.map(pick).sort((a, b) => a - b);
    return `min ${v[0]!.toFixed(2)}, median ${median(v).toFixed(2)}, max ${
      v[v.length - 1]!.toFixed(2)
    }`;
  };
  return [
    `${results.length} processes, the index's calls alone ÷ the practical minimum:`,
    `  rhltable (the floor):         ${spread((r) => r.ratio)}`,
    `  without automatic shrinking:  ${spread((r) => r.noShrinkRatio)}`,
    `  insert + remove only:         ${spread((r) => r.insertRemoveRatio)}`,
    `  engine over a null index:     ${spread((r) => r.engineAloneRatio)}`,
    `  rhltable ns/pair:             ${spread((r) => r.indexNsPerPair)}`,
    `  minimum ns/pair:              ${spread((r) => r.minimumNsPerPair)}`,
  ].join("\n");
}
