// Calibrates the virtual-time model's accounting and lock costs on this
// machine: `deno task calibrate` (add `--write` to store the result as
// DEFAULT_COST_TABLE in packages/sim/cost_table.ts).
//
// 1. Accounting. For every index (list, chained-hash, rhltable; each in a
//    fresh process of its own, so the engine's call sites see one index
//    class, as in a simulator run), every strategy, several CPU counts and
//    several populations of live tasks, it times batches of operations of
//    three kinds: a new task inheriting breakpoints on every CPU then
//    dropping them (the benchmark's own operation), a new task with one
//    all-CPU and one CPU-specific breakpoint (the per-CPU histogram paths),
//    and a CPU-pinned breakpoint (the write side's path). Each batch records
//    its wall time and the change of every engine work counter. The median
//    time of a shape's batches, per operation round, is one row.
// 2. A non-negative least-squares fit (Lawson and Hanson's active-set
//    method) of ns per unit of each counter, weighted so that every row's
//    relative error counts alike.
// 3. Locks. lockAcquire is an uncontended compare-and-swap lock and
//    release on a SharedArrayBuffer; lockWakeup is half the round trip of
//    a futex ping-pong (Atomics.wait / Atomics.notify) between this thread
//    and a Worker: the delay from waking a sleeper to its running.
//
// Everything printed is measured on this machine; the fit quality (R²,
// per-shape relative errors) says how well the counters explain the times.
// Re-run on a quiet machine before trusting the numbers.
import os from "node:os";
import {
  ARCH_PROFILES,
  BreakpointConstraints,
  type BreakpointHandle,
} from "@hwbp/core";
import {
  ACCOUNTING_COST_KEYS,
  type AccountingCosts,
  createTaskIndex,
  INDEX_NAMES,
  type IndexName,
} from "@hwbp/sim";

const STRATEGIES = ["legacy", "reserve-fastpath", "current"] as const;
const CPU_COUNTS = [4, 64, 256];
const LIVE_TASKS = [16, 256, 1024];
/**
 * One more population, on the fewest CPUs only (building it with per-CPU
 * loops over a list is quadratic): 8,192 entries, as many as the kernel
 * workload's list holds at its peak.
 */
const LARGE = { cpus: 4, live: 4096 };
const KINDS = ["inherit", "mixed", "pinned"] as const;
type Kind = typeof KINDS[number];
/** Batches per shape, one per pass over every shape; the median is kept. */
const BATCHES = 7;
/** Aim for batches this long, in nanoseconds. */
const BATCH_NS = 2e6;
/** Warm each shape up for at most this long, in milliseconds. */
const WARM_MS = 20;
const KEYS = ACCOUNTING_COST_KEYS;
const COST_TABLE_PATH = new URL(
  "../packages/sim/cost_table.ts",
  import.meta.url,
);

interface Row {
  index: IndexName;
  strategy: string;
  cpus: number;
  live: number;
  kind: Kind;
  /** Median ns per round. */
  ns: number;
  /** Counter changes per round. */
  work: Record<keyof AccountingCosts, number>;
}

/** One shape being measured: its engine, its operation and its samples. */
interface Probe {
  shape: Omit<Row, "ns" | "work">;
  hw: BreakpointConstraints;
  round: () => void;
  rounds: number;
  times: number[];
  work: Record<keyof AccountingCosts, number>;
  totalRounds: number;
}

/**
 * Measures every shape of one index, in this process: builds and warms up
 * every shape, then takes one batch of each per pass, so that a burst of
 * load from elsewhere hits one batch of many shapes rather than every batch
 * of one.
 */
function measureIndex(index: IndexName): Row[] {
  const probes: Probe[] = [];
  for (const strategy of STRATEGIES) {
    for (const cpus of CPU_COUNTS) {
      for (const live of LIVE_TASKS) {
        probes.push(...population(index, strategy, cpus, live));
      }
    }
    probes.push(...population(index, strategy, LARGE.cpus, LARGE.live));
  }
  for (const probe of probes) warmUp(probe);
  for (let pass = 0; pass < BATCHES; pass++) {
    for (const probe of probes) batch(probe);
  }
  return probes.map((probe) => {
    const times = probe.times.sort((a, b) => a - b);
    const work = {} as Record<keyof AccountingCosts, number>;
    for (const key of KEYS) work[key] = probe.work[key] / probe.totalRounds;
    return {
      ...probe.shape,
      ns: times[Math.floor(times.length / 2)]!,
      work,
    };
  });
}

