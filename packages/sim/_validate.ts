// Validation of simulateBreakpointThread()'s options, shared by the wall
// clock run and the virtual-time model.
import {
  ARCH_PROFILES,
  BreakpointConstraints,
  type BreakpointHandle,
  LOCKING_DISCIPLINES,
  type LockingDiscipline,
} from "@hwbp/core";
import { ListWorkIndex } from "./_list_work_index.ts";
import { type CostTable, validateCostTable } from "./cost_table.ts";
import {
  type BreakpointThreadOptions,
  DEFAULT_SEED,
  SIM_CLOCKS,
  SIM_STRATEGIES,
  type SimClock,
  type SimStrategy,
} from "./options.ts";
import {
  createTaskIndex,
  INDEX_NAMES,
  type IndexName,
} from "./task_indexes.ts";

export const CONTEXT = "Cannot simulate breakpoint thread";
const MAX_CPUS = 65_536;
const MAX_BREAKPOINTS = 65_536;
const MAX_THREADS = 16_777_216;
const MAX_REPEAT = 2 ** 31 - 1;
const MAX_SEED = 2 ** 32 - 1;
/** Bound on handles held at once, so a typo cannot exhaust memory. */
const MAX_LIVE = 16_777_216;
const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  "cpus",
  "breakpoints",
  "parallelism",
  "threads",
  "repeat",
  "strategy",
  "index",
  "locking",
  "seed",
  "clock",
  "costs",
  "constraints",
  "onProgress",
  "now",
]);

export interface ValidOptions {
  cpus: number;
  breakpoints: number;
  parallelism: number;
  threads: number;
  repeat: number;
  strategy: SimStrategy;
  index: IndexName;
  locking: LockingDiscipline;
  seed: number;
  clock: SimClock;
  costs: CostTable | null;
  constraints: BreakpointConstraints | null;
  onProgress: ((done: number, total: number) => void) | undefined;
  now: () => number;
}

