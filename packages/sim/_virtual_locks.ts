// Locks in virtual time, for the model of virtual_time.ts. They know nothing
// of clocks: a request is granted at once or queued, and a release names the
// waiters it hands the lock to. The scheduler decides when they run (the
// release time plus the wake-up cost). Queues are first in, first out: the
// kernel's mutex and percpu-rwsem wake their waiters in arrival order
// (kernel/locking/mutex.c __mutex_lock_common(), kernel/locking/percpu-rwsem.c
// percpu_rwsem_wait()); neither optimistic spinning nor lock stealing is
// modelled, so every waiter sleeps and pays a wake-up.

/** Receives the waiters a release hands a lock to, in queue order. */
export type Grant = (waiter: number) => void;

/**
 * A sleeping lock with one holder (`mutex_lock()`): `nr_bp_mutex`, or a
 * task's `perf_event_mutex`.
 */
export class VirtualMutex {
  #holder = -1;
  readonly #queue: number[] = [];
  #head = 0;
  readonly #grant: Grant;

  constructor(grant: Grant) {
    this.#grant = grant;
  }

  /** The holder's id, or -1 when free. */
  get holder(): number {
    return this.#holder;
  }

  /** Waiters queued. */
  get waiting(): number {
    return this.#queue.length - this.#head;
  }

  /** Takes the lock if free (true), else queues `who` (false). */
  lock(who: number): boolean {
    if (this.#holder === -1) {
      this.#holder = who;
      return true;
    }
    this.#queue.push(who);
    return false;
  }

  /** Drops the lock, handing it to the first waiter if there is one. */
  unlock(who: number): void {
    if (this.#holder !== who) {
      throw new Error(`Cannot unlock mutex: ${who} does not hold it`);
    }
    if (this.#head === this.#queue.length) {
      this.#holder = -1;
      return;
    }
    const next = this.#queue[this.#head++]!;
    if (this.#head === this.#queue.length) {
      this.#queue.length = 0;
      this.#head = 0;
    }
    this.#holder = next;
    this.#grant(next);
  }
}

/**
 * A readers-writer semaphore (`percpu_down_read()` / `percpu_down_write()`
 * on `bp_cpuinfo_sem`): readers overlap; a writer excludes everyone. A
 * queued writer blocks readers that arrive after it, as percpu-rwsem does
 * once a writer has announced itself, so writers do not starve.
 */
export class VirtualRwsem {
  #readers = 0;
  #writer = -1;
  /** Waiters in arrival order; a negative entry is a writer, −(id + 1). */
  readonly #queue: number[] = [];
  #head = 0;
  readonly #grant: Grant;

  constructor(grant: Grant) {
    this.#grant = grant;
  }

  /** Readers holding the lock. */
  get readers(): number {
    return this.#readers;
  }

  /** The writer's id, or -1. */
  get writer(): number {
    return this.#writer;
  }

  /** Waiters queued. */
  get waiting(): number {
    return this.#queue.length - this.#head;
  }

  /** Takes the read side if no writer holds or waits (true), else queues. */
  downRead(who: number): boolean {
    if (this.#writer === -1 && this.waiting === 0) {
      this.#readers++;
      return true;
    }
    this.#queue.push(who);
    return false;
  }

  /** Takes the write side if nobody holds the lock (true), else queues. */
  downWrite(who: number): boolean {
    if (this.#writer === -1 && this.#readers === 0 && this.waiting === 0) {
      this.#writer = who;
      return true;
    }
    this.#queue.push(-(who + 1));
    return false;
  }

  /** Drops a read hold; the last reader out lets a queued writer in. */
  upRead(): void {
    if (this.#readers === 0) {
      throw new Error("Cannot release read lock: no reader holds it");
    }
    this.#readers--;
    if (this.#readers === 0) this.#wake();
  }

  /** Drops the write hold, letting the next waiters in. */
  upWrite(who: number): void {
    if (this.#writer !== who) {
      throw new Error(`Cannot release write lock: ${who} does not hold it`);
    }
    this.#writer = -1;
    this.#wake();
  }

  /** Grants the queue head: one writer, or every reader up to a writer. */
  #wake(): void {
    const queue = this.#queue;
    if (this.#head === queue.length) return;
    const first = queue[this.#head]!;
    if (first < 0) {
      if (this.#readers !== 0) return;
      this.#head++;
      this.#writer = -first - 1;
      this.#compact();
      this.#grant(-first - 1);
      return;
    }
    while (this.#head < queue.length && queue[this.#head]! >= 0) {
      const reader = queue[this.#head++]!;
      this.#readers++;
      this.#grant(reader);
    }
    this.#compact();
  }

  #compact(): void {
    if (this.#head === this.#queue.length) {
      this.#queue.length = 0;
      this.#head = 0;
    }
  }
}
