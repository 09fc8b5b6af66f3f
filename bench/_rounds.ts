/**
 * The timing loop that `engine_vs_minimum.ts` and `_index_floor.ts` share:
 * variants run round by round, interleaved, so that machine noise lands on
 * all of them alike.
 *
 * @module
 */

/** V8's `gc()`, exposed by `--v8-flags=--expose-gc`; `undefined` without it. */
const gc = (globalThis as {
  gc?: (options?: { type: "minor" | "major" }) => void;
}).gc;

/**
 * Times each of `variants` once per round, `warmup` untimed rounds first,
 * rotating which goes first. Before each timed run the young generation is
 * emptied (a scavenge, when `gc()` is exposed), so that every run pays for
 * the garbage it makes and none for what the run before it left: the
 * engine allocates a record per reserve and the practical minimum almost
 * nothing, and without this a scavenge the engine's garbage forces can
 * land in the minimum's round. Run times are wall clock, the run's own GC
 * pauses included.
 *
 * @param variants Each runs `reps` repetitions and returns the pairs it made.
 * @param reps Repetitions per run.
 * @param rounds Timed rounds.
 * @param warmup Untimed rounds first (default 3).
 * @returns Per variant, ns per pair of each timed round, in round order.
 */
export function timeRounds(
  variants: readonly ((reps: number) => number)[],
  reps: number,
  rounds: number,
  warmup = 3,
): number[][] {
  const ns: number[][] = variants.map(() => []);
  for (let round = 0; round < warmup + rounds; round++) {
    for (let v = 0; v < variants.length; v++) {
      const i = (v + round) % variants.length;
      gc?.({ type: "minor" });
      const start = performance.now();
      const pairs = variants[i]!(reps);
      const elapsed = performance.now() - start;
      if (round >= warmup) ns[i]!.push(elapsed * 1e6 / pairs);
    }
  }
  return ns;
}
