// The virtual-time model of `perf bench breakpoint thread`: a discrete-event
// simulation in nanoseconds that drives the real engine in virtual-time
// order.
//
// Actors. The main task and each of the p spawners run on their own CPU,
// each with its own virtual clock. An actor's program (a generator) adds
// costs to its clock privately and yields to the scheduler before every
// step that touches shared state (claiming a batch, taking a lock, calling
// the engine), so those steps happen in global virtual-time order: the
// scheduler always resumes the actor with the smallest clock, ties going to
// the smaller id (the main task is 0, spawner s is s + 1). Nothing reads a
// clock: the total is a pure function of the workload, the engine's work
// counters and the cost table.
//
// The workload (tools/perf/bench/breakpoint.c):
// - the main task creates the p spawners one after the other; each
//   creation costs threadCreate, plus per inherited event perEvent and one
//   reserve (copy_process() inherits the events in the parent's context);
// - a spawner claims batches from the shared counter until none is left. A
//   batch creates t threads (each: threadCreate, and per event perEvent and
//   a reserve), then wakes and joins them (each: threadExit, and per event
//   perEvent and a release). In the kernel the t threads exit on their own
//   CPUs and the spawner waits in pthread_join(); the model charges each
//   exit to the spawner's timeline, one after the other;
// - a spawner that finds no batch exits the same way (threadExit, per
//   event perEvent and a release); the run ends when the last spawner has
//   exited, which is when the main task's joins return.
//
// An accounting call takes the locks the engine names for it
// (BreakpointConstraints.locksFor(): nr_bp_mutex under "mutex"; the task's
// perf_event_mutex then the read side of bp_cpuinfo_sem under "rwsem", the
// write side for a CPU-pinned breakpoint), each costing lockAcquire when
// free. A busy lock queues the caller, first in first out; the release hands
// it to the next waiter, who runs lockWakeup later. Holding its locks, the
// call runs on the engine at that virtual instant and costs
//   Σ accounting[counter] × (that counter's change during the call),
// read with readWork() before and after, with the costs of the engine's
// index (CostTable.indexAccounting, else CostTable.accounting). Then it
// releases its locks in reverse order.
import type {
  BreakpointConstraints,
  BreakpointHandle,
  BreakpointSpec,
  ConstraintLockStep,
  EngineWork,
} from "@hwbp/core";
import {
  type AccountingCosts,
  type CostTable,
  DEFAULT_COST_TABLE,
} from "./cost_table.ts";
import { engineFor, releaseAll, type ValidOptions } from "./_validate.ts";
import { VirtualMutex, VirtualRwsem } from "./_virtual_locks.ts";
import type { BreakpointThreadResult, ModelBreakdown } from "./options.ts";

/** One timeline: the main task or a spawner, with where its time went. */
class Actor {
  readonly id: number;
  clock = 0;
  program: Generator<void, void, void> | null = null;
  queuedAt = 0;
  threads = 0;
  events = 0;
  accounting = 0;
  locks = 0;
  waiting = 0;

  constructor(id: number) {
    this.id = id;
  }

  /** Starts this timeline where `parent`'s is, inheriting its path. */
  inherit(parent: Actor): void {
    this.clock = parent.clock;
    this.threads = parent.threads;
    this.events = parent.events;
    this.accounting = parent.accounting;
    this.locks = parent.locks;
    this.waiting = parent.waiting;
  }
}

function emptyWork(): EngineWork {
  return {
    calls: 0,
    cpuLoopIterations: 0,
    histogramCells: 0,
    lookups: 0,
    entriesVisited: 0,
    bucketsTouched: 0,
    inserts: 0,
    removes: 0,
  };
}

/** Runs the model; `o` is validated, with clock "model". */
export function modelBreakpointThread(
  o: ValidOptions,
): BreakpointThreadResult {
  const engine = engineFor(o, true);
  const run = new VirtualRun(o, engine, o.costs ?? DEFAULT_COST_TABLE);
  try {
    return run.run();
  } catch (error) {
    if (engine !== null) run.releaseAll();
    throw error;
  }
}

const MAIN_TASK = 0;

