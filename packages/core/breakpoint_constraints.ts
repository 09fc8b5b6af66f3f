/**
 * The constraint engine: decides whether a hardware breakpoint fits in the
 * machine's debug registers, and keeps the books when it does.
 *
 * @module
 */
import type { Accounting } from "./_accounting.ts";
import { Breakpoint } from "./_breakpoint.ts";
import { LockState } from "./_lock_state.ts";
import { createAccounting } from "./_strategies.ts";
import { verifyAccounting } from "./_verify.ts";
import {
  ACCOUNTING_STRATEGIES,
  type AccountingStrategy,
} from "./accounting_strategy.ts";
import type {
  BreakpointHandle,
  BreakpointSpec,
  BreakpointType,
} from "./breakpoint.ts";
import { ConstraintError } from "./constraint_error.ts";
import type { EngineWork } from "./engine_work.ts";
import {
  type ConstraintLockGuard,
  type ConstraintLockStep,
  LOCKING_DISCIPLINES,
  type LockingDiscipline,
} from "./locking.ts";
import type { SlotType, TaskIndex } from "./task_index.ts";

/**
 * Options of {@linkcode BreakpointConstraints}. `slots` and `sharedSlots`
 * can come from an `ARCH_PROFILES` entry.
 *
 * @example Usage
 * ```ts
 * import type { BreakpointConstraintsOptions } from "@hwbp/core";
 * import { ListTaskIndex } from "@hwbp/list";
 * import assert from "node:assert/strict";
 *
 * const options: BreakpointConstraintsOptions = {
 *   cpus: 8,
 *   slots: { inst: 6, data: 4 },
 *   index: new ListTaskIndex(),
 *   strategy: "legacy",
 * };
 * assert.equal(options.cpus, 8);
 * ```
 */
export interface BreakpointConstraintsOptions {
  /** Number of possible CPUs (ids `0..cpus-1`); 1 to 65,536. */
  cpus: number;
  /**
   * Breakpoint slots per CPU: one number for every pool, or one count per
   * pool. Each is an integer from 0 to 64.
   */
  slots: number | { inst: number; data: number };
  /**
   * Whether instruction and data breakpoints share one pool, as on x86
   * (default `false`). A shared pool needs equal `inst` and `data` counts.
   */
  sharedSlots?: boolean;
  /** Where task-bound breakpoints are kept; must be empty. */
  index: TaskIndex;
  /** The accounting algorithm (default `"current"`). */
  strategy?: AccountingStrategy;
  /** The locking discipline (default `"rwsem"`, as Linux v6.1+). */
  locking?: LockingDiscipline;
}

/**
 * A copy of every counter of a {@linkcode BreakpointConstraints}, as plain
 * arrays indexed `[pool][cpu]` (and `[slots - 1]` inside a histogram). Pool 0
 * is the instruction (or shared) pool, pool 1 the data pool. A strategy
 * without a global histogram returns an empty array for it: `"legacy"` keeps
 * neither, `"reserve-fastpath"` only `cpuPinnedAll`.
 *
 * @example Usage
 * ```ts
 * import { BreakpointConstraints } from "@hwbp/core";
 * import { ListTaskIndex } from "@hwbp/list";
 * import assert from "node:assert/strict";
 *
 * const hw = new BreakpointConstraints({ cpus: 2, slots: 4, sharedSlots: true, index: new ListTaskIndex() });
 * hw.reserve({ cpu: 1, type: "w" });
 * assert.deepEqual(hw.snapshot().cpuPinned, [[0, 1]]);
 * ```
 */
export interface ConstraintSnapshot {
  /** Live breakpoints, task-bound and CPU-pinned. */
  live: number;
  /** Task-bound breakpoints in the index. */
  taskBreakpoints: number;
  /** `[pool][cpu]`: slots taken by CPU-pinned breakpoints. */
  cpuPinned: number[][];
  /** `[pool][cpu][n]`: tasks using n + 1 slots on that CPU. */
  tskPinned: number[][][];
  /** `[pool][n]`: CPUs with n + 1 CPU-pinned slots in use. */
  cpuPinnedAll: number[][];
  /**
   * `[pool][n]`: CPU-independent tasks using n + 1 slots (`"current"` only;
   * elsewhere every task counts in `tskPinned`).
   */
  tskPinnedAll: number[][];
}

