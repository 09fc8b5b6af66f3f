// Prints the work counters of a few runs as JSON, for the test that
// compares them across processes.
import { KERNEL_STAGES, simulateBreakpointThread } from "../mod.ts";

const shape = {
  cpus: 32,
  repeat: 12,
  breakpoints: 4,
  parallelism: 5,
  threads: 9,
};
const pick = ({ lookups, entriesVisited, bucketsTouched, totalSeconds, seed }: {
  lookups: number;
  entriesVisited: number;
  bucketsTouched: number;
  totalSeconds: number;
  seed: number;
}) => ({ lookups, entriesVisited, bucketsTouched, totalSeconds, seed });
const runs = [
  {
    ...simulateBreakpointThread({ ...shape, index: "rhltable" }),
    totalSeconds: 0,
  },
  {
    ...simulateBreakpointThread({ ...shape, index: "rhltable", seed: 99 }),
    totalSeconds: 0,
  },
  simulateBreakpointThread({
    ...shape,
    ...KERNEL_STAGES.patch04,
    clock: "model",
  }),
  simulateBreakpointThread({
    ...shape,
    ...KERNEL_STAGES["v6.1"],
    clock: "model",
  }),
].map(pick);
console.log(JSON.stringify(runs));