export function validate(options: BreakpointThreadOptions): ValidOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      `${CONTEXT}: options must be an object, got ${describe(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw new TypeError(`${CONTEXT}: unknown option ${JSON.stringify(key)}`);
    }
  }
  const breakpoints = integer(options, "breakpoints", 1, 0, MAX_BREAKPOINTS);
  const parallelism = integer(options, "parallelism", 1, 1, MAX_THREADS);
  const threads = integer(options, "threads", 1, 1, MAX_THREADS);
  const repeat = integer(options, "repeat", 10, 1, MAX_REPEAT);
  const cpus = integer(options, "cpus", 256, 1, MAX_CPUS);
  const seed = integer(options, "seed", DEFAULT_SEED, 0, MAX_SEED);
  const strategy = oneOf(options, "strategy", "current", SIM_STRATEGIES);
  const index = oneOf(options, "index", "rhltable", INDEX_NAMES);
  const locking = oneOf(options, "locking", "rwsem", LOCKING_DISCIPLINES);
  const clock = oneOf(options, "clock", "wall", SIM_CLOCKS);
  let costs: CostTable | null = null;
  if (options.costs !== undefined) {
    if (clock !== "model") {
      throw new TypeError(
        `${CONTEXT}: costs needs clock "model", got clock ${
          JSON.stringify(clock)
        }`,
      );
    }
    try {
      costs = validateCostTable(options.costs);
    } catch (error) {
      if (error instanceof TypeError) {
        throw new TypeError(`${CONTEXT}: ${error.message}`);
      }
      throw new RangeError(`${CONTEXT}: ${(error as Error).message}`);
    }
  }
  const onProgress = options.onProgress;
  if (onProgress !== undefined && typeof onProgress !== "function") {
    throw new TypeError(
      `${CONTEXT}: onProgress must be a function, got ${describe(onProgress)}`,
    );
  }
  const now = options.now ?? defaultNow;
  if (typeof now !== "function") {
    throw new TypeError(
      `${CONTEXT}: now must be a function, got ${describe(now)}`,
    );
  }

  const constraints = options.constraints ?? null;
  if (constraints !== null) {
    if (!(constraints instanceof BreakpointConstraints)) {
      throw new TypeError(
        `${CONTEXT}: constraints must be a BreakpointConstraints, got ${
          describe(constraints)
        }`,
      );
    }
    for (
      const key of ["cpus", "strategy", "index", "locking", "seed"] as const
    ) {
      if (options[key] !== undefined) {
        throw new TypeError(
          `${CONTEXT}: ${key} cannot be combined with constraints, which has its own`,
        );
      }
    }
    const held = constraints.index.size;
    if (held !== 0) {
      throw new RangeError(
        `${CONTEXT}: constraints must hold no task breakpoints, got ${held}`,
      );
    }
  }

  // Bound the handle tables before allocating them.
  const batchLive = Math.min(parallelism, repeat) * threads * breakpoints;
  if (batchLive > MAX_LIVE || parallelism * breakpoints > MAX_LIVE) {
    throw new RangeError(
      `${CONTEXT}: ${
        Math.max(batchLive, parallelism * breakpoints)
      } breakpoints would be live at once (at most ${MAX_LIVE})`,
    );
  }
  if (parallelism + repeat * threads > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(
      `${CONTEXT}: repeat ${repeat} × threads ${threads} threads is too many task ids`,
    );
  }
  return {
    cpus: constraints === null ? cpus : constraints.cpus,
    breakpoints,
    parallelism,
    threads,
    repeat,
    strategy: constraints === null ? strategy : constraints.strategy,
    index,
    locking: constraints === null ? locking : constraints.locking,
    seed,
    clock,
    costs,
    constraints,
    onProgress,
    now,
  };
}

function integer(
  options: BreakpointThreadOptions,
  name: "cpus" | "breakpoints" | "parallelism" | "threads" | "repeat" | "seed",
  fallback: number,
  min: number,
  max: number,
): number {
  const value: unknown = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== "number") {
    throw new TypeError(
      `${CONTEXT}: ${name} must be a number, got ${describe(value)}`,
    );
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `${CONTEXT}: ${name} ${value} must be an integer from ${min} to ${max}`,
    );
  }
  return value;
}

function oneOf<T extends string>(
  options: BreakpointThreadOptions,
  name: "strategy" | "index" | "locking" | "clock",
  fallback: T,
  allowed: readonly T[],
): T {
  const value: unknown = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== "string") {
    throw new TypeError(
      `${CONTEXT}: ${name} must be a string, got ${describe(value)}`,
    );
  }
  if (!(allowed as readonly string[]).includes(value)) {
    throw new RangeError(
      `${CONTEXT}: unknown ${name} ${JSON.stringify(value)} (expected ${
        allowed.map((a) => JSON.stringify(a)).join(", ")
      })`,
    );
  }
  return value as T;
}

function defaultNow(): number {
  return performance.now();
}

export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "function") return "a function";
  if (value === null || typeof value !== "object") return String(value);
  if (Array.isArray(value)) return "an array";
  return "an object";
}

/**
 * The engine a run drives: the caller's, or a new one on an x86_64 layout;
 * none for strategy "none". The model counts the list's work with
 * ListWorkIndex (exact for this workload, and fast).
 */
export function engineFor(
  o: ValidOptions,
  exactList: boolean,
): BreakpointConstraints | null {
  if (o.strategy === "none") return null;
  if (o.constraints !== null) return o.constraints;
  const index = o.index === "list" && exactList
    ? new ListWorkIndex()
    : createTaskIndex(o.index, { seed: o.seed });
  return new BreakpointConstraints({
    cpus: o.cpus,
    ...ARCH_PROFILES.x86_64,
    index,
    strategy: o.strategy,
    locking: o.locking,
  });
}

/** Releases every handle still held in the tables. */
export function releaseAll(
  engine: BreakpointConstraints,
  tables: readonly (BreakpointHandle | null)[][],
): void {
  for (const table of tables) {
    for (let i = 0; i < table.length; i++) {
      const handle = table[i];
      if (handle === null || handle === undefined) continue;
      table[i] = null;
      engine.release(handle);
    }
  }
}