const MAX_CPUS = 65_536;
const MAX_SLOTS = 64;
const POOL_NAMES = ["inst", "data"] as const;

/**
 * Hardware-breakpoint slot accounting, after the Linux kernel's
 * `kernel/events/hw_breakpoint.c`.
 *
 * A breakpoint of pool T fits when, on every CPU c it can run on,
 * `cpuPinned(c, T) + taskSlots(c, T) + weight <= slots(T)`: the CPU-pinned
 * breakpoints of c, plus the slots of the breakpoint's task on c (or, for a
 * CPU-pinned breakpoint, the most any task uses on c), plus its own weight.
 *
 * Task-bound breakpoints live in the pluggable {@linkcode TaskIndex}. With
 * the `"current"` strategy and a hash index, reserve and release cost O(1)
 * for tasks whose breakpoints all target every CPU, independent of the
 * number of CPUs and tasks.
 *
 * Every method validates its input and throws a {@linkcode ConstraintError}
 * naming the bad value; a call that throws changes nothing.
 *
 * @example Usage
 * ```ts
 * import { BreakpointConstraints, ConstraintError } from "@hwbp/core";
 * import { ListTaskIndex } from "@hwbp/list";
 * import assert from "node:assert/strict";
 *
 * const hw = new BreakpointConstraints({ cpus: 4, slots: 4, sharedSlots: true, index: new ListTaskIndex() });
 * const handles = [1, 2, 3, 4].map(() => hw.reserve({ task: 7, type: "rw" }));
 * assert.throws(() => hw.reserve({ task: 7, type: "x" }), (e) => e instanceof ConstraintError && e.code === "ENOSPC");
 * assert.ok(hw.reserve({ task: 8, type: "x" })); // another task has its own slots
 * hw.release(handles[0]!);
 * assert.equal(hw.verify(), null);
 * ```
 */
export class BreakpointConstraints {
  readonly #cpus: number;
  readonly #slots: readonly number[];
  readonly #shared: boolean;
  readonly #strategy: AccountingStrategy;
  readonly #accounting: Accounting;
  readonly #locks: LockState;
  /** Identity token stamped on every handle this engine issues. */
  readonly #token: object = Object.freeze({});
  /** Head of the intrusive list of live handles, for self-checks. */
  #liveHead: Breakpoint | null = null;
  #liveCount = 0;

  /**
   * Creates an engine with every slot free.
   *
   * @param options The machine, the index and the strategy.
   */
  constructor(options: BreakpointConstraintsOptions) {
    if (typeof options !== "object" || options === null) {
      throw new ConstraintError(
        "EINVAL",
        `Cannot create constraints: options must be an object, got ${
          describe(options)
        }`,
      );
    }
    const { cpus, slots, index } = options;
    const shared = options.sharedSlots ?? false;
    const strategy = options.strategy ?? "current";
    const locking = options.locking ?? "rwsem";
    if (!Number.isSafeInteger(cpus) || cpus < 1 || cpus > MAX_CPUS) {
      throw new ConstraintError(
        "EINVAL",
        `Cannot create constraints: cpus ${
          describe(cpus)
        } must be an integer from 1 to ${MAX_CPUS}`,
      );
    }
    if (typeof shared !== "boolean") {
      throw new ConstraintError(
        "EINVAL",
        `Cannot create constraints: sharedSlots ${
          describe(shared)
        } must be a boolean`,
      );
    }
    if (!ACCOUNTING_STRATEGIES.includes(strategy)) {
      throw new ConstraintError(
        "EINVAL",
        `Cannot create constraints: unknown strategy ${
          describe(strategy)
        } (expected "legacy", "reserve-fastpath" or "current")`,
      );
    }
    if (!LOCKING_DISCIPLINES.includes(locking)) {
      throw new ConstraintError(
        "EINVAL",
        `Cannot create constraints: unknown locking ${
          describe(locking)
        } (expected "mutex" or "rwsem")`,
      );
    }
    const pools = poolSizes(slots, shared);
    if (!isTaskIndex(index)) {
      throw new ConstraintError(
        "EINVAL",
        `Cannot create constraints: index ${
          describe(index)
        } does not implement TaskIndex`,
      );
    }
    if (index.size !== 0) {
      throw new ConstraintError(
        "EINVAL",
        `Cannot create constraints: index "${index.name}" must be empty, it holds ${index.size} breakpoints`,
      );
    }
    this.#cpus = cpus;
    this.#slots = pools;
    this.#shared = shared;
    this.#strategy = strategy;
    this.#accounting = createAccounting(strategy, cpus, pools, index);
    this.#locks = new LockState(locking);
  }

