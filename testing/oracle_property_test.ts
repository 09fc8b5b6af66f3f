// Random operation sequences on small machines, run through every strategy ×
// every TaskIndex, must agree with the brute-force oracle on every outcome.
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  ACCOUNTING_STRATEGIES,
  BreakpointConstraints,
  type BreakpointHandle,
  ConstraintError,
} from "@hwbp/core";
import {
  Oracle,
  type OracleMachine,
  type OracleOutcome,
  type OracleType,
} from "./oracle.ts";
import { TASK_INDEXES } from "./task_indexes.ts";

// Every sequence runs on strategies × indexes engines. `deno task test`
// stays quick with 50 sequences (under a second); CI also runs a deep pass
// of 3,000 (`deno task test:oracle`), and HWBP_ORACLE_RUNS sets any other
// count.
const RUNS = oracleRuns(Deno.env.get("HWBP_ORACLE_RUNS"), 50);
function oracleRuns(value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const runs = Number(value);
  if (!Number.isSafeInteger(runs) || runs < 1) {
    throw new RangeError(
      `HWBP_ORACLE_RUNS must be a positive integer, got ${
        JSON.stringify(value)
      }`,
    );
  }
  return runs;
}

const TYPES: readonly OracleType[] = ["r", "w", "rw", "x"];

type Op =
  | {
    kind: "reserve";
    cpu: number;
    task: number | null;
    type: OracleType;
    weight: number;
    inherit: boolean;
  }
  | { kind: "release"; pick: number }
  | { kind: "modify"; pick: number; type: OracleType }
  | { kind: "wide"; type: OracleType; weight: number }
  | { kind: "inherit"; parent: number; child: number };

const machineArb: fc.Arbitrary<OracleMachine> = fc.record({
  cpus: fc.integer({ min: 1, max: 5 }),
  instSlots: fc.integer({ min: 1, max: 4 }),
  dataSlots: fc.integer({ min: 1, max: 4 }),
  shared: fc.boolean(),
}).chain((m) =>
  fc.subarray([...Array(m.cpus).keys()], { minLength: 1 }).map((online) => ({
    ...m,
    online,
    dataSlots: m.shared ? m.instSlots : m.dataSlots,
  }))
);

function opArb(cpus: number): fc.Arbitrary<Op> {
  return fc.oneof(
    {
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant("reserve" as const),
        cpu: fc.integer({ min: -1, max: cpus - 1 }),
        task: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null, freq: 3 }),
        type: fc.constantFrom(...TYPES),
        weight: fc.integer({ min: 1, max: 2 }),
        inherit: fc.boolean(),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("release" as const),
        pick: fc.nat(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("modify" as const),
        pick: fc.nat(),
        type: fc.constantFrom(...TYPES),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("wide" as const),
        type: fc.constantFrom(...TYPES),
        weight: fc.integer({ min: 1, max: 2 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("inherit" as const),
        parent: fc.integer({ min: 0, max: 3 }),
        child: fc.integer({ min: 0, max: 4 }),
      }),
    },
  );
}

const scenarioArb = machineArb.chain((machine) =>
  fc.record({
    machine: fc.constant(machine),
    ops: fc.array(opArb(machine.cpus), {
      minLength: 1,
      maxLength: 60,
      size: "max",
    }),
  })
);

/** Runs `fn`, mapping a ConstraintError to its code. */
function outcomeOf(fn: () => void): OracleOutcome {
  try {
    fn();
    return "ok";
  } catch (error) {
    if (
      error instanceof ConstraintError &&
      (error.code === "ENOSPC" || error.code === "EINVAL")
    ) {
      return error.code;
    }
    throw error;
  }
}

interface Subject {
  label: string;
  hw: BreakpointConstraints;
  /** Live handles, in the oracle's order. */
  handles: BreakpointHandle[];
}

let sequences = 0;
let operations = 0;

