/**
 * The 2022 series' story in virtual time: `perf bench -r 30 breakpoint
 * thread -b 4 -p 64 -t 64` on 256 simulated CPUs, at each kernel stage (index,
 * accounting and locking), on the deterministic virtual-time model. The
 * totals are modelled, not measured: every accounting call costs what the
 * engine's work counters say, locks queue in virtual time, and thread costs
 * come from the kernel's two floor rows.
 *
 * ```sh
 * deno run examples/kernel_stages.ts
 * ```
 *
 * @module
 */
import {
  KERNEL_STAGES,
  type KernelStageName,
  simulateBreakpointThread,
} from "@hwbp/sim";

const workload = {
  cpus: 256,
  repeat: 30,
  breakpoints: 4,
  parallelism: 64,
  threads: 64,
};
const modelled = (stage: KernelStageName): number =>
  simulateBreakpointThread({
    ...workload,
    ...KERNEL_STAGES[stage],
    clock: "model",
  })
    .totalSeconds;

// The series' totals for this workload (its commit messages); it gives
// none for patch 13 alone at these parameters.
const kernel: Record<KernelStageName, string> = {
  "v5.19": "236.418",
  patch04: "0.208",
  patch11: "0.077",
  patch13: "-",
  "v6.1": "0.067",
};
console.log(
  "stage     index     strategy          locking  modelled s  kernel s",
);
for (const [name, stage] of Object.entries(KERNEL_STAGES)) {
  const seconds = modelled(name as KernelStageName);
  console.log(
    `${name.padEnd(9)} ${stage.index.padEnd(9)} ${stage.strategy.padEnd(17)} ${
      stage.locking.padEnd(8)
    } ${seconds.toFixed(4).padStart(10)}  ${kernel[name as KernelStageName]}`,
  );
}
const floor = simulateBreakpointThread({
  ...workload,
  strategy: "none",
  clock: "model",
});
console.log(
  `accounting disabled: ${floor.totalSeconds.toFixed(4)} s (modelled)`,
);
console.log(
  `locking step, patch04 / patch11: ${
    (modelled("patch04") / modelled("patch11")).toFixed(2)
  }x ` +
    "(kernel 2.7x)",
);
