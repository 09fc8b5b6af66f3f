/**
 * Runs a command (the README's bench, with `--quick`) and checks its output
 * as a user would see it: it succeeds within a minute, never stays silent
 * for more than 10 s, prints no line over 100 columns, no colour into a
 * pipe, no placeholder such as `$tasks`, no download, installs no package,
 * and leaves its SVG charts behind.
 *
 * ```sh
 * deno run -A .ci/bench_smoke.ts npx -y deno@2.9.6 task bench --quick
 * ```
 *
 * With `--offline`, the command runs in a network namespace of its own
 * (`unshare -n`, as root) so any download fails outright, and npm is told
 * it is offline so that `npx` takes deno from its cache without waiting.
 *
 * @module
 */
const MAX_SILENCE_S = 10;
// deno-lint-ignore no-control-regex -- ESC is exactly what we strip
const ANSI = /\x1b\[[0-9;]*m/g;
const MAX_COLUMNS = 100;
const MAX_SECONDS = 60;
const CHARTS = [
  "live_tasks.svg",
  "cpus.svg",
  "kernel_table.svg",
  "rhltable_vs_map.svg",
  "rhltable_vs_map_latency.svg",
];

/** Package folders Deno has: any new one after the bench is a download. */
function packages(): Set<string> {
  const denoDir = Deno.env.get("DENO_DIR") ??
    `${Deno.env.get("HOME")}/.cache/deno`;
  const found = new Set<string>();
  for (
    const dir of [`${denoDir}/npm/registry.npmjs.org`, "node_modules/.deno"]
  ) {
    try {
      for (const entry of Deno.readDirSync(dir)) {
        found.add(
          `${dir}/${entry.name}`,
        );
      }
    } catch {
      // Not there: nothing installed there.
    }
  }
  return found;
}

/** Reads a stream, timestamping each chunk. */
async function collect(
  stream: ReadableStream<Uint8Array>,
  name: string,
  started: number,
  chunks: { at: number; stream: string; text: string }[],
): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    chunks.push({
      at: (performance.now() - started) / 1000,
      stream: name,
      text: decoder.decode(chunk, { stream: true }),
    });
  }
}

async function main(): Promise<number> {
  // The command's own flags (npx -y ...) follow ours untouched.
  const offline = Deno.args[0] === "--offline";
  const positionals = Deno.args.slice(offline ? 1 : 0);
  if (positionals.length === 0) {
    console.error("error: no command to run");
    return 2;
  }
  const command = offline ? ["unshare", "-n", ...positionals] : positionals;
  const before = packages();
  // Charts left by an earlier run must not pass for this run's.
  try {
    Deno.removeSync("bench/results/quick", { recursive: true });
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const started = performance.now();
  const child = new Deno.Command(command[0]!, {
    args: command.slice(1),
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
    // Offline, npx must not wait on the registry for deno itself: it is in
    // npm's cache since the test command.
    env: offline ? { npm_config_offline: "true" } : {},
  }).spawn();
  const chunks: { at: number; stream: string; text: string }[] = [];
  const [status] = await Promise.all([
    child.status,
    collect(child.stdout, "stdout", started, chunks),
    collect(child.stderr, "stderr", started, chunks),
  ]);
  const elapsed = (performance.now() - started) / 1000;

  const problems: string[] = [];
  if (!status.success) problems.push(`exit code ${status.code}`);
  if (elapsed > MAX_SECONDS) {
    problems.push(`took ${elapsed.toFixed(0)} s (over ${MAX_SECONDS} s)`);
  }
  let last = 0;
  let longest = 0;
  for (const { at } of chunks.concat({ at: elapsed, stream: "", text: "" })) {
    longest = Math.max(longest, at - last);
    last = at;
  }
  if (longest > MAX_SILENCE_S) {
    problems.push(`silent for ${longest.toFixed(1)} s`);
  }
  const text = chunks.map((c) => c.text).join("");
  for (const raw of text.split("\n")) {
    // Deno colours its own "Task name command" echo even into a pipe; the
    // bench's output must have no colour there.
    const line = raw.replace(ANSI, "");
    if (raw !== line && !line.startsWith("Task ")) {
      problems.push(`colour escape in a pipe: ${JSON.stringify(raw)}`);
    }
    if (line.length > MAX_COLUMNS) {
      problems.push(`line of ${line.length} columns: ${line}`);
    }
    if (/\$[a-z]/i.test(line)) problems.push(`placeholder: ${line}`);
    if (/download/i.test(line)) problems.push(`download: ${line}`);
  }
  const after = packages();
  for (const entry of after) {
    if (!before.has(entry)) {
      problems.push(`installed during the bench: ${entry}`);
    }
  }
  for (const chart of CHARTS) {
    try {
      if (Deno.statSync(`bench/results/quick/${chart}`).size === 0) {
        problems.push(`empty chart ${chart}`);
      }
    } catch {
      problems.push(`no chart bench/results/quick/${chart}`);
    }
  }
  const lines = text.split("\n").length;
  console.log(
    `bench smoke: ${command.join(" ")}: ${
      elapsed.toFixed(1)
    } s, ${lines} lines, ` +
      `longest silence ${longest.toFixed(1)} s, ${CHARTS.length} charts`,
  );
  if (problems.length > 0) {
    console.log(text);
    for (const problem of problems) console.error(`bench smoke: ${problem}`);
    return 1;
  }
  return 0;
}

Deno.exitCode = await main();