/** Builds one population of live tasks, with a probe per kind on it. */
function population(
  index: IndexName,
  strategy: typeof STRATEGIES[number],
  cpus: number,
  live: number,
): Probe[] {
  const hw = new BreakpointConstraints({
    cpus,
    ...ARCH_PROFILES.x86_64,
    index: createTaskIndex(index, { seed: 1 }),
    strategy,
    locking: "rwsem",
  });
  // The population: tasks 0..live-1 with two all-CPU breakpoints each, as
  // the benchmark's threads have.
  for (let task = 0; task < live; task++) {
    hw.reserve({ task, type: "rw" });
    hw.reserve({ task, type: "rw" });
  }
  const handles: BreakpointHandle[] = [];
  let nextTask = live;
  return KINDS.map((kind) => {
    // One round leaves the engine as it found it.
    const round = (): void => {
      const task = nextTask++;
      switch (kind) {
        case "inherit":
          handles.push(hw.reserve({ task, type: "rw" }));
          handles.push(hw.reserve({ task, type: "rw" }));
          break;
        case "mixed":
          handles.push(hw.reserve({ task, type: "rw" }));
          handles.push(hw.reserve({ task, cpu: task % cpus, type: "w" }));
          break;
        case "pinned":
          handles.push(hw.reserve({ cpu: task % cpus, type: "rw" }));
          break;
      }
      while (handles.length > 0) hw.release(handles.pop()!);
    };
    const work = {} as Record<keyof AccountingCosts, number>;
    for (const key of KEYS) work[key] = 0;
    return {
      shape: { index, strategy, cpus, live, kind },
      hw,
      round,
      rounds: 1,
      times: [],
      work,
      totalRounds: 0,
    };
  });
}

/** Warms a probe up (thousands of rounds if cheap, a few if costly) and sizes its batches. */
function warmUp(probe: Probe): void {
  const t0 = performance.now();
  let warm = 0;
  while (warm < 2 || (warm < 5000 && performance.now() - t0 < WARM_MS)) {
    probe.round();
    warm++;
  }
  const perRound = (performance.now() - t0) * 1e6 / warm;
  probe.rounds = Math.max(1, Math.min(50_000, Math.round(BATCH_NS / perRound)));
}

/** Times one batch, adding up the counters' changes. */
function batch(probe: Probe): void {
  const { hw, round, rounds } = probe;
  const before = hw.readWork();
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) round();
  const elapsed = (performance.now() - t0) * 1e6;
  const after = hw.readWork();
  probe.times.push(elapsed / rounds);
  for (const key of KEYS) probe.work[key] += after[key] - before[key];
  probe.totalRounds += rounds;
}

/**
 * Non-negative least squares, min ‖Ax − b‖ with x ≥ 0 (Lawson and Hanson,
 * "Solving Least Squares Problems", 1974, algorithm NNLS), on the normal
 * equations: the problems here have 8 unknowns.
 */
function nnls(a: number[][], b: number[]): number[] {
  const n = a[0]!.length;
  const ata = Array.from(
    { length: n },
    (_, i) =>
      Array.from(
        { length: n },
        (_, j) => a.reduce((s, row) => s + row[i]! * row[j]!, 0),
      ),
  );
  const atb = Array.from(
    { length: n },
    (_, i) => a.reduce((s, row, k) => s + row[i]! * b[k]!, 0),
  );
  const x = new Array<number>(n).fill(0);
  const passive = new Array<boolean>(n).fill(false);
  const gradient = (): number[] =>
    atb.map((v, i) => v - ata[i]!.reduce((s, c, j) => s + c * x[j]!, 0));
  const scale = Math.max(...atb.map(Math.abs), 1);
  for (let outer = 0; outer < 10 * n; outer++) {
    const w = gradient();
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (
        !passive[i] && w[i]! > 1e-12 * scale && (best < 0 || w[i]! > w[best]!)
      ) best = i;
    }
    if (best < 0) break;
    passive[best] = true;
    for (let inner = 0; inner < 10 * n; inner++) {
      const z = solvePassive(ata, atb, passive);
      let alpha = 1;
      let blocked = false;
      for (let i = 0; i < n; i++) {
        if (passive[i] && z[i]! <= 0) {
          blocked = true;
          alpha = Math.min(alpha, x[i]! / (x[i]! - z[i]!));
        }
      }
      if (!blocked) {
        for (let i = 0; i < n; i++) x[i] = z[i]!;
        break;
      }
      for (let i = 0; i < n; i++) {
        x[i] = x[i]! + alpha * (z[i]! - x[i]!);
        if (passive[i] && x[i]! <= 1e-15) {
          passive[i] = false;
          x[i] = 0;
        }
      }
    }
  }
  return x;
}