  /** Number of possible CPUs. */
  get cpus(): number {
    return this.#cpus;
  }

  /** The accounting algorithm in use. */
  get strategy(): AccountingStrategy {
    return this.#strategy;
  }

  /** The locking discipline around the accounting. */
  get locking(): LockingDiscipline {
    return this.#locks.discipline;
  }

  /** Whether instruction and data breakpoints share one pool. */
  get sharedSlots(): boolean {
    return this.#shared;
  }

  /** The index holding the task-bound breakpoints. */
  get index(): TaskIndex {
    return this.#accounting.index;
  }

  /** Number of live breakpoints, task-bound and CPU-pinned. */
  get size(): number {
    return this.#liveCount;
  }

  /**
   * Slots per CPU in the pool a breakpoint type draws on.
   *
   * @param type An access type.
   * @returns The pool's slot count.
   */
  slotsOf(type: BreakpointType): number {
    return this.#slots[this.#slotOf(type, "Cannot count slots")]!;
  }

  /**
   * Reserves slots for a breakpoint (the kernel's `reserve_bp_slot()`).
   *
   * @param spec The breakpoint: type, and cpu and/or task.
   * @returns A handle to pass to {@linkcode release} or {@linkcode modify}.
   * @throws {ConstraintError} `ENOSPC` if it does not fit, `EINVAL` for a
   * malformed spec, `E2BIG` if the index refuses to grow, `EDEADLK` if a
   * guard from {@linkcode lock} holds a lock this breakpoint needs.
   */
  reserve(spec: BreakpointSpec): BreakpointHandle {
    if (typeof spec !== "object" || spec === null) {
      throw new ConstraintError(
        "EINVAL",
        `Cannot reserve breakpoint: spec must be an object, got ${
          describe(spec)
        }`,
      );
    }
    const cpu = spec.cpu ?? -1;
    const task = spec.task ?? null;
    const weight = spec.weight ?? 1;
    const slot = this.#slotOf(spec.type, "Cannot reserve breakpoint");
    if (!Number.isSafeInteger(cpu) || cpu < -1 || cpu >= this.#cpus) {
      throw new ConstraintError(
        "EINVAL",
        `Cannot reserve breakpoint: cpu ${
          describe(cpu)
        } is out of range (-1 or 0..${this.#cpus - 1})`,
      );
    }
    if (task !== null && (!Number.isSafeInteger(task) || task < 0)) {
      throw new ConstraintError(
        "EINVAL",
        `Cannot reserve breakpoint: task ${
          describe(task)
        } must be a non-negative integer or null`,
      );
    }
    if (task === null && cpu === -1) {
      throw new ConstraintError(
        "EINVAL",
        "Cannot reserve breakpoint: a breakpoint without a task needs a cpu, got cpu -1",
      );
    }
    if (!Number.isSafeInteger(weight) || weight < 1) {
      throw new ConstraintError(
        "EINVAL",
        `Cannot reserve breakpoint: weight ${
          describe(weight)
        } must be a positive integer`,
      );
    }
    if (this.#locks.held !== 0) {
      this.#locks.check(task, "Cannot reserve breakpoint");
    }
    const bp = new Breakpoint(this.#token, task, cpu, spec.type, slot, weight);
    this.#enable(bp, "Cannot reserve breakpoint");
    this.#link(bp);
    return bp;
  }

  /**
   * Frees a breakpoint's slots (the kernel's `release_bp_slot()`).
   *
   * @param handle A live handle from this instance's {@linkcode reserve}.
   * @throws {ConstraintError} `ENOENT` if the handle was released already or
   * belongs to another instance, `EINVAL` if it is no handle at all,
   * `EDEADLK` if a guard from {@linkcode lock} holds a lock it needs.
   */
  release(handle: BreakpointHandle): void {
    const bp = this.#live(handle, "Cannot release breakpoint");
    if (this.#locks.held !== 0) {
      this.#locks.check(bp.task, "Cannot release breakpoint");
    }
    this.#accounting.release(bp);
    this.#unlink(bp);
  }

  /**
   * Changes a breakpoint's access type (the kernel's `modify_bp_slot()`):
   * releases the old type's slot and reserves the new one. If the new type
   * does not fit, the old reservation is restored and `ENOSPC` thrown.
   *
   * @param handle A live handle from this instance's {@linkcode reserve}.
   * @param type The new access type.
   * @throws {ConstraintError} `ENOSPC` if the new type does not fit,
   * `ENOENT` for a dead or foreign handle, `EINVAL` for an unknown type,
   * `EDEADLK` if a guard from {@linkcode lock} holds a lock it needs.
   */
  modify(handle: BreakpointHandle, type: BreakpointType): void {
    const bp = this.#live(handle, "Cannot modify breakpoint");
    const slot = this.#slotOf(type, "Cannot modify breakpoint");
    if (type === bp.type) return;
    if (this.#locks.held !== 0) {
      this.#locks.check(bp.task, "Cannot modify breakpoint");
    }
    const oldType = bp.type;
    const oldSlot = bp.slot;
    const accounting = this.#accounting;
    accounting.release(bp);
    bp.type = type;
    bp.slot = slot;
    try {
      this.#enable(bp, "Cannot modify breakpoint");
    } catch (error) {
      // Take the old slot back with a full reserve, as __modify_bp_slot()
      // does. It was ours a moment ago and nothing else ran since, so it
      // must fit again.
      bp.type = oldType;
      bp.slot = oldSlot;
      this.#enable(bp, "Cannot modify breakpoint");
      throw error;
    }
  }

  /**
   * Whether any slot is in use anywhere (`hw_breakpoint_is_used()`).
   *
   * @returns `true` if some breakpoint holds a slot.
   */
  isUsed(): boolean {
    return this.#accounting.isUsed();
  }

  /**
   * Recomputes every count and histogram from the live breakpoints, checks
   * that the index holds exactly the live task-bound ones, and that no CPU
   * is over-committed. O(live breakpoints × CPUs); for tests and debugging.
   *
   * @returns `null` if all is consistent, else a description of the first
   * mismatch found.
   */
  verify(): string | null {
    const live: Breakpoint[] = [];
    for (let bp = this.#liveHead; bp !== null; bp = bp.nextLive) live.push(bp);
    return verifyAccounting(this.#accounting, live);
  }

  /**
   * Copies every counter, for inspection and before/after comparisons.
   *
   * @returns Plain arrays, safe to keep and compare.
   */
  snapshot(): ConstraintSnapshot {
    return {
      live: this.#liveCount,
      taskBreakpoints: this.#accounting.index.size,
      ...this.#accounting.state(),
    };
  }

  /**
   * Reserves slots from the kernel debugger (`dbg_reserve_bp_slot()`): as
   * {@linkcode reserve}, but it never waits for a lock. If the constraints
   * are locked for this breakpoint (`bp_constraints_is_locked()`, see
   * {@linkcode isLocked}), it fails at once with `EBUSY`, changing nothing.
   *
   * @param spec The breakpoint: type, and cpu and/or task.
   * @returns A handle, as from {@linkcode reserve}.
   * @throws {ConstraintError} `EBUSY` while locked, else as
   * {@linkcode reserve}.
   */
  dbgReserve(spec: BreakpointSpec): BreakpointHandle {
    const locks = this.#locks;
    locks.noWait = true;
    try {
      return this.reserve(spec);
    } finally {
      locks.noWait = false;
    }
  }

  /**
   * Frees slots from the kernel debugger (`dbg_release_bp_slot()`): as
   * {@linkcode release}, but fails at once with `EBUSY`, changing nothing,
   * while the constraints are locked for this breakpoint.
   *
   * @param handle A live handle from this instance.
   * @throws {ConstraintError} `EBUSY` while locked, else as
   * {@linkcode release}.
   */
  dbgRelease(handle: BreakpointHandle): void {
    const locks = this.#locks;
    locks.noWait = true;
    try {
      this.release(handle);
    } finally {
      locks.noWait = false;
    }
  }

  /**
   * The locks `bp_constraints_lock()` takes for a breakpoint of `task`, in
   * acquisition order: `[nr_bp_mutex]` with the `"mutex"` discipline; with
   * `"rwsem"`, `[perf_event_mutex of task, bp_cpuinfo_sem read]` for a
   * task-bound breakpoint and `[bp_cpuinfo_sem write]` for a CPU-pinned one.
   *
   * @param task A task id, or `null` for a CPU-pinned breakpoint.
   * @returns The lock steps, frozen.
   * @throws {ConstraintError} `EINVAL` for a malformed task.
   */
  locksFor(task: number | null): readonly ConstraintLockStep[] {
    return this.#locks.stepsFor(lockTask(task, "Cannot list locks"));
  }

  /**
   * Takes the locks of a breakpoint of `task` (`bp_constraints_lock()`) and
   * holds them until the guard's `unlock()`. While held, a reserve, release
   * or modify that needs one of them throws `EDEADLK` and a
   * {@linkcode dbgReserve} or {@linkcode dbgRelease} throws `EBUSY`; calls
   * for other tasks go ahead where the discipline lets them run in
   * parallel.
   *
   * @param task A task id, or `null` for a CPU-pinned breakpoint.
   * @returns The guard that holds the locks.
   * @throws {ConstraintError} `EDEADLK` if a needed lock is held already,
   * `EINVAL` for a malformed task.
   */
  lock(task: number | null): ConstraintLockGuard {
    return this.#locks.acquire(lockTask(task, "Cannot lock constraints"));
  }

  /**
   * Whether the constraints are locked. With no argument: whether any lock
   * is held at all. With a task (or `null` for a CPU-pinned breakpoint):
   * the kernel's `bp_constraints_is_locked()` for a breakpoint of it, which
   * is what the debugger entries check: `nr_bp_mutex` held, or
   * `bp_cpuinfo_sem` write-locked, or else the task's `perf_event_mutex`
   * held (task-bound) or `bp_cpuinfo_sem` read-locked (CPU-pinned).
   *
   * @param task A task id, `null`, or nothing for "any lock".
   * @returns Whether a lock is held.
   * @throws {ConstraintError} `EINVAL` for a malformed task.
   */
  isLocked(task?: number | null): boolean {
    if (task === undefined) return this.#locks.held !== 0;
    return this.#locks.conflict(lockTask(task, "Cannot test locks")) !== null;
  }

  /**
   * The engine's work counters: the accounting's and the index's.
   *
   * @param into An object to fill instead of allocating one.
   * @returns `into`, or a new object, holding the counts.
   */
  readWork(into?: EngineWork): EngineWork {
    const work = this.#accounting.work;
    const indexWork = this.#accounting.index.work;
    const out = into ?? {
      calls: 0,
      cpuLoopIterations: 0,
      histogramCells: 0,
      lookups: 0,
      entriesVisited: 0,
      bucketsTouched: 0,
      inserts: 0,
      removes: 0,
    };
    out.calls = work.calls;
    out.cpuLoopIterations = work.cpuLoopIterations;
    out.histogramCells = work.histogramCells;
    out.lookups = indexWork.lookups;
    out.entriesVisited = indexWork.entriesVisited;
    out.bucketsTouched = indexWork.bucketsTouched;
    out.inserts = work.inserts;
    out.removes = work.removes;
    return out;
  }

  /** Zeroes every work counter, the engine's and the index's. */
  resetWork(): void {
    this.#accounting.work.reset();
    this.#accounting.index.resetWork();
  }

  /** Checks the fit, then accounts `bp` (`__reserve_bp_slot()`). */
  #enable(bp: Breakpoint, context: string): void {
    const accounting = this.#accounting;
    let pinned: number;
    try {
      pinned = accounting.reserve(bp);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (code === "E2BIG") {
        throw new ConstraintError(
          "E2BIG",
          `${context}: index "${accounting.index.name}" is full: ${
            (error as Error).message
          }`,
        );
      }
      throw error;
    }
    if (pinned >= 0) {
      const slots = this.#slots[bp.slot]!;
      const where = bp.cpu < 0 ? "its busiest cpu" : `cpu ${bp.cpu}`;
      throw new ConstraintError(
        "ENOSPC",
        `${context}: "${bp.type}" needs ${bp.weight} ${
          this.#poolName(bp.slot)
        } slot(s) but ${pinned} of ${slots} are taken on ${where}`,
      );
    }
  }

  #slotOf(type: unknown, context: string): SlotType {
    // Any R/W bit takes a data slot, X an instruction slot
    // (find_slot_idx()); a shared pool has only slot index 0.
    switch (type) {
      case "r":
      case "w":
      case "rw":
        return this.#shared ? 0 : 1;
      case "x":
        return 0;
    }
    throw new ConstraintError(
      "EINVAL",
      `${context}: unknown type ${
        describe(type)
      } (expected "r", "w", "rw" or "x")`,
    );
  }

  #poolName(slot: SlotType): string {
    return this.#shared ? "shared" : POOL_NAMES[slot];
  }

