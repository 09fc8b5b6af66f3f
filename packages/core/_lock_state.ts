// The engine's lock state: which of the accounting's locks are held by a
// guard from `lock()`. One JavaScript thread cannot wait for a lock, so a
// call that needs a held lock fails at once: with EDEADLK from the waiting
// entries (the wait could never end), with EBUSY from the kgdb ones, which
// never wait in the kernel either.
import { ConstraintError } from "./constraint_error.ts";
import type {
  ConstraintLockGuard,
  ConstraintLockStep,
  LockingDiscipline,
} from "./locking.ts";

const NR_BP_MUTEX_STEPS: readonly ConstraintLockStep[] = Object.freeze([
  Object.freeze({ lock: "nr_bp_mutex", mode: "exclusive" } as const),
]);
const SEM_WRITE_STEPS: readonly ConstraintLockStep[] = Object.freeze([
  Object.freeze({ lock: "bp_cpuinfo_sem", mode: "write" } as const),
]);
const SEM_READ: ConstraintLockStep = Object.freeze(
  { lock: "bp_cpuinfo_sem", mode: "read" } as const,
);

export class LockState {
  readonly discipline: LockingDiscipline;
  /**
   * Guards held. Zero on the hot path, where one compare skips every other
   * check: with nothing held, taking and dropping the locks inside a call
   * is invisible.
   */
  held = 0;
  /**
   * Set while a kgdb entry (`dbg_reserve_bp_slot()`,
   * `dbg_release_bp_slot()`) runs: a held lock then means EBUSY.
   */
  noWait = false;
  #mutexHeld = false;
  #readers = 0;
  #writer = false;
  readonly #taskMutexes = new Set<number>();

  constructor(discipline: LockingDiscipline) {
    this.discipline = discipline;
  }

  /** What `bp_constraints_lock()` takes for a breakpoint of `task`. */
  stepsFor(task: number | null): readonly ConstraintLockStep[] {
    if (this.discipline === "mutex") return NR_BP_MUTEX_STEPS;
    if (task === null) return SEM_WRITE_STEPS;
    return Object.freeze(
      [
        Object.freeze({ lock: "perf_event_mutex", task, mode: "exclusive" }),
        SEM_READ,
      ] as const,
    );
  }

  /**
   * The held lock a breakpoint of `task` would have to wait for, described,
   * or null. Non-null exactly when the kernel's
   * `bp_constraints_is_locked()` is true for such a breakpoint (or, with
   * the mutex, `mutex_is_locked(&nr_bp_mutex)`).
   */
  conflict(task: number | null): string | null {
    if (this.held === 0) return null;
    if (this.discipline === "mutex") {
      return this.#mutexHeld ? "nr_bp_mutex is held" : null;
    }
    if (this.#writer) return "bp_cpuinfo_sem is write-locked";
    if (task === null) {
      return this.#readers > 0
        ? `bp_cpuinfo_sem is read-locked by ${this.#readers} task(s)`
        : null;
    }
    return this.#taskMutexes.has(task)
      ? `perf_event_mutex of task ${task} is held`
      : null;
  }

  /**
   * Called by reserve, release and modify when a guard is held: throws if
   * the locks of a breakpoint of `task` are taken.
   */
  check(task: number | null, context: string): void {
    const conflict = this.conflict(task);
    if (conflict === null) return;
    if (this.noWait) {
      throw new ConstraintError(
        "EBUSY",
        `${context}: the constraints are locked (${conflict}) and the debugger never waits`,
      );
    }
    throw deadlock(context, conflict);
  }

  acquire(task: number | null): ConstraintLockGuard {
    const conflict = this.conflict(task);
    if (conflict !== null) throw deadlock("Cannot lock constraints", conflict);
    if (this.discipline === "mutex") {
      this.#mutexHeld = true;
    } else if (task === null) {
      this.#writer = true;
    } else {
      this.#taskMutexes.add(task);
      this.#readers++;
    }
    this.held++;
    return new LockGuard(this, task, this.stepsFor(task));
  }

  /** `bp_constraints_unlock()`, for a guard that holds its locks. */
  releaseFor(task: number | null): void {
    if (this.discipline === "mutex") {
      this.#mutexHeld = false;
    } else if (task === null) {
      this.#writer = false;
    } else {
      this.#readers--;
      this.#taskMutexes.delete(task);
    }
    this.held--;
  }
}

class LockGuard implements ConstraintLockGuard {
  readonly task: number | null;
  readonly locks: readonly ConstraintLockStep[];
  #state: LockState | null;

  constructor(
    state: LockState,
    task: number | null,
    locks: readonly ConstraintLockStep[],
  ) {
    this.#state = state;
    this.task = task;
    this.locks = locks;
  }

  get held(): boolean {
    return this.#state !== null;
  }

  unlock(): void {
    const state = this.#state;
    if (state === null) {
      const target = this.task === null
        ? "a CPU-pinned breakpoint"
        : `task ${this.task}`;
      throw new ConstraintError(
        "EINVAL",
        `Cannot unlock constraints: the guard for ${target} was already unlocked`,
      );
    }
    this.#state = null;
    state.releaseFor(this.task);
  }
}

function deadlock(context: string, conflict: string): ConstraintError {
  return new ConstraintError(
    "EDEADLK",
    `${context}: ${conflict}, and in one thread the wait would never end`,
  );
}