/** Solves the normal equations restricted to the passive set. */
function solvePassive(
  ata: number[][],
  atb: number[],
  passive: boolean[],
): number[] {
  const idx = passive.flatMap((p, i) => (p ? [i] : []));
  const m = idx.length;
  const aug = idx.map((i) => [...idx.map((j) => ata[i]![j]!), atb[i]!]);
  for (let c = 0; c < m; c++) {
    let pivot = c;
    for (let r = c + 1; r < m; r++) {
      if (Math.abs(aug[r]![c]!) > Math.abs(aug[pivot]![c]!)) pivot = r;
    }
    [aug[c], aug[pivot]] = [aug[pivot]!, aug[c]!];
    const d = aug[c]![c]!;
    if (Math.abs(d) < 1e-300) continue;
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = aug[r]![c]! / d;
      for (let k = c; k <= m; k++) aug[r]![k] = aug[r]![k]! - f * aug[c]![k]!;
    }
  }
  const z = new Array<number>(passive.length).fill(0);
  idx.forEach((i, k) => {
    const d = aug[k]![k]!;
    z[i] = Math.abs(d) < 1e-300 ? 0 : aug[k]![m]! / d;
  });
  return z;
}

/** Fits ns per unit, each row weighted by 1 / its time (relative errors). */
function fit(rows: Row[]): AccountingCosts {
  // Columns are scaled to unit size for conditioning, then unscaled.
  const scales = KEYS.map((key) =>
    Math.max(...rows.map((r) => r.work[key] / r.ns), 1e-30)
  );
  const a = rows.map((r) =>
    KEYS.map((key, k) => r.work[key] / r.ns / scales[k]!)
  );
  const b = rows.map(() => 1);
  const x = nnls(a, b);
  const costs = {} as AccountingCosts;
  KEYS.forEach((key, k) => (costs[key] = x[k]! / scales[k]!));
  return costs;
}

function predict(costs: AccountingCosts, row: Row): number {
  return KEYS.reduce((s, key) => s + costs[key] * row.work[key], 0);
}

/** Uncontended lock and unlock: compare-and-swap, then a store. */
function measureLockAcquire(): number {
  const lock = new Int32Array(new SharedArrayBuffer(4));
  const iterations = 2_000_000;
  const samples: number[] = [];
  for (let s = 0; s < 7; s++) {
    const t0 = performance.now();
    for (let i = 0; i < iterations; i++) {
      if (Atomics.compareExchange(lock, 0, 0, 1) !== 0) throw new Error("held");
      Atomics.store(lock, 0, 0);
    }
    samples.push((performance.now() - t0) * 1e6 / iterations);
  }
  samples.sort((a, b) => a - b);
  return samples[3]!;
}

/** Half the round trip of a futex ping-pong with a Worker. */
async function measureWakeup(): Promise<number> {
  const flag = new Int32Array(new SharedArrayBuffer(8));
  const source = `
    self.onmessage = (e) => {
      const flag = e.data;
      for (;;) {
        Atomics.wait(flag, 0, 0);
        if (Atomics.load(flag, 1) === 1) break;
        Atomics.store(flag, 0, 0);
        Atomics.notify(flag, 0);
      }
      self.postMessage("done");
    };`;
  const url = URL.createObjectURL(
    new Blob([source], { type: "text/javascript" }),
  );
  const worker = new Worker(url, { type: "module" });
  const done = new Promise((resolve) => (worker.onmessage = resolve));
  worker.postMessage(flag);
  // Let the worker start and sleep.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const trips = 2000;
  const samples: number[] = [];
  for (let s = 0; s < 5; s++) {
    const t0 = performance.now();
    for (let i = 0; i < trips; i++) {
      Atomics.store(flag, 0, 1);
      Atomics.notify(flag, 0);
      Atomics.wait(flag, 0, 1);
    }
    samples.push((performance.now() - t0) * 1e6 / trips / 2);
  }
  Atomics.store(flag, 1, 1);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
  await done;
  worker.terminate();
  URL.revokeObjectURL(url);
  samples.sort((a, b) => a - b);
  return samples[2]!;
}