  #live(handle: BreakpointHandle, context: string): Breakpoint {
    if (!(handle instanceof Breakpoint)) {
      throw new ConstraintError(
        "EINVAL",
        `${context}: ${describe(handle)} is not a breakpoint handle`,
      );
    }
    if (handle.owner !== this.#token) {
      throw new ConstraintError(
        "ENOENT",
        `${context}: handle ${
          describeHandle(handle)
        } belongs to another instance`,
      );
    }
    if (!handle.live) {
      throw new ConstraintError(
        "ENOENT",
        `${context}: handle ${describeHandle(handle)} was already released`,
      );
    }
    return handle;
  }

  #link(bp: Breakpoint): void {
    const head = this.#liveHead;
    bp.nextLive = head;
    if (head !== null) head.prevLive = bp;
    this.#liveHead = bp;
    this.#liveCount++;
  }

  #unlink(bp: Breakpoint): void {
    const { prevLive, nextLive } = bp;
    if (prevLive !== null) prevLive.nextLive = nextLive;
    else this.#liveHead = nextLive;
    if (nextLive !== null) nextLive.prevLive = prevLive;
    bp.prevLive = null;
    bp.nextLive = null;
    bp.live = false;
    this.#liveCount--;
  }
}

function poolSizes(slots: unknown, shared: boolean): number[] {
  if (typeof slots === "object" && slots !== null) {
    const { inst, data } = slots as { inst?: unknown; data?: unknown };
    const pools = [
      slotCount(inst, "slots.inst"),
      slotCount(data, "slots.data"),
    ];
    if (!shared) return pools;
    if (pools[0] !== pools[1]) {
      throw new ConstraintError(
        "EINVAL",
        `Cannot create constraints: a shared pool needs equal counts, got slots.inst ${
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
    throw new ConstraintError(
      "EINVAL",
      `Cannot create constraints: ${name} ${
        describe(value)
      } must be an integer from 0 to ${MAX_SLOTS}`,
    );
  }
  return value;
}

function lockTask(task: unknown, context: string): number | null {
  if (task === null || (Number.isSafeInteger(task) && (task as number) >= 0)) {
    return task as number | null;
  }
  throw new ConstraintError(
    "EINVAL",
    `${context}: task ${describe(task)} must be a non-negative integer or null`,
  );
}

function isTaskIndex(index: unknown): index is TaskIndex {
  if (typeof index !== "object" || index === null) return false;
  const candidate = index as Record<string, unknown>;
  return typeof candidate.insert === "function" &&
    typeof candidate.remove === "function" &&
    typeof candidate.visitTask === "function" &&
    typeof candidate.size === "number";
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || typeof value !== "object") return String(value);
  if (Array.isArray(value)) return "an array";
  return "an object";
}

function describeHandle(bp: Breakpoint): string {
  const target = bp.task === null ? `cpu ${bp.cpu}` : `task ${bp.task}`;
  return `"${bp.type}" on ${target}`;
}
