/**
 * Why does my watchpoint fail? The answers `perf_event_open()` gives for a
 * hardware breakpoint on x86_64, in the kernel's order: the slot is reserved
 * first (`reserve_bp_slot()`), the attributes are parsed after
 * (`hw_breakpoint_arch_parse()`), and a fork copies the inheritable
 * breakpoints.
 *
 * ```sh
 * deno run examples/watchpoint_rules.ts
 * ```
 *
 * @module
 */
import {
  ARCH_PROFILES,
  BreakpointConstraints,
  type BreakpointSpec,
  ConstraintError,
} from "@hwbp/core";
import { RhlTableTaskIndex } from "@hwbp/rhltable";

const x86 = new BreakpointConstraints({
  cpus: 8,
  ...ARCH_PROFILES.x86_64, // sets arch: "x86_64", one pool of 4 registers
  index: new RhlTableTaskIndex(),
});

/** Tries a reserve and prints the kernel-style answer. */
function attempt(
  hw: BreakpointConstraints,
  what: string,
  spec: BreakpointSpec,
): void {
  try {
    hw.reserve(spec);
    console.log(`${what}: ok`);
  } catch (e) {
    if (!(e instanceof ConstraintError)) throw e;
    console.log(`${what}: ${e.code} (${e.message})`);
  }
}

attempt(x86, "read-only watchpoint", {
  task: 1,
  type: "r",
  address: 0x1000,
  length: 4,
});
attempt(x86, "4-byte watchpoint at 0x1002", {
  task: 1,
  type: "w",
  address: 0x1002,
  length: 4,
});
attempt(x86, "4-byte watchpoint at 0x1004", {
  task: 1,
  type: "w",
  address: 0x1004,
  length: 4,
});

// Fill task 1's other three registers, then ask again for the invalid one:
// the slot is checked first, so a full machine answers ENOSPC, not EINVAL.
for (let i = 0; i < 3; i++) {
  x86.reserve({ task: 1, type: "rw", address: 0x2000 + 8 * i, length: 8 });
}
attempt(x86, "read-only watchpoint, all 4 registers taken", {
  task: 1,
  type: "r",
  address: 0x1000,
});

// POWER10 has no instruction breakpoints at all: 0 slots, EOPNOTSUPP.
const power = new BreakpointConstraints({
  cpus: 8,
  ...ARCH_PROFILES.powerpc,
  index: new RhlTableTaskIndex(),
});
attempt(power, "instruction breakpoint on powerpc", { task: 1, type: "x" });

// fork(): the child gets a copy of every inheritable breakpoint of its
// parent, and only those (perf_event_init_task()).
x86.reserve({ task: 2, type: "w", address: 0x3000, inherit: true });
x86.reserve({ task: 2, type: "w", address: 0x3008 }); // not inherited
const copies = x86.inherit(2, 20);
console.log(
  `fork of task 2: task 20 holds ${copies.length} copy, at ${
    copies.map((h) => `0x${h.address.toString(16)}`).join(", ")
  }`,
);
console.log(`everything consistent: ${x86.verify() === null}`);