/** Runs one index's shapes in a fresh process; returns its rows. */
async function measureInSubprocess(index: IndexName): Promise<Row[]> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", import.meta.filename!, "--rows", index],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!output.success) throw new Error(`calibration of ${index} failed`);
  return JSON.parse(new TextDecoder().decode(output.stdout));
}

function round(value: number): number {
  return Number(value.toPrecision(4));
}

function costTableSource(
  costs: AccountingCosts,
  byIndex: Record<IndexName, AccountingCosts>,
  lockAcquire: number,
  lockWakeup: number,
  note: string,
): string {
  const block = (c: AccountingCosts, indent: string): string[] =>
    KEYS.map((key) => `${indent}${key}: ${round(c[key])},`);
  const lines = [
    "  // CALIBRATION START",
    `  // ${note}`,
    "  accounting: Object.freeze({",
    ...block(costs, "    "),
    "  }),",
    "  indexAccounting: Object.freeze({",
    ...INDEX_NAMES.flatMap((n) => [
      `    ${JSON.stringify(n)}: Object.freeze({`,
      ...block(byIndex[n], "      "),
      "    }),",
    ]),
    "  }),",
    `  lockAcquire: ${round(lockAcquire)},`,
    `  lockWakeup: ${round(lockWakeup)},`,
    "  // CALIBRATION END",
  ];
  return lines.join("\n");
}

