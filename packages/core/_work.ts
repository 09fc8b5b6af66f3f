// The accounting's own work counters. Plain integer fields bumped in place,
// so counting costs an add and never allocates.

/** What the accounting did, beside what the index counts itself. */
export class AccountingWork {
  /** `__reserve_bp_slot()` and `__release_bp_slot()`-level calls. */
  calls = 0;
  /** Iterations of every loop over CPUs. */
  cpuLoopIterations = 0;
  /** Histogram cells read or written. */
  histogramCells = 0;
  /** Index insert calls. */
  inserts = 0;
  /** Index remove calls. */
  removes = 0;

  reset(): void {
    this.calls = 0;
    this.cpuLoopIterations = 0;
    this.histogramCells = 0;
    this.inserts = 0;
    this.removes = 0;
  }
}
