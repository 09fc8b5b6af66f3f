// The engine's self-check: recompute every counter from the live
// breakpoints alone, the slow obvious way, and compare.
import type { Accounting } from "./_accounting.ts";
import {
  type Breakpoint,
  cpuOf,
  slotOf,
  taskOf,
  weightOf,
} from "./_breakpoint.ts";

/** Per task and pool: weight on every CPU, and weight per specific CPU. */
interface TaskUsage {
  allCpus: number;
  perCpu: Map<number, number>;
}

export function verifyAccounting(
  accounting: Accounting,
  live: readonly Breakpoint[],
): string | null {
  const { cpus, slots } = accounting;
  const state = accounting.state();
  const pools = slots.length;

  const cpuPinned = slots.map(() => new Array<number>(cpus).fill(0));
  const usage = slots.map(() => new Map<number, TaskUsage>());
  const taskBps = new Set<Breakpoint>();
  for (const bp of live) {
    const task = taskOf(bp);
    if (task === null) {
      cpuPinned[slotOf(bp)]![cpuOf(bp)]! += weightOf(bp);
      continue;
    }
    taskBps.add(bp);
    const tasks = usage[slotOf(bp)]!;
    let u = tasks.get(task);
    if (u === undefined) {
      u = { allCpus: 0, perCpu: new Map() };
      tasks.set(task, u);
    }
    if (cpuOf(bp) < 0) u.allCpus += weightOf(bp);
    else u.perCpu.set(cpuOf(bp), (u.perCpu.get(cpuOf(bp)) ?? 0) + weightOf(bp));
  }

  // The index must hold exactly the live task-bound breakpoints.
  const index = accounting.index;
  if (index.size !== taskBps.size) {
    return `index "${index.name}" holds ${index.size} breakpoints, expected ${taskBps.size}`;
  }
  const seen = new Set<unknown>();
  for (const bp of index) {
    if (!taskBps.has(bp as unknown as Breakpoint) || seen.has(bp)) {
      return `index "${index.name}" holds a breakpoint of task ${
        taskOf(bp)
      } that is not live (or holds it twice)`;
    }
    seen.add(bp);
  }

  for (let t = 0; t < pools; t++) {
    const s = slots[t]!;
    const tskPinned = cpuHistograms(cpus, s);
    const tskPinnedAll = new Array<number>(s).fill(0);
    const maxTask = new Array<number>(cpus).fill(0);
    for (const [task, u] of usage[t]!) {
      const independent = u.perCpu.size === 0;
      if (independent && accounting.hasTskPinnedAll) {
        if (u.allCpus > 0) tskPinnedAll[u.allCpus - 1]!++;
      } else {
        for (let cpu = 0; cpu < cpus; cpu++) {
          const n = u.allCpus + (u.perCpu.get(cpu) ?? 0);
          if (n > 0) tskPinned[cpu]![n - 1]!++;
        }
      }
      for (let cpu = 0; cpu < cpus; cpu++) {
        const n = u.allCpus + (u.perCpu.get(cpu) ?? 0);
        if (n > maxTask[cpu]!) maxTask[cpu] = n;
        if (n > s) {
          return `task ${task} uses ${n} slots of pool ${t} on cpu ${cpu}, more than its ${s}`;
        }
      }
    }
    for (let cpu = 0; cpu < cpus; cpu++) {
      const expected = cpuPinned[t]![cpu]!;
      if (state.cpuPinned[t]![cpu] !== expected) {
        return `cpuPinned[pool ${t}][cpu ${cpu}] is ${
          state.cpuPinned[t]![cpu]
        }, expected ${expected}`;
      }
      if (expected + maxTask[cpu]! > s) {
        return `cpu ${cpu} pool ${t} is over-committed: ${expected} CPU-pinned + ${
          maxTask[cpu]
        } task slots > ${s}`;
      }
      const mismatch = firstDifference(
        state.tskPinned[t]![cpu]!,
        tskPinned[cpu]!,
      );
      if (mismatch !== null) {
        return `tskPinned[pool ${t}][cpu ${cpu}]${mismatch}`;
      }
    }
    if (accounting.hasCpuPinnedAll) {
      const cpuPinnedAll = new Array<number>(s).fill(0);
      for (const n of cpuPinned[t]!) if (n > 0) cpuPinnedAll[n - 1]!++;
      const cpuMismatch = firstDifference(state.cpuPinnedAll[t]!, cpuPinnedAll);
      if (cpuMismatch !== null) return `cpuPinnedAll[pool ${t}]${cpuMismatch}`;
    }
    if (accounting.hasTskPinnedAll) {
      const tskMismatch = firstDifference(state.tskPinnedAll[t]!, tskPinnedAll);
      if (tskMismatch !== null) return `tskPinnedAll[pool ${t}]${tskMismatch}`;
    }
  }
  return null;
}

function cpuHistograms(cpus: number, slots: number): number[][] {
  const rows: number[][] = [];
  for (let cpu = 0; cpu < cpus; cpu++) {
    rows.push(new Array<number>(slots).fill(0));
  }
  return rows;
}

function firstDifference(
  actual: readonly number[],
  expected: readonly number[],
): string | null {
  for (let i = 0; i < expected.length; i++) {
    if (actual[i] !== expected[i]) {
      return `[${i}] (tasks using ${i + 1} slots) is ${actual[i]}, expected ${
        expected[i]
      }`;
    }
  }
  return null;
}
