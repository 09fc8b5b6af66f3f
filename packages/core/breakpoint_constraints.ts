/**
 * The constraint engine: decides whether a hardware breakpoint fits in the
 * machine's debug registers, and keeps the books when it does.
 *
 * @module
 */
import { Books } from "./_books.ts";
import {
  addressOf,
  type Breakpoint,
  copyRecord,
  isDisabled,
  lengthOf,
  newRecord,
  setAddress,
  setCpu,
  setDisabled,
  setLength,
  setTask,
  setType,
  slotOf,
  taskOf,
  typeOf,
} from "./_breakpoint.ts";
import { inheritFailure, lockTask } from "./_errors.ts";
import { LockState } from "./_lock_state.ts";
import { claimIndex, readOptions } from "./_options.ts";
import { readTaskId, SpecRules } from "./_spec.ts";
import { createAccounting } from "./_strategies.ts";
import type { AccountingStrategy } from "./accounting_strategy.ts";
import type {
  BreakpointChanges,
  BreakpointHandle,
  BreakpointSpec,
  BreakpointType,
  WideBreakpointSpec,
} from "./breakpoint.ts";
import { ConstraintError } from "./constraint_error.ts";
import type { BreakpointConstraintsOptions } from "./constraint_options.ts";
import type { ConstraintSnapshot } from "./constraint_snapshot.ts";
import type { EngineWork } from "./engine_work.ts";
import type {
  ConstraintLockGuard,
  ConstraintLockStep,
  LockingDiscipline,
} from "./locking.ts";
import type { ArchName } from "./profiles.ts";
import type { TaskIndex } from "./task_index.ts";

