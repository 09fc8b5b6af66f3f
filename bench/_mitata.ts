// Runs the registered mitata benches silently and keeps their statistics;
// the bench prints its own tables (mitata's text output is wider than a
// terminal, and its plots cannot label their axes).
import { run } from "mitata";

/** The mitata statistics kept, in nanoseconds. */
export interface Stats {
  avg: number;
  min: number;
  max: number;
  p50: number;
  p99: number;
  samples: number;
}

/** One bench at one set of arguments. */
export interface RunStats {
  bench: string;
  args: Record<string, unknown>;
  stats: Stats | null;
  error?: string;
}

/** Runs every bench registered since the last run. */
export async function runMitata(): Promise<RunStats[]> {
  const { benchmarks } = await run({ format: "quiet", colors: false });
  const runs: RunStats[] = [];
  for (const trial of benchmarks) {
    for (const r of trial.runs) {
      const stats = r.stats === undefined ? null : {
        avg: r.stats.avg,
        min: r.stats.min,
        max: r.stats.max,
        p50: r.stats.p50,
        p99: r.stats.p99,
        samples: r.stats.samples.length,
      };
      runs.push({
        bench: trial.alias,
        args: r.args,
        stats,
        ...(r.error === undefined ? {} : { error: String(r.error) }),
      });
    }
  }
  return runs;
}

/** The statistics of `bench` (at `arg` = value, if given); throws if absent. */
export function statsOf(
  runs: readonly RunStats[],
  bench: string,
  arg?: [string, number],
): Stats {
  const found = runs.find((r) =>
    r.bench === bench && (arg === undefined || r.args[arg[0]] === arg[1])
  );
  if (found?.stats == null) {
    const at = arg === undefined ? "" : ` at ${arg[0]} = ${arg[1]}`;
    throw new Error(
      `No result for ${bench}${at}${found?.error ? `: ${found.error}` : ""}`,
    );
  }
  return found.stats;
}
