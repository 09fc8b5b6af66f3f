// The kernel's KUnit cases, for every strategy × every TaskIndex on several
// small machines, and on 256 CPUs as runs() says.
import assert from "node:assert/strict";
import {
  ACCOUNTING_STRATEGIES,
  ARCH_PROFILES,
  type ArchName,
  BreakpointConstraints,
} from "@hwbp/core";
import { KUNIT_CASES, KunitHarness } from "./kunit_cases.ts";
import { TASK_INDEXES } from "./task_indexes.ts";

const MACHINES: readonly { arch: ArchName; cpus: number }[] = [
  { arch: "x86_64", cpus: 4 },
  { arch: "arm64", cpus: 3 },
  { arch: "sh", cpus: 2 },
  { arch: "loongarch", cpus: 2 },
  { arch: "x86_64", cpus: 256 },
];

/**
 * Whether a machine runs the cases on an index. The small machines run
 * every index; an index never sees the CPU count, so the 256-CPU machine,
 * whose per-CPU loops make it the slow one, runs the rhltable under each
 * strategy and the list under v5.19's legacy strategy, its own pairing.
 */
function runs(cpus: number, strategy: string, index: string): boolean {
  return cpus <= 4 || index === "rhltable" ||
    (index === "list" && strategy === "legacy");
}

for (const { arch, cpus } of MACHINES) {
  for (const strategy of ACCOUNTING_STRATEGIES) {
    for (const factory of TASK_INDEXES) {
      if (!runs(cpus, strategy, factory.name)) continue;
      Deno.test(`KUnit cases pass on ${arch} with ${cpus} CPUs, ${strategy} strategy, ${factory.name} index`, async (t) => {
        for (const kunit of KUNIT_CASES) {
          const hw = new BreakpointConstraints({
            cpus,
            ...ARCH_PROFILES[arch],
            index: factory.create(),
            strategy,
          });
          const harness = new KunitHarness(hw);
          // The kernel skips cases needing more slots than the machine
          // has (TEST_REQUIRES_BP_SLOTS); so do we, by not running them.
          if (harness.slots < kunit.requiresSlots) continue;
          await t.step(kunit.name, () => {
            kunit.run(harness);
            assert.equal(hw.verify(), null);
            assert.equal(hw.isUsed(), true);
            harness.exit();
          });
        }
      });
    }
  }
}

Deno.test("KUnit test_many_cpus stops at the kernel's 512 test breakpoints", () => {
  const hw = new BreakpointConstraints({
    cpus: 256,
    ...ARCH_PROFILES.x86_64,
    index: TASK_INDEXES[0]!.create(),
  });
  const harness = new KunitHarness(hw);
  KUNIT_CASES.find((c) => c.name === "test_many_cpus")!.run(harness);
  // 4 slots per CPU: the fill loop stops once 512 would be exceeded.
  assert.equal(hw.size, 512);
  harness.exit();
});