const RESERVE = "Cannot reserve breakpoint";
const WIDE = "Cannot register wide breakpoint";
const INHERIT = "Cannot inherit breakpoints";
const RELEASE = "Cannot release breakpoint";
const MODIFY = "Cannot modify breakpoint";
/**
 * Hardware-breakpoint slot accounting, after the Linux kernel's
 * `kernel/events/hw_breakpoint.c`.
 *
 * A breakpoint of pool T fits when, on every CPU c it can run on,
 * `cpuPinned(c, T) + taskSlots(c, T) + weight <= slots(T)`: the CPU-pinned
 * breakpoints of c, plus the slots of the breakpoint's task on c (or, for a
 * CPU-pinned breakpoint, the most any task uses on c), plus its own weight.
 *
 * Creating a breakpoint follows `perf_event_open()`: a type whose pool has
 * no slot at all is refused (`EOPNOTSUPP`), then the slot is reserved
 * (`ENOSPC` if it does not fit), then the attributes are parsed by the
 * architecture's rules (`EINVAL`, and the slot is given back). So a full
 * machine answers `ENOSPC` even for an invalid breakpoint.
 *
 * Task-bound breakpoints live in the pluggable {@linkcode TaskIndex}, which
 * belongs to this engine for its lifetime. With the `"current"` strategy
 * and a hash index, reserve and release cost O(1) for tasks whose
 * breakpoints all target every CPU, independent of the number of CPUs and
 * tasks.
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
  readonly #strategy: AccountingStrategy;
  readonly #books: Books;
  readonly #locks: LockState;
  readonly #rules: SpecRules;
  readonly #online: Int32Array;
  readonly #onlineList: readonly number[];

  /**
   * Creates an engine with every slot free. It takes `options.index` for
   * its lifetime: no other engine may use that index, ever.
   *
   * @param options The machine, the index, the strategy and the locking.
   * @throws {ConstraintError} `EINVAL` naming the first option that makes
   * no sense, or an index that is not empty or belongs to another engine.
   */
  constructor(options: BreakpointConstraintsOptions) {
    const o = readOptions(options);
    this.#cpus = o.cpus;
    this.#strategy = o.strategy;
    this.#rules = new SpecRules(o.cpus, o.shared, o.arch);
    this.#online = o.online;
    this.#onlineList = Object.freeze(Array.from(o.online));
    this.#books = new Books(
      createAccounting(o.strategy, o.cpus, o.pools, o.index),
      o.pools,
      o.shared,
    );
    this.#locks = new LockState(o.locking);
    claimIndex(o.index);
  }

  /** Number of possible CPUs. */
  get cpus(): number {
    return this.#cpus;
  }

  /** The online CPUs, ascending (a frozen array). */
  get onlineCpus(): readonly number[] {
    return this.#onlineList;
  }

  /** The architecture whose attribute rules apply, or `null` if generic. */
  get arch(): ArchName | null {
    return this.#rules.arch;
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
    return this.#books.shared;
  }

  /** The index holding the task-bound breakpoints. */
  get index(): TaskIndex {
    return this.#books.accounting.index;
  }

  /** Number of live breakpoints, task-bound and CPU-pinned. */
  get size(): number {
    return this.#books.liveCount;
  }

  /**
   * Slots per CPU in the pool a breakpoint type draws on.
   *
   * @param type An access type.
   * @returns The pool's slot count.
   */
  slotsOf(type: BreakpointType): number {
    return this.#books
      .slots[this.#rules.slotOrThrow(type, "Cannot count slots")]!;
  }

  /**
   * Creates a breakpoint, as `perf_event_open()` does
   * (`hw_breakpoint_event_init()` → `register_perf_hw_breakpoint()`):
   * refuses a type with no slots, reserves the slot (`reserve_bp_slot()`),
   * then parses the attributes (`hw_breakpoint_parse()`), giving the slot
   * back if they are invalid.
   *
   * @param spec The breakpoint: type, target, weight and attributes.
   * @returns A handle to pass to {@linkcode release} or {@linkcode modify}.
   * @throws {ConstraintError} In this order: `EINVAL` for a malformed
   * spec, `EOPNOTSUPP` if the type's pool has 0 slots, `EDEADLK` if a guard
   * from {@linkcode lock} holds a lock this breakpoint needs, `ENOSPC` if it
   * does not fit, `E2BIG` if the index refuses to grow, then `EINVAL` (or
   * `EOPNOTSUPP` for an x86 range breakpoint) if the architecture rejects
   * the address or length.
   */
  reserve(spec: BreakpointSpec): BreakpointHandle {
    const books = this.#books;
    const bp = newRecord();
    const rules = this.#rules;
    const problem = rules.read(bp, spec, RESERVE, false);
    if (books.slots[slotOf(bp)] === 0) throw books.unsupported(bp, RESERVE)!;
    if (this.#locks.held !== 0) this.#locks.check(taskOf(bp), RESERVE);
    books.enable(bp, RESERVE);
    if (problem !== null) {
      books.accounting.release(bp);
      throw rules.parseError(RESERVE, bp, problem);
    }
    books.link(bp);
    return bp;
  }

  /**
   * Creates one CPU-pinned breakpoint on every online CPU, all or nothing
   * (`register_wide_hw_breakpoint()`): if one CPU refuses, those already
   * created are released and the error is thrown.
   *
   * @param spec The breakpoint's type, weight and attributes; no target.
   * @returns One handle per online CPU, in ascending CPU order.
   * @throws {ConstraintError} As {@linkcode reserve}; `ENOSPC` names the
   * first CPU without room.
   *
   * @example Usage
   * ```ts
   * import { BreakpointConstraints, ConstraintError } from "@hwbp/core";
   * import { ListTaskIndex } from "@hwbp/list";
   * import assert from "node:assert/strict";
   *
   * const hw = new BreakpointConstraints({ cpus: 4, slots: 1, onlineCpus: [0, 2], index: new ListTaskIndex() });
   * const wide = hw.registerWide({ type: "w", address: 0x1000 });
   * assert.deepEqual(wide.map((h) => h.cpu), [0, 2]);
   * hw.reserve({ cpu: 1, type: "w" }); // offline CPUs keep their slots
   * hw.release(wide[1]!);
   * hw.reserve({ cpu: 2, type: "w" });
   * assert.throws(() => hw.registerWide({ type: "w" }), (e) => e instanceof ConstraintError && e.code === "ENOSPC");
   * assert.equal(hw.size, 3); // nothing of the failed call is left
   * ```
   */
  registerWide(spec: WideBreakpointSpec): BreakpointHandle[] {
    const books = this.#books;
    const template = newRecord();
    const rules = this.#rules;
    // Every CPU gets the same attributes, so one parse answers for all; its
    // verdict still counts only after each CPU's reservation, as
    // register_perf_hw_breakpoint() orders the two.
    const problem = rules.read(template, spec, WIDE, true);
    const unsupported = books.unsupported(template, WIDE);
    if (unsupported !== null) throw unsupported;
    if (this.#locks.held !== 0) this.#locks.check(null, WIDE);
    const online = this.#online;
    const made: Breakpoint[] = [];
    for (let i = 0; i < online.length; i++) {
      const bp = i === 0 ? template : copyRecord(template);
      setCpu(bp, online[i]!);
      try {
        books.enable(bp, WIDE);
      } catch (error) {
        books.releaseAll(made);
        throw error;
      }
      if (problem !== null) {
        books.accounting.release(bp);
        books.releaseAll(made);
        throw rules.parseError(WIDE, bp, problem);
      }
      made.push(bp);
    }
    const handles: BreakpointHandle[] = [];
    for (const bp of made) {
      books.link(bp);
      handles.push(bp);
    }
    return handles;
  }

  /**
   * Gives a new task a copy of each live breakpoint of its parent that was
   * created with `inherit: true`, as `fork()` does
   * (`perf_event_init_task()`), all or nothing: if one copy does not fit,
   * the copies made so far are released and `fork()` fails. The copies are
   * inheritable in turn. The parent's breakpoints are found in a per-task
   * list the engine keeps, not through the index, so the cost is
   * O(parent's inheritable breakpoints) plus their reservations.
   *
   * @param parentTask The task that forks.
   * @param childTask The new task; must differ from the parent.
   * @returns The child's handles, in the order the parent's breakpoints
   * were created.
   * @throws {ConstraintError} `EINVAL` for bad task ids, or the code of the
   * copy that failed (`ENOSPC`, `E2BIG`) with a message naming it.
   *
   * @example Usage
   * ```ts
   * import { BreakpointConstraints } from "@hwbp/core";
   * import { ListTaskIndex } from "@hwbp/list";
   * import assert from "node:assert/strict";
   *
   * const hw = new BreakpointConstraints({ cpus: 2, slots: 4, index: new ListTaskIndex() });
   * hw.reserve({ task: 1, type: "w", inherit: true });
   * hw.reserve({ task: 1, type: "x" }); // not inheritable
   * const copies = hw.inherit(1, 2);
   * assert.deepEqual(copies.map((h) => [h.task, h.type, h.inherit]), [[2, "w", true]]);
   * assert.equal(hw.inherit(2, 3).length, 1); // a grandchild inherits too
   * ```
   */
  inherit(parentTask: number, childTask: number): BreakpointHandle[] {
    const parent = readTaskId(parentTask, "parent task", INHERIT);
    const child = readTaskId(childTask, "child task", INHERIT);
    if (parent === child) {
      throw new ConstraintError(
        "EINVAL",
        `${INHERIT}: child task ${child} must differ from its parent`,
      );
    }
    const books = this.#books;
    const handles: BreakpointHandle[] = [];
    const sources = books.inherit.of(parent);
    if (sources === undefined) return handles;
    if (this.#locks.held !== 0) this.#locks.check(child, INHERIT);
    const made: Breakpoint[] = [];
    for (const source of sources) {
      const bp = copyRecord(source);
      setTask(bp, child);
      try {
        books.enable(bp, INHERIT);
      } catch (error) {
        books.releaseAll(made);
        throw inheritFailure(
          error,
          INHERIT,
          source,
          made.length + 1,
          parent,
          child,
        );
      }
      made.push(bp);
    }
    for (const bp of made) {
      books.link(bp);
      handles.push(bp);
    }
    return handles;
  }

  /**
   * Frees a breakpoint's slots (the kernel's `release_bp_slot()`).
   *
   * @param handle A live handle from this instance.
   * @throws {ConstraintError} `ENOENT` if the handle was released already or
   * belongs to another instance, `EINVAL` if it is no handle at all,
   * `EDEADLK` if a guard from {@linkcode lock} holds a lock it needs.
   */
  release(handle: BreakpointHandle): void {
    const books = this.#books;
    const bp = books.live(handle, RELEASE);
    if (this.#locks.held !== 0) this.#locks.check(taskOf(bp), RELEASE);
    books.accounting.release(bp);
    books.unlink(bp);
  }

  /**
   * Changes a breakpoint's attributes, as the kernel's
   * `modify_user_hw_breakpoint_check()`: parses the new attributes first,
   * then, if the type moves to another pool, releases the old slot and
   * reserves the new one (`modify_bp_slot()`), taking the old one back if
   * the new one does not fit. `disabled` keeps the slot either way.
   *
   * @param handle A live handle from this instance.
   * @param changes The new access type, or `{ type?, address?, length?,
   * disabled? }`; a missing field keeps its value.
   * @throws {ConstraintError} `ENOENT` for a dead or foreign handle,
   * `EINVAL` for malformed changes or attributes the architecture rejects,
   * `ENOSPC` if the new type does not fit (a pool of 0 slots included, as
   * `modify_bp_slot()` answers), `EDEADLK` if a guard from
   * {@linkcode lock} holds a lock it needs. A failure changes nothing.
   *
   * @example Usage
   * ```ts
   * import { BreakpointConstraints } from "@hwbp/core";
   * import { ListTaskIndex } from "@hwbp/list";
   * import assert from "node:assert/strict";
   *
   * const hw = new BreakpointConstraints({ cpus: 1, ...{ slots: { inst: 1, data: 1 } }, index: new ListTaskIndex() });
   * const bp = hw.reserve({ task: 1, type: "w", address: 0x1000 });
   * hw.modify(bp, { type: "rw", address: 0x2000n, disabled: true });
   * assert.deepEqual([bp.type, bp.address, bp.disabled], ["rw", 0x2000n, true]);
   * hw.modify(bp, "x"); // moves to the instruction pool
   * assert.equal(hw.snapshot().tskPinnedAll[0]![0], 1);
   * ```
   */
  modify(
    handle: BreakpointHandle,
    changes: BreakpointType | BreakpointChanges,
  ): void {
    const books = this.#books;
    const bp = books.live(handle, MODIFY);
    const rules = this.#rules;
    const next = copyRecord(bp);
    rules.readChanges(next, changes, MODIFY);
    const problem = rules.check(typeOf(next), addressOf(next), lengthOf(next));
    if (problem !== null) throw rules.parseError(MODIFY, next, problem);
    if (typeOf(next) !== typeOf(bp)) {
      // modify_bp_slot() runs for any new type, the same pool included.
      if (this.#locks.held !== 0) this.#locks.check(taskOf(bp), MODIFY);
      books.moveSlot(bp, typeOf(next), slotOf(next), MODIFY);
    }
    setType(bp, typeOf(next));
    setAddress(bp, addressOf(next));
    setLength(bp, lengthOf(next));
    setDisabled(bp, isDisabled(next));
  }

  /**
   * Whether any slot is in use anywhere (`hw_breakpoint_is_used()`).
   *
   * @returns `true` if some breakpoint holds a slot.
   */
  isUsed(): boolean {
    return this.#books.accounting.isUsed();
  }

  /**
   * Recomputes every count and histogram from the live breakpoints, checks
   * that the index holds exactly the live task-bound ones, that the
   * per-task lists of inheritable breakpoints are right, and that no CPU
   * is over-committed. O(live breakpoints × CPUs); for tests and debugging.
   *
   * @returns `null` if all is consistent, else a description of the first
   * mismatch found.
   */
  verify(): string | null {
    return this.#books.verify();
  }

  /**
   * Copies every counter, for inspection and before/after comparisons.
   *
   * @returns Plain arrays, safe to keep and compare.
   */
  snapshot(): ConstraintSnapshot {
    return {
      live: this.#books.liveCount,
      taskBreakpoints: this.#books.accounting.index.size,
      ...this.#books.accounting.state(),
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
    const accounting = this.#books.accounting;
    const work = accounting.work;
    const indexWork = accounting.index.work;
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
    const accounting = this.#books.accounting;
    accounting.work.reset();
    accounting.index.resetWork();
  }
}
