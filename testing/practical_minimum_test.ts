// The bench's practical minimum must answer as the engine does on every
// operation in its domain (all-CPU task breakpoints and CPU-pinned ones),
// or the engine-vs-minimum ratio compares different things.
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  ACCOUNTING_STRATEGIES,
  BreakpointConstraints,
  type BreakpointHandle,
  type BreakpointType,
  ConstraintError,
} from "@hwbp/core";
import { RhlTableTaskIndex } from "@hwbp/rhltable";
import { PracticalMinimum } from "../bench/practical_minimum.ts";

const TYPES: readonly BreakpointType[] = ["r", "w", "rw", "x"];

type Op =
  | { kind: "task"; task: number; type: BreakpointType; weight: number }
  | { kind: "cpu"; cpu: number; type: BreakpointType; weight: number }
  | { kind: "release"; pick: number };

const scenarioArb = fc.record({
  cpus: fc.integer({ min: 1, max: 4 }),
  inst: fc.integer({ min: 1, max: 4 }),
  data: fc.integer({ min: 1, max: 4 }),
  shared: fc.boolean(),
}).chain((m) =>
  fc.record({
    machine: fc.constant(m.shared ? { ...m, data: m.inst } : m),
    ops: fc.array(
      fc.oneof(
        {
          weight: 4,
          arbitrary: fc.record({
            kind: fc.constant("task" as const),
            task: fc.integer({ min: 0, max: 4 }),
            type: fc.constantFrom(...TYPES),
            weight: fc.integer({ min: 1, max: 2 }),
          }),
        },
        {
          weight: 2,
          arbitrary: fc.record({
            kind: fc.constant("cpu" as const),
            cpu: fc.integer({ min: 0, max: m.cpus - 1 }),
            type: fc.constantFrom(...TYPES),
            weight: fc.integer({ min: 1, max: 2 }),
          }),
        },
        {
          weight: 3,
          arbitrary: fc.record({
            kind: fc.constant("release" as const),
            pick: fc.nat(),
          }),
        },
      ),
      { minLength: 1, maxLength: 80 },
    ),
  })
);

interface Live {
  task: number | null;
  cpu: number;
  pool: number;
  weight: number;
  handles: BreakpointHandle[];
}

let operations = 0;

Deno.test("the practical minimum answers as every strategy does, on random operations in its domain", () => {
  fc.assert(
    fc.property(scenarioArb, ({ machine, ops }) => {
      const engines = ACCOUNTING_STRATEGIES.map((strategy) =>
        new BreakpointConstraints({
          cpus: machine.cpus,
          slots: { inst: machine.inst, data: machine.data },
          sharedSlots: machine.shared,
          index: new RhlTableTaskIndex(),
          strategy,
        })
      );
      const min = new PracticalMinimum(
        machine.cpus,
        machine.shared ? [machine.inst] : [machine.inst, machine.data],
      );
      const poolOf = (type: BreakpointType): number =>
        type === "x" || machine.shared ? 0 : 1;
      const live: Live[] = [];
      for (const op of ops) {
        operations++;
        if (op.kind === "release") {
          if (live.length === 0) continue;
          const [bp] = live.splice(op.pick % live.length, 1);
          if (bp!.task === null) min.releaseCpu(bp!.cpu, bp!.pool, bp!.weight);
          else min.releaseTask(bp!.task, bp!.pool, bp!.weight);
          bp!.handles.forEach((h, i) => engines[i]!.release(h));
        } else {
          const pool = poolOf(op.type);
          const task = op.kind === "task" ? op.task : null;
          const cpu = op.kind === "cpu" ? op.cpu : -1;
          const fits = task === null
            ? min.reserveCpu(cpu, pool, op.weight)
            : min.reserveTask(task, pool, op.weight);
          const handles: BreakpointHandle[] = [];
          for (const hw of engines) {
            try {
              handles.push(
                hw.reserve({ task, cpu, type: op.type, weight: op.weight }),
              );
            } catch (error) {
              if (!(error instanceof ConstraintError)) throw error;
              assert.equal(error.code, "ENOSPC");
            }
          }
          assert.equal(
            handles.length,
            fits ? engines.length : 0,
            `${JSON.stringify(op)}: minimum says ${fits}`,
          );
          if (fits) live.push({ task, cpu, pool, weight: op.weight, handles });
        }
        assert.equal(min.isUsed(), engines[0]!.isUsed());
      }
      for (const hw of engines) assert.equal(hw.verify(), null);
    }),
    { numRuns: 250 },
  );
  assert.ok(operations > 1_000);
});
