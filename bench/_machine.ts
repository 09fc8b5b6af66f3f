// What the benchmarks ran on, for the report and the JSON results.
import os from "node:os";

export interface Machine {
  /** Logical CPUs (`nproc`). */
  nproc: number;
  /** CPU model name, as /proc/cpuinfo gives it. */
  cpuModel: string;
  /** Physical memory, in bytes. */
  memoryBytes: number;
  /** Operating system kernel release. */
  osRelease: string;
  /** Deno's target triple. */
  target: string;
  deno: string;
  v8: string;
  typescript: string;
}

/** This machine. */
export function describeMachine(): Machine {
  return {
    nproc: navigator.hardwareConcurrency,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryBytes: os.totalmem(),
    osRelease: os.release(),
    target: Deno.build.target,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
  };
}

/** The machine in two lines of text. */
export function machineLine(machine: Machine): string {
  const gib = (machine.memoryBytes / 2 ** 30).toFixed(1);
  return `${machine.nproc} × ${machine.cpuModel}, ${gib} GiB, Linux ${machine.osRelease}\n` +
    `Deno ${machine.deno} (V8 ${machine.v8}, ${machine.target})`;
}