class VirtualRun {
  readonly #o: ValidOptions;
  readonly #engine: BreakpointConstraints | null;
  readonly #costs: CostTable;
  readonly #unit: AccountingCosts;
  readonly #actors: Actor[] = [];
  /** Binary min-heap of runnable actors by (clock, id). */
  readonly #heap: Actor[] = [];
  /** The clock of the step being run. */
  #now = 0;
  readonly #bpMutex: VirtualMutex;
  readonly #sem: VirtualRwsem;
  readonly #taskMutexes = new Map<number, VirtualMutex>();
  readonly #freeMutexes: VirtualMutex[] = [];
  readonly #grant = (id: number): void => this.#wake(id);
  // The model reserves a new thread's copies one by one with this spec
  // instead of calling BreakpointConstraints.inherit(): in the kernel each
  // inherited event is registered on its own (inherit_event() →
  // perf_event_alloc() → reserve_bp_slot()), taking and dropping the locks
  // each time, so other timelines can run between two copies. Reserving
  // the copies by hand costs the engine exactly what inherit() costs.
  readonly #spec: BreakpointSpec & { task: number } = {
    type: "rw",
    cpu: -1,
    task: MAIN_TASK,
    inherit: true,
  };
  readonly #before = emptyWork();
  readonly #after = emptyWork();
  readonly #mainHandles: (BreakpointHandle | null)[];
  readonly #spawnerHandles: (BreakpointHandle | null)[];
  readonly #threadHandles: (BreakpointHandle | null)[][] = [];
  #remaining: number;
  #nextTask: number;
  #progress = 0;
  #reserves = 0;
  #releases = 0;
  #spawnerReserves = 0;
  #spawnerReleases = 0;
  #live = 0;
  #peakLive = 0;
  #end: Actor | null = null;
  #finished = 0;

  constructor(
    o: ValidOptions,
    engine: BreakpointConstraints | null,
    costs: CostTable,
  ) {
    this.#o = o;
    this.#engine = engine;
    this.#costs = costs;
    this.#unit =
      (engine === null
        ? undefined
        : costs.indexAccounting?.[engine.index.name]) ?? costs.accounting;
    this.#bpMutex = new VirtualMutex(this.#grant);
    this.#sem = new VirtualRwsem(this.#grant);
    this.#mainHandles = new Array<BreakpointHandle | null>(o.breakpoints)
      .fill(null);
    this.#spawnerHandles = new Array<BreakpointHandle | null>(
      o.parallelism * o.breakpoints,
    ).fill(null);
    this.#remaining = o.repeat;
    this.#nextTask = MAIN_TASK + 1 + o.parallelism;
    for (let id = 0; id <= o.parallelism; id++) {
      this.#actors.push(new Actor(id));
    }
  }

  run(): BreakpointThreadResult {
    const o = this.#o;
    const engine = this.#engine;
    const b = o.breakpoints;
    // The main task's breakpoints, before the clock starts.
    if (engine !== null) {
      for (let i = 0; i < b; i++) {
        this.#mainHandles[i] = engine.reserve(this.#spec);
      }
    }
    const start = emptyWork();
    engine?.readWork(start);

    const main = this.#actors[0]!;
    main.program = this.#mainProgram(main);
    this.#push(main);
    const heap = this.#heap;
    while (heap.length > 0) {
      const actor = this.#pop();
      this.#now = actor.clock;
      actor.program!.next();
    }
    if (this.#finished !== this.#actors.length) {
      throw new Error(
        `Virtual-time model stalled: ${
          this.#actors.length - this.#finished
        } timelines wait for locks nobody releases`,
      );
    }
    const last = this.#end!;

    const end = emptyWork();
    engine?.readWork(end);
    if (engine !== null) {
      for (let i = 0; i < b; i++) {
        const handle = this.#mainHandles[i]!;
        engine.release(handle);
        this.#mainHandles[i] = null;
      }
    }

    const totalNs = last.clock;
    const usecsPerOp = totalNs / 1000 / o.repeat / o.threads;
    const breakdown: ModelBreakdown = {
      threads: last.threads / 1e9,
      events: last.events / 1e9,
      accounting: last.accounting / 1e9,
      locks: last.locks / 1e9,
      waiting: last.waiting / 1e9,
    };
    return {
      cpus: engine === null ? o.cpus : engine.cpus,
      breakpoints: b,
      parallelism: o.parallelism,
      threads: o.threads,
      repeat: o.repeat,
      strategy: engine === null ? "none" : engine.strategy,
      index: engine === null ? o.index : engine.index.name,
      locking: o.locking,
      seed: o.seed,
      clock: "model",
      totalSeconds: totalNs / 1e9,
      usecsPerOp,
      usecsPerOpPerCpu: usecsPerOp * o.parallelism,
      reserves: this.#reserves,
      releases: this.#releases,
      spawnerReserves: this.#spawnerReserves,
      spawnerReleases: this.#spawnerReleases,
      peakLive: this.#peakLive,
      lookups: end.lookups - start.lookups,
      entriesVisited: end.entriesVisited - start.entriesVisited,
      bucketsTouched: end.bucketsTouched - start.bucketsTouched,
      breakdown,
    };
  }

  /** Gives back every handle still held, after a failure. */
  releaseAll(): void {
    releaseAll(this.#engine!, [
      ...this.#threadHandles,
      this.#spawnerHandles,
      this.#mainHandles,
    ]);
  }

  *#mainProgram(me: Actor): Generator<void, void, void> {
    const o = this.#o;
    const costs = this.#costs;
    const b = o.breakpoints;
    const engine = this.#engine;
    for (let s = 0; s < o.parallelism; s++) {
      const task = MAIN_TASK + 1 + s;
      me.clock += costs.threadCreate;
      me.threads += costs.threadCreate;
      for (let i = 0; i < b; i++) {
        me.clock += costs.perEvent;
        me.events += costs.perEvent;
        if (engine !== null) {
          yield* this.#call(me, task, this.#spawnerHandles, s * b + i, true);
        }
        this.#spawnerReserves++;
      }
      const spawner = this.#actors[s + 1]!;
      spawner.inherit(me);
      spawner.program = this.#spawnerProgram(spawner, s);
      this.#push(spawner);
    }
    this.#finish(me);
  }

  *#spawnerProgram(me: Actor, s: number): Generator<void, void, void> {
    const o = this.#o;
    const costs = this.#costs;
    const { breakpoints: b, threads: t } = o;
    const engine = this.#engine;
    const onProgress = o.onProgress;
    const progressTotal = 2 * o.repeat * t;
    let handles: (BreakpointHandle | null)[] | null = null;
    for (;;) {
      // __atomic_fetch_sub() on the shared batch counter, in time order.
      if (this.#mustWait(me)) yield;
      if (this.#remaining === 0) break;
      this.#remaining--;
      if (handles === null) {
        handles = new Array<BreakpointHandle | null>(t * b).fill(null);
        this.#threadHandles.push(handles);
      }
      const firstTask = this.#nextTask;
      this.#nextTask += t;
      for (let j = 0; j < t; j++) {
        me.clock += costs.threadCreate;
        me.threads += costs.threadCreate;
        for (let i = 0; i < b; i++) {
          me.clock += costs.perEvent;
          me.events += costs.perEvent;
          if (engine !== null) {
            yield* this.#call(me, firstTask + j, handles, j * b + i, true);
          }
          this.#reserves++;
          if (++this.#live > this.#peakLive) this.#peakLive = this.#live;
        }
        if (onProgress !== undefined) {
          onProgress(++this.#progress, progressTotal);
        }
      }
      for (let j = 0; j < t; j++) {
        me.clock += costs.threadExit;
        me.threads += costs.threadExit;
        for (let i = 0; i < b; i++) {
          me.clock += costs.perEvent;
          me.events += costs.perEvent;
          if (engine !== null) {
            yield* this.#call(me, firstTask + j, handles, j * b + i, false);
          }
          this.#releases++;
          this.#live--;
        }
        if (onProgress !== undefined) {
          onProgress(++this.#progress, progressTotal);
        }
      }
    }
    // No batch left: the spawner exits, freeing its own inherited events.
    me.clock += costs.threadExit;
    me.threads += costs.threadExit;
    for (let i = 0; i < b; i++) {
      me.clock += costs.perEvent;
      me.events += costs.perEvent;
      if (engine !== null) {
        const task = MAIN_TASK + 1 + s;
        yield* this.#call(me, task, this.#spawnerHandles, s * b + i, false);
      }
      this.#spawnerReleases++;
    }
    this.#finish(me);
  }

  /**
   * One accounting call under the engine's locks: a reserve for `task`
   * into `table[slot]`, or the release of the handle there. The table is
   * updated at the engine call itself, so a failure anywhere finds every
   * live handle in a table.
   */
  *#call(
    me: Actor,
    task: number,
    table: (BreakpointHandle | null)[],
    slot: number,
    reserve: boolean,
  ): Generator<void, void, void> {
    const engine = this.#engine!;
    const acquire = this.#costs.lockAcquire;
    const steps = engine.locksFor(task);
    for (let k = 0; k < steps.length; k++) {
      if (this.#mustWait(me)) yield;
      if (!this.#lock(steps[k]!, me.id)) {
        me.queuedAt = me.clock;
        yield; // #wake() resumes us holding the lock
      }
      me.clock += acquire;
      me.locks += acquire;
    }
    if (this.#mustWait(me)) yield;
    const before = this.#before;
    const after = this.#after;
    engine.readWork(before);
    if (reserve) {
      this.#spec.task = task;
      table[slot] = engine.reserve(this.#spec);
    } else {
      engine.release(table[slot]!);
      table[slot] = null;
    }
    engine.readWork(after);
    const cost = this.#callCost(before, after);
    me.clock += cost;
    me.accounting += cost;
    if (this.#mustWait(me)) yield;
    for (let k = steps.length - 1; k >= 0; k--) this.#unlock(steps[k]!, me.id);
  }

  #callCost(before: EngineWork, after: EngineWork): number {
    const u = this.#unit;
    return u.calls * (after.calls - before.calls) +
      u.cpuLoopIterations *
        (after.cpuLoopIterations - before.cpuLoopIterations) +
      u.histogramCells * (after.histogramCells - before.histogramCells) +
      u.lookups * (after.lookups - before.lookups) +
      u.entriesVisited * (after.entriesVisited - before.entriesVisited) +
      u.bucketsTouched * (after.bucketsTouched - before.bucketsTouched) +
      u.inserts * (after.inserts - before.inserts) +
      u.removes * (after.removes - before.removes);
  }

  #lock(step: ConstraintLockStep, id: number): boolean {
    switch (step.lock) {
      case "nr_bp_mutex":
        return this.#bpMutex.lock(id);
      case "perf_event_mutex":
        return this.#taskMutex(step.task).lock(id);
      case "bp_cpuinfo_sem":
        return step.mode === "read"
          ? this.#sem.downRead(id)
          : this.#sem.downWrite(id);
    }
  }

  #unlock(step: ConstraintLockStep, id: number): void {
    switch (step.lock) {
      case "nr_bp_mutex":
        this.#bpMutex.unlock(id);
        return;
      case "perf_event_mutex": {
        const mutex = this.#taskMutex(step.task);
        mutex.unlock(id);
        // A task's mutex exists only while someone holds or wants it;
        // free ones are reused (nothing to reset: free and unqueued).
        if (mutex.holder === -1) {
          this.#taskMutexes.delete(step.task);
          this.#freeMutexes.push(mutex);
        }
        return;
      }
      case "bp_cpuinfo_sem":
        if (step.mode === "read") this.#sem.upRead();
        else this.#sem.upWrite(id);
        return;
    }
  }

  #taskMutex(task: number): VirtualMutex {
    let mutex = this.#taskMutexes.get(task);
    if (mutex === undefined) {
      mutex = this.#freeMutexes.pop() ?? new VirtualMutex(this.#grant);
      this.#taskMutexes.set(task, mutex);
    }
    return mutex;
  }

  /**
   * Before a step on shared state at `me.clock`: whether another timeline
   * must run first. If `me` would be the next one resumed anyway, it goes
   * on at once (the result is the same, without the heap round trip);
   * otherwise it is queued and the caller yields.
   */
  #mustWait(me: Actor): boolean {
    const heap = this.#heap;
    if (heap.length === 0 || before(me, heap[0]!)) {
      this.#now = me.clock;
      return false;
    }
    this.#push(me);
    return true;
  }

  /** A lock was handed to `id`: it runs after the wake-up latency. */
  #wake(id: number): void {
    const actor = this.#actors[id]!;
    const at = this.#now + this.#costs.lockWakeup;
    actor.waiting += at - actor.queuedAt;
    actor.clock = at;
    this.#push(actor);
  }

  /** Records a finished timeline; the one ending last ends the run. */
  #finish(me: Actor): void {
    this.#finished++;
    const end = this.#end;
    if (end === null || me.clock >= end.clock) this.#end = me;
  }

  #push(actor: Actor): void {
    const heap = this.#heap;
    let i = heap.length;
    heap.push(actor);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent]!;
      if (!before(actor, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = actor;
  }

  #pop(): Actor {
    const heap = this.#heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(heap[r]!, heap[l]!) ? r : l;
        if (!before(heap[c]!, last)) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }
}

function before(a: Actor, b: Actor): boolean {
  return a.clock < b.clock || (a.clock === b.clock && a.id < b.id);
}
