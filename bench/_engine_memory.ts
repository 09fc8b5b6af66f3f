/**
 * The memory half of `engine_vs_minimum.ts`: heap bytes per live task
 * breakpoint of the engine (current + rhltable, handles included) and of
 * the practical minimum, measured with the garbage collector.
 *
 * @module
 */
import {
  ARCH_PROFILES,
  BreakpointConstraints,
  type BreakpointHandle,
} from "@hwbp/core";
import { RhlTableTaskIndex } from "@hwbp/rhltable";
import { PracticalMinimum } from "./practical_minimum.ts";

/** x86_64's one shared pool of 4 debug registers, as `ARCH_PROFILES.x86_64`. */
const X86_SLOTS = 4;

/** Bytes of heap per live task breakpoint, measured with the GC. */
export interface MemoryResult {
  /** Live task breakpoints. */
  live: number;
  /** Breakpoints per task (perf's `-b`). */
  perTask: number;
  /** Engine (current) + rhltable, handles included, per breakpoint. */
  engineBytes: number;
  /** The practical minimum's own map and histograms, per breakpoint. */
  minimumBytes: number;
  /**
   * The minimum plus what its caller keeps to release each breakpoint, a
   * `{ task, pool, weight }` record: the fair counterpart of a handle.
   */
  minimumWithRecordsBytes: number;
  /** Whether `gc()` was exposed; without it the figures are rough. */
  gcExposed: boolean;
}

/**
 * Heap used plus external memory: typed arrays keep their contents outside
 * the V8 heap, and an index built on them would otherwise look free.
 */
function heapBytes(): number {
  const usage = Deno.memoryUsage();
  return usage.heapUsed + usage.external;
}

function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return false;
  gc();
  gc();
  return true;
}

/** Where built structures stay reachable until measured. */
let sink: unknown = null;

/**
 * Heap bytes per item of what `build` returns. The result is stored in a
 * module variable before the second GC: a local that is never read again
 * is dead to V8, and the collector would free what only it referenced.
 */
function bytesPer(items: number, build: () => unknown): number {
  sink = null;
  collectGarbage();
  const before = heapBytes();
  sink = build();
  collectGarbage();
  const bytes = (heapBytes() - before) / items;
  if (sink === null) throw new Error("Cannot measure memory: nothing built");
  sink = null;
  return bytes;
}

/**
 * Heap bytes per live task breakpoint of the engine (current + rhltable,
 * handles included) and of the minimum, `perTask` breakpoints per task,
 * measured as heap used (plus external memory) after a full GC, before and
 * after building.
 *
 * @param live Live task breakpoints (default 1,000,000).
 * @param perTask Breakpoints per task (default 4, as perf's `-b 4`).
 * @returns Bytes per breakpoint.
 */
export function measureMemory(live = 1_000_000, perTask = 4): MemoryResult {
  const gcExposed = collectGarbage();
  const minimumBytes = bytesPer(live, () => {
    const min = new PracticalMinimum(256, [X86_SLOTS]);
    for (let i = 0; i < live; i++) {
      min.reserveTask(Math.floor(i / perTask), 0, 1);
    }
    return min;
  });
  const minimumWithRecordsBytes = bytesPer(live, () => {
    const min = new PracticalMinimum(256, [X86_SLOTS]);
    const records: { task: number; pool: number; weight: number }[] = [];
    for (let i = 0; i < live; i++) {
      const task = Math.floor(i / perTask);
      min.reserveTask(task, 0, 1);
      records.push({ task, pool: 0, weight: 1 });
    }
    return [min, records];
  });
  const engineBytes = bytesPer(live, () => {
    const hw = new BreakpointConstraints({
      cpus: 256,
      ...ARCH_PROFILES.x86_64,
      index: new RhlTableTaskIndex(),
    });
    const handles: BreakpointHandle[] = [];
    const spec = { task: 0, type: "rw" as const };
    for (let i = 0; i < live; i++) {
      spec.task = Math.floor(i / perTask);
      handles.push(hw.reserve(spec));
    }
    return [hw, handles];
  });
  return {
    live,
    perTask,
    engineBytes,
    minimumBytes,
    minimumWithRecordsBytes,
    gcExposed,
  };
}