async function main(): Promise<void> {
  const started = performance.now();
  const rows: Row[] = [];
  for (const index of INDEX_NAMES) {
    console.error(`measuring ${index}...`);
    rows.push(...await measureInSubprocess(index));
  }
  const costs = fit(rows);
  const byIndex = Object.fromEntries(
    INDEX_NAMES.map((
      index,
    ) => [index, fit(rows.filter((r) => r.index === index))]),
  ) as Record<IndexName, AccountingCosts>;
  const lockAcquire = measureLockAcquire();
  const lockWakeup = await measureWakeup();

  const mean = rows.reduce((s, r) => s + r.ns, 0) / rows.length;
  let ssRes = 0;
  let ssTot = 0;
  let logRes = 0;
  let logTot = 0;
  const logMean = rows.reduce((s, r) => s + Math.log(r.ns), 0) / rows.length;
  const errors = rows.map((r) => {
    const p = predict(byIndex[r.index], r);
    ssRes += (p - r.ns) ** 2;
    ssTot += (r.ns - mean) ** 2;
    logRes += (Math.log(Math.max(p, 1e-9)) - Math.log(r.ns)) ** 2;
    logTot += (Math.log(r.ns) - logMean) ** 2;
    return (p - r.ns) / r.ns;
  });
  const sortedAbs = errors.map(Math.abs).sort((a, b) => a - b);

  const machine = `${navigator.hardwareConcurrency} × ${
    os.cpus()[0]?.model ?? "unknown CPU"
  }, Linux ${os.release()}, Deno ${Deno.version.deno}`;
  const date = new Date().toISOString().slice(0, 10);
  console.log(`# Calibration of the virtual-time model (measured, ${date})`);
  console.log(`# ${machine}`);
  console.log(
    `# ${rows.length} shapes: ${INDEX_NAMES.join(", ")} × ${
      STRATEGIES.join(", ")
    } × (cpus ${CPU_COUNTS.join("/")} × live tasks ${
      LIVE_TASKS.join("/")
    }, and ${LARGE.live} live tasks on ${LARGE.cpus} CPUs) × ${
      KINDS.join("/")
    }; median of ${BATCHES} batches each`,
  );
  console.log(
    "\nFitted ns per unit (non-negative least squares, relative weights):",
  );
  console.log(
    `  ${"".padEnd(18)} ${
      ["all", ...INDEX_NAMES].map((n) => n.padStart(13)).join("")
    }`,
  );
  for (const key of KEYS) {
    const cells = [costs, ...INDEX_NAMES.map((n) => byIndex[n])].map((c) =>
      round(c[key]).toString().padStart(13)
    );
    console.log(`  ${key.padEnd(18)} ${cells.join("")}`);
  }
  const global = rows.map((r) => Math.abs(predict(costs, r) - r.ns) / r.ns)
    .sort((a, b) => a - b);
  console.log(
    `  (one table for every index: median |relative error| ${
      (global[Math.floor(global.length / 2)]! * 100).toFixed(1)
    }%; the model uses each index's own)`,
  );
  console.log(
    `  ${"lockAcquire".padEnd(18)} ${
      round(lockAcquire).toString().padStart(10)
    }  (CAS lock + store unlock)`,
  );
  console.log(
    `  ${"lockWakeup".padEnd(18)} ${
      round(lockWakeup).toString().padStart(10)
    }  (futex ping-pong / 2)`,
  );
  console.log("\nFit quality of the per-index tables:");
  console.log(`  R² (ns per round)        ${(1 - ssRes / ssTot).toFixed(4)}`);
  console.log(`  R² (log ns per round)    ${(1 - logRes / logTot).toFixed(4)}`);
  console.log(
    `  |relative error|: median ${
      (sortedAbs[Math.floor(sortedAbs.length / 2)]! * 100).toFixed(1)
    }%, ` +
      `90th pct ${
        (sortedAbs[Math.floor(sortedAbs.length * 0.9)]! * 100).toFixed(1)
      }%, ` +
      `max ${(sortedAbs.at(-1)! * 100).toFixed(1)}%`,
  );
  console.log(
    "\nThe list's walk, measured (legacy, inherit: nearly all of a round is the walk):",
  );
  for (const r of rows) {
    if (r.index !== "list" || r.strategy !== "legacy" || r.kind !== "inherit") {
      continue;
    }
    const length = r.work.entriesVisited / r.work.lookups;
    console.log(
      `  ${r.cpus} CPUs, ${length.toFixed(0).padStart(5)} entries: ${
        (r.ns / r.work.entriesVisited).toFixed(2)
      } ns per entry visited`,
    );
  }
  console.log(
    "\nPer shape (measured ns per round → relative error of the fit):",
  );
  for (const index of INDEX_NAMES) {
    for (const strategy of STRATEGIES) {
      const cells = rows
        .map((r, i) => ({ r, e: errors[i]! }))
        .filter(({ r }) => r.index === index && r.strategy === strategy)
        .map(({ r, e }) =>
          `${r.kind[0]}${r.cpus}/${r.live} ${fmtNs(r.ns)} ${e >= 0 ? "+" : ""}${
            (e * 100).toFixed(0)
          }%`
        );
      console.log(`  ${index} ${strategy}:`);
      for (let i = 0; i < cells.length; i += 3) {
        console.log(
          `    ${cells.slice(i, i + 3).map((c) => c.padEnd(30)).join("")}`
            .trimEnd(),
        );
      }
    }
  }
  const note = `deno task calibrate, ${date}, ${machine}`;
  const source = costTableSource(costs, byIndex, lockAcquire, lockWakeup, note);
  console.log("\nCost table (paste into DEFAULT_COST_TABLE):\n");
  console.log(source);
  if (Deno.args.includes("--write")) {
    const path = COST_TABLE_PATH;
    const text = await Deno.readTextFile(path);
    const updated = text.replace(
      / {2}\/\/ CALIBRATION START[\s\S]*?\/\/ CALIBRATION END/,
      source,
    );
    await Deno.writeTextFile(path, updated);
    console.log(`\nWrote ${path.pathname}`);
  }
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

function fmtNs(ns: number): string {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)}ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(1)}µs`;
  return `${ns.toFixed(0)}ns`;
}

if (import.meta.main) {
  const at = Deno.args.indexOf("--rows");
  if (at >= 0) {
    const index = Deno.args[at + 1] as IndexName;
    console.log(JSON.stringify(measureIndex(index)));
  } else {
    await main();
  }
}
