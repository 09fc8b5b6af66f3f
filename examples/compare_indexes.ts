/**
 * Runs one small `perf bench breakpoint thread` workload on every task index
 * under both accounting strategies and prints the work each did: the
 * kernel's 2022 story in entries visited instead of seconds.
 *
 * ```sh
 * deno run examples/compare_indexes.ts
 * ```
 *
 * @module
 */
import { INDEX_NAMES, simulateBreakpointThread } from "@hwbp/sim";

// perf bench -r 8 breakpoint thread -b 4 -p 8 -t 32, on 64 CPUs.
const workload = {
  cpus: 64,
  repeat: 8,
  breakpoints: 4,
  parallelism: 8,
  threads: 32,
};

const rows = [
  [
    "strategy",
    "index",
    "lookups",
    "entries visited",
    "per lookup",
    "buckets",
    "ms",
  ],
];
for (const strategy of ["legacy", "current"] as const) {
  for (const index of INDEX_NAMES) {
    const r = simulateBreakpointThread({ ...workload, strategy, index });
    rows.push([
      strategy,
      index,
      String(r.lookups),
      String(r.entriesVisited),
      (r.entriesVisited / r.lookups).toFixed(1),
      String(r.bucketsTouched),
      (r.totalSeconds * 1000).toFixed(1),
    ]);
  }
}
const none = simulateBreakpointThread({ ...workload, strategy: "none" });
rows.push([
  "none",
  "-",
  "0",
  "0",
  "-",
  "0",
  (none.totalSeconds * 1000).toFixed(1),
]);

console.log(
  `perf bench -r ${workload.repeat} breakpoint thread -b ${workload.breakpoints} ` +
    `-p ${workload.parallelism} -t ${workload.threads}, ${workload.cpus} CPUs: ` +
    `${none.reserves} inherited breakpoints, up to ${none.peakLive} live`,
);
const widths = rows[0]!.map((_, c) =>
  Math.max(...rows.map((row) => row[c]!.length))
);
for (const row of rows) {
  console.log(
    row.map((cell, c) =>
      c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)
    )
      .join("  "),
  );
}