Deno.test("every strategy and index agrees with the brute-force oracle on random sequences", () => {
  fc.assert(
    fc.property(scenarioArb, ({ machine, ops }) => {
      sequences++;
      const oracle = new Oracle(machine);
      const slots = machine.shared
        ? machine.instSlots
        : { inst: machine.instSlots, data: machine.dataSlots };
      const subjects: Subject[] = [];
      for (const strategy of ACCOUNTING_STRATEGIES) {
        for (const factory of TASK_INDEXES) {
          subjects.push({
            label: `${strategy}/${factory.name}`,
            hw: new BreakpointConstraints({
              cpus: machine.cpus,
              slots,
              sharedSlots: machine.shared,
              onlineCpus: machine.online,
              index: factory.create(),
              strategy,
            }),
            handles: [],
          });
        }
      }

      for (const [step, op] of ops.entries()) {
        operations++;
        const where = `step ${step} (${JSON.stringify(op)})`;
        let expected: OracleOutcome;
        if (op.kind === "reserve") {
          expected = oracle.reserve(op);
          for (const s of subjects) {
            let handle: BreakpointHandle | undefined;
            const got = outcomeOf(() => {
              handle = s.hw.reserve(op);
            });
            assert.equal(got, expected, `${s.label} reserve at ${where}`);
            if (handle) s.handles.push(handle);
          }
        } else if (op.kind === "wide" || op.kind === "inherit") {
          expected = op.kind === "wide"
            ? oracle.registerWide(op.type, op.weight)
            : oracle.inherit(op.parent, op.child);
          for (const s of subjects) {
            let made: BreakpointHandle[] = [];
            const got = outcomeOf(() => {
              made = op.kind === "wide"
                ? s.hw.registerWide({ type: op.type, weight: op.weight })
                : s.hw.inherit(op.parent, op.child);
            });
            assert.equal(got, expected, `${s.label} ${op.kind} at ${where}`);
            s.handles.push(...made);
          }
        } else if (oracle.live.length === 0) {
          continue;
        } else if (op.kind === "release") {
          const i = op.pick % oracle.live.length;
          oracle.release(i);
          for (const s of subjects) {
            s.hw.release(s.handles[i]!);
            s.handles.splice(i, 1);
          }
        } else {
          const i = op.pick % oracle.live.length;
          expected = oracle.modify(i, op.type);
          for (const s of subjects) {
            const got = outcomeOf(() => s.hw.modify(s.handles[i]!, op.type));
            assert.equal(got, expected, `${s.label} modify at ${where}`);
            assert.equal(s.handles[i]!.type, oracle.live[i]!.type);
          }
        }

        const reference = subjects[0]!.hw.snapshot();
        for (const s of subjects) {
          assert.equal(
            s.hw.verify(),
            null,
            `${s.label} self-check at ${where}`,
          );
          assert.equal(
            s.hw.isUsed(),
            oracle.isUsed(),
            `${s.label} isUsed at ${where}`,
          );
          assert.equal(s.hw.size, oracle.live.length);
          // Same breakpoints in the same order: inherit() copied the
          // parent's in creation order.
          const batch = op.kind === "wide" || op.kind === "inherit";
          for (const [i, bp] of batch ? oracle.live.entries() : []) {
            const h = s.handles[i]!;
            if (
              h.task !== bp.task || h.cpu !== bp.cpu || h.type !== bp.type ||
              h.weight !== bp.weight || h.inherit !== bp.inherit
            ) {
              assert.fail(`${s.label} handle ${i} differs at ${where}`);
            }
          }
          // Every strategy keeps the same per-CPU pinned counts; within a
          // strategy, every index yields identical counters.
          const snap = s.hw.snapshot();
          assert.deepEqual(
            snap.cpuPinned,
            reference.cpuPinned,
            `${s.label} at ${where}`,
          );
        }
        for (const strategy of ACCOUNTING_STRATEGIES) {
          const same = subjects.filter((s) => s.hw.strategy === strategy);
          const first = same[0]!.hw.snapshot();
          for (const s of same) {
            assert.deepEqual(s.hw.snapshot(), first, `${s.label} at ${where}`);
          }
        }
      }
      for (const s of subjects) {
        for (const handle of s.handles) s.hw.release(handle);
        assert.equal(s.hw.isUsed(), false);
        assert.equal(s.hw.verify(), null);
      }
    }),
    { numRuns: RUNS },
  );
  assert.ok(sequences >= RUNS);
  console.log(
    `oracle property test: ${sequences} sequences, ${operations} random operations, each on ${
      ACCOUNTING_STRATEGIES.length * TASK_INDEXES.length
    } engines`,
  );
});
