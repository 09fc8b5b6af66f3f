// Checks of the engine's constructor options, out of the class so that the
// class reads as the kernel's algorithm.
import { describe } from "./_describe.ts";
import {
  ACCOUNTING_STRATEGIES,
  type AccountingStrategy,
} from "./accounting_strategy.ts";
import { ConstraintError } from "./constraint_error.ts";
import { LOCKING_DISCIPLINES, type LockingDiscipline } from "./locking.ts";
import { ARCH_PROFILES, type ArchName } from "./profiles.ts";
import type { TaskIndex } from "./task_index.ts";

const MAX_CPUS = 65_536;
const MAX_SLOTS = 64;
const CONTEXT = "Cannot create constraints";

/**
 * Every index an engine ever took. An index keeps an engine's records, so it
 * belongs to that engine for its lifetime; a second engine sharing it would
 * corrupt both books.
 */
const CLAIMED_INDEXES = new WeakSet<object>();

function invalid(detail: string): ConstraintError {
  return new ConstraintError("EINVAL", `${CONTEXT}: ${detail}`);
}

/** The constructor's options, checked and with their defaults. */
export interface EngineOptions {
  cpus: number;
  /** Slots per pool: `[inst, data]`, or `[shared]`. */
  pools: number[];
  shared: boolean;
  strategy: AccountingStrategy;
  locking: LockingDiscipline;
  arch: ArchName | null;
  online: Int32Array;
  index: TaskIndex;
}

/**
 * Reads each option once and checks it; only `undefined` means the default.
 * Does not claim the index: the caller does once nothing else can fail.
 */
export function readOptions(options: unknown): EngineOptions {
  if (typeof options !== "object" || options === null) {
    throw invalid(`options must be an object, got ${describe(options)}`);
  }
  const o = options as Record<string, unknown>;
  const cpus = o.cpus;
  const slots = o.slots;
  const sharedSlots = o.sharedSlots;
  const index = o.index;
  const strategy = o.strategy === undefined ? "current" : o.strategy;
  const locking = o.locking === undefined ? "rwsem" : o.locking;
  const arch = o.arch;
  const onlineCpus = o.onlineCpus;
  if (
    typeof cpus !== "number" || !Number.isSafeInteger(cpus) || cpus < 1 ||
    cpus > MAX_CPUS
  ) {
    throw invalid(
      `cpus ${describe(cpus)} must be an integer from 1 to ${MAX_CPUS}`,
    );
  }
  const shared = sharedSlots === undefined ? false : sharedSlots;
  if (typeof shared !== "boolean") {
    throw invalid(`sharedSlots ${describe(shared)} must be a boolean`);
  }
  if (!ACCOUNTING_STRATEGIES.includes(strategy as AccountingStrategy)) {
    throw invalid(
      `unknown strategy ${
        describe(strategy)
      } (expected "legacy", "reserve-fastpath" or "current")`,
    );
  }
  if (!LOCKING_DISCIPLINES.includes(locking as LockingDiscipline)) {
    throw invalid(
      `unknown locking ${describe(locking)} (expected "mutex" or "rwsem")`,
    );
  }
  const pools = poolSizes(slots, shared);
  const archName = readArch(arch);
  const online = readOnlineCpus(onlineCpus, cpus);
  if (!isTaskIndex(index)) {
    throw invalid(`index ${describe(index)} does not implement TaskIndex`);
  }
  checkIndexFree(index);
  return {
    cpus,
    pools,
    shared,
    strategy: strategy as AccountingStrategy,
    locking: locking as LockingDiscipline,
    arch: archName,
    online,
    index,
  };
}

/** Slots per pool: `[inst, data]`, or `[shared]` for one shared pool. */
function poolSizes(slots: unknown, shared: boolean): number[] {
  if (typeof slots === "object" && slots !== null) {
    const { inst, data } = slots as { inst?: unknown; data?: unknown };
    const pools = [
      slotCount(inst, "slots.inst"),
      slotCount(data, "slots.data"),
    ];
    if (!shared) return pools;
    if (pools[0] !== pools[1]) {
      throw invalid(
        `a shared pool needs equal counts, got slots.inst ${
          pools[0]
        } and slots.data ${pools[1]}`,
      );
    }
    return [pools[0]!];
  }
  const count = slotCount(slots, "slots");
  return shared ? [count] : [count, count];
}

function slotCount(value: unknown, name: string): number {
  if (
    typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 ||
    value > MAX_SLOTS
  ) {
    throw invalid(
      `${name} ${describe(value)} must be an integer from 0 to ${MAX_SLOTS}`,
    );
  }
  return value;
}

/** The `arch` option: a profile name, or `null` when left out. */
function readArch(arch: unknown): ArchName | null {
  if (arch === undefined) return null;
  if (typeof arch === "string" && Object.hasOwn(ARCH_PROFILES, arch)) {
    return arch as ArchName;
  }
  throw invalid(
    `unknown arch ${describe(arch)} (expected one of ${
      Object.keys(ARCH_PROFILES).map((name) => `"${name}"`).join(", ")
    })`,
  );
}

/**
 * The `onlineCpus` option, iterated once: distinct CPU ids below `cpus`,
 * sorted; every CPU when left out.
 */
function readOnlineCpus(online: unknown, cpus: number): Int32Array {
  if (online === undefined) {
    const all = new Int32Array(cpus);
    for (let cpu = 0; cpu < cpus; cpu++) all[cpu] = cpu;
    return all;
  }
  if (
    typeof online !== "object" || online === null ||
    typeof (online as Iterable<unknown>)[Symbol.iterator] !== "function"
  ) {
    throw invalid(
      `onlineCpus ${describe(online)} must be an iterable of cpu ids`,
    );
  }
  const seen = new Uint8Array(cpus);
  const ids: number[] = [];
  for (const cpu of online as Iterable<unknown>) {
    if (
      typeof cpu !== "number" || !Number.isSafeInteger(cpu) || cpu < 0 ||
      cpu >= cpus
    ) {
      throw invalid(
        `online cpu ${describe(cpu)} is out of range (0..${cpus - 1})`,
      );
    }
    if (seen[cpu] === 1) throw invalid(`online cpu ${cpu} is listed twice`);
    seen[cpu] = 1;
    ids.push(cpu);
  }
  if (ids.length === 0) {
    throw invalid("onlineCpus is empty: at least one cpu must be online");
  }
  return Int32Array.from(ids).sort();
}

function isTaskIndex(index: unknown): index is TaskIndex {
  if (typeof index !== "object" || index === null) return false;
  const candidate = index as Record<string, unknown>;
  return typeof candidate.insert === "function" &&
    typeof candidate.remove === "function" &&
    typeof candidate.visitTask === "function" &&
    typeof candidate.size === "number";
}

/** Throws unless `index` is free and empty; does not claim it yet. */
function checkIndexFree(index: TaskIndex): void {
  if (CLAIMED_INDEXES.has(index)) {
    throw invalid(
      `index "${index.name}" already belongs to another engine (an index serves one engine for its lifetime)`,
    );
  }
  if (index.size !== 0) {
    throw invalid(
      `index "${index.name}" must be empty, it holds ${index.size} breakpoints`,
    );
  }
}

/** Marks `index` as taken, once every option has passed. */
export function claimIndex(index: TaskIndex): void {
  CLAIMED_INDEXES.add(index);
}
