/**
 * Reads V8's `--trace-gc` lines and matches their pauses with the slowest
 * insert of each growth run, to show what a worst-case latency was made of:
 * a garbage-collection pause, or the structure's own work (`Map`'s rehash).
 *
 * V8 stamps each line with the milliseconds since the isolate started, at
 * the end of the pause; `performance.now()` counts from a slightly
 * different origin. The growth runs each start right after two explicit
 * full GCs (reason "testing"), so the offset between the clocks is read off
 * those: the second one's stamp minus the run's start.
 *
 * @module
 */

/** One garbage-collection pause, as `--trace-gc` prints it. */
export interface GcPause {
  /** The isolate's clock at the end of the pause, in whole ms. */
  endMs: number;
  /** `Scavenge`, `Mark-Compact`, `Incremental Mark-Compact`, … */
  kind: string;
  /** The pause, in ms. */
  pauseMs: number;
  /** Whether `gc()` asked for it (V8's reason "testing"). */
  explicit: boolean;
}

const LINE =
  /^\[\d+:0x[0-9a-f]+\]\s+(\d+) ms: ([A-Za-z -]+?) [\d.]+ \([\d.]+\) -> .*?([\d.]+) \/ [\d.]+ ms/;

/** The pauses in `text`, in order; other lines are ignored. */
export function parseGcTrace(text: string): GcPause[] {
  const pauses: GcPause[] = [];
  for (const line of text.split("\n")) {
    const m = LINE.exec(line);
    if (m === null) continue;
    pauses.push({
      endMs: Number(m[1]),
      kind: m[2]!,
      pauseMs: Number(m[3]),
      explicit: line.includes("testing"),
    });
  }
  return pauses;
}

/**
 * The offset to add to a `performance.now()` time to get the isolate's
 * clock, from the explicit full GCs that precede each run (two per run, in
 * run order); `null` if the trace does not hold two per run.
 */
export function clockOffset(
  pauses: readonly GcPause[],
  runStartsMs: readonly number[],
): number | null {
  const explicit = pauses.filter((p) => p.explicit);
  if (explicit.length !== 2 * runStartsMs.length) return null;
  const offsets = runStartsMs.map((start, i) =>
    explicit[2 * i + 1]!.endMs - start
  ).sort((a, b) => a - b);
  return offsets[offsets.length >> 1]!;
}

/**
 * The pauses that overlap `[startMs, startMs + durationMs]` (a
 * `performance.now()` interval), with a millisecond of slack for the
 * trace's whole-ms stamps.
 */
export function pausesDuring(
  pauses: readonly GcPause[],
  offsetMs: number,
  startMs: number,
  durationMs: number,
): GcPause[] {
  const from = startMs + offsetMs - 1;
  const to = startMs + durationMs + offsetMs + 1;
  return pauses.filter((p) =>
    !p.explicit && p.endMs >= from && p.endMs - p.pauseMs <= to
  );
}
