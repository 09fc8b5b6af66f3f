// Attributes (address, length, disabled, inherit), architecture rules and
// the kernel's order of checks: EOPNOTSUPP, then the reservation (ENOSPC),
// then the parse (EINVAL), with the slot given back.
import assert from "node:assert/strict";
import { ListTaskIndex } from "@hwbp/list";
import {
  assertRejects,
  assertRejectsUnchanged,
  STRATEGIES,
} from "../../testing/constraint_assertions.ts";
import {
  type AccountingStrategy,
  ARCH_PROFILES,
  type ArchName,
  BreakpointConstraints,
  type BreakpointConstraintsOptions,
  type BreakpointHandle,
  type BreakpointSpec,
  type ConstraintErrorCode,
} from "./mod.ts";

function x86(strategy: AccountingStrategy, cpus = 2): BreakpointConstraints {
  return new BreakpointConstraints({
    cpus,
    ...ARCH_PROFILES.x86_64,
    index: new ListTaskIndex(),
    strategy,
  });
}

for (const strategy of STRATEGIES) {
  Deno.test(`reserve() (${strategy}) answers ENOSPC before EINVAL, as register_perf_hw_breakpoint() reserves before it parses`, () => {
    const hw = x86(strategy);
    for (let i = 0; i < 4; i++) hw.reserve({ task: 1, type: "w" });
    // Task 1 is full: even an invalid breakpoint gets ENOSPC.
    assertRejectsUnchanged(
      hw,
      () => hw.reserve({ task: 1, type: "r" }),
      "ENOSPC",
      "needs 1 shared slot(s) but 4 of 4",
    );
    assertRejectsUnchanged(
      hw,
      () => hw.reserve({ task: 1, type: "w", address: 0x1001 }),
      "ENOSPC",
      "4 of 4",
    );
    // Task 2 has room: the parse runs, fails, and the slot is given back.
    assertRejectsUnchanged(
      hw,
      () => hw.reserve({ task: 2, type: "r" }),
      "EINVAL",
      '"r" at 0x0 length 4 is invalid on x86_64: x86_64 has no read-only watchpoints',
    );
    assertRejectsUnchanged(
      hw,
      () => hw.reserve({ task: 2, cpu: 1, type: "w", address: 0x1001n }),
      "EINVAL",
      '"w" at 0x1001 length 4 is invalid on x86_64: address 0x1001 is not aligned to length 4',
    );
    assertRejectsUnchanged(
      hw,
      () => hw.reserve({ cpu: 0, type: "x", length: 4 }),
      "ENOSPC",
      "on cpu 0",
    );
    assertRejectsUnchanged(
      hw,
      () => hw.reserve({ task: 2, type: "x", length: 4 }),
      "EINVAL",
      '"x" at 0x0 length 4 is invalid on x86_64',
    );
    assert.equal(hw.index.size, 4);
  });

  Deno.test(`reserve() (${strategy}) refuses a type whose pool has no slot with EOPNOTSUPP, before anything else`, () => {
    const power = new BreakpointConstraints({
      cpus: 2,
      ...ARCH_PROFILES.powerpc,
      index: new ListTaskIndex(),
      strategy,
    });
    power.reserve({ task: 1, type: "w" });
    power.reserve({ task: 1, type: "w" });
    // The data pool is full, the instruction pool does not exist: the
    // check of hw_breakpoint_event_init() runs before the reservation and
    // before powerpc's parser, which would refuse "x" too.
    assertRejectsUnchanged(
      power,
      () => power.reserve({ task: 1, type: "x" }),
      "EOPNOTSUPP",
      'type "x" is not supported: the inst pool has 0 slots',
    );
    assertRejectsUnchanged(
      power,
      () => power.registerWide({ type: "x" }),
      "EOPNOTSUPP",
      "inst pool has 0 slots",
    );
    // Malformed input is still EINVAL first.
    assertRejectsUnchanged(
      power,
      () => power.reserve({ task: 1, type: "x", cpu: 9 }),
      "EINVAL",
      "cpu 9",
    );
    // A generic machine with an empty pool answers the same.
    const generic = new BreakpointConstraints({
      cpus: 1,
      slots: { inst: 2, data: 0 },
      index: new ListTaskIndex(),
      strategy,
    });
    assertRejectsUnchanged(
      generic,
      () => generic.reserve({ cpu: 0, type: "rw" }),
      "EOPNOTSUPP",
      'type "rw" is not supported: the data pool has 0 slots',
    );
    // modify_bp_slot() has no such check: moving into an empty pool is
    // ENOSPC.
    const x = generic.reserve({ cpu: 0, type: "x" });
    assertRejectsUnchanged(
      generic,
      () => generic.modify(x, "w"),
      "ENOSPC",
      "needs 1 data slot(s) but 0 of 0",
    );
  });

  Deno.test(`reserve() (${strategy}) refuses malformed attributes up front and changes nothing`, async (t) => {
    const hw = x86(strategy);
    hw.reserve({ task: 1, type: "w", inherit: true });
    const cases: [string, Record<string, unknown>, string][] = [
      ["a negative address", { address: -1 }, "address -1"],
      [
        "an address past 2^64 - 1",
        { address: 1n << 64n },
        "address 18446744073709551616n",
      ],
      ["a negative bigint address", { address: -8n }, "address -8n"],
      ["a fractional address", { address: 1.5 }, "address 1.5"],
      [
        "an unsafe number address",
        { address: 2 ** 60 },
        "address 1152921504606847000",
      ],
      ["a string address", { address: "0x10" }, 'address "0x10"'],
      ["a null address", { address: null }, "address null"],
      ["a NaN length", { length: NaN }, "length NaN"],
      ["a negative length", { length: -4 }, "length -4"],
      ["a fractional length", { length: 2.5 }, "length 2.5"],
      ["a bigint length", { length: 4n }, "length 4n"],
      ["a null length", { length: null }, "length null"],
      ["a string disabled", { disabled: "yes" }, 'disabled "yes"'],
      ["a numeric disabled", { disabled: 1 }, "disabled 1"],
      ["a null disabled", { disabled: null }, "disabled null"],
      ["a numeric inherit", { inherit: 0 }, "inherit 0"],
      ["a null inherit", { inherit: null }, "inherit null"],
    ];
    for (const [name, fields, fragment] of cases) {
      await t.step(name, () => {
        // On a full task too: these are not attributes the kernel could
        // even hold, so they fail before the reservation.
        for (const task of [1, 2]) {
          assertRejectsUnchanged(
            hw,
            () => hw.reserve({ task, type: "w", ...fields } as BreakpointSpec),
            "EINVAL",
            fragment,
          );
        }
      });
    }
  });
}

Deno.test("reserve() defaults the address to 0 and the length to what perf passes for the architecture", () => {
  const expectations: [ArchName | null, number, number][] = [
    ["x86_64", 4, 8],
    ["arm64", 4, 4],
    ["loongarch", 4, 8],
    [null, 4, 8],
  ];
  for (const [arch, data, inst] of expectations) {
    const options: BreakpointConstraintsOptions = {
      cpus: 1,
      slots: 4,
      index: new ListTaskIndex(),
    };
    if (arch !== null) options.arch = arch;
    const hw = new BreakpointConstraints(options);
    assert.equal(hw.arch, arch);
    const w = hw.reserve({ task: 1, type: "w" });
    const x = hw.reserve({ task: 1, type: "x" });
    assert.deepEqual(
      [w.address, w.length, x.address, x.length],
      [0n, data, 0n, inst],
      `${arch}`,
    );
    assert.deepEqual([w.disabled, w.inherit], [false, false]);
  }
  const sh = new BreakpointConstraints({
    cpus: 1,
    ...ARCH_PROFILES.sh,
    index: new ListTaskIndex(),
  });
  assert.equal(sh.reserve({ task: 1, type: "rw" }).length, 4);
});

Deno.test("reserve() keeps the attributes it was given, a number address as a bigint", () => {
  const hw = x86("current");
  const bp = hw.reserve({
    task: 3,
    type: "rw",
    address: 0x7ffe_1000,
    length: 8,
    disabled: true,
    inherit: true,
  });
  assert.deepEqual(
    [bp.type, bp.address, bp.length, bp.disabled, bp.inherit],
    ["rw", 0x7ffe_1000n, 8, true, true],
  );
  const top = hw.reserve({ task: 3, type: "w", address: (1n << 64n) - 8n });
  assert.equal(top.address, 0xffff_ffff_ffff_fff8n);
});

Deno.test("reserve() refuses a zero length when it parses, on every machine", () => {
  for (const arch of [undefined, "arm64"] as const) {
    const hw = new BreakpointConstraints({
      cpus: 1,
      slots: 1,
      index: new ListTaskIndex(),
      ...(arch ? { arch } : {}),
    });
    assertRejectsUnchanged(
      hw,
      () => hw.reserve({ task: 1, type: "w", length: 0 }),
      "EINVAL",
      "length 0 watches no byte",
    );
    hw.reserve({ task: 1, type: "w" });
    // Full: ENOSPC wins again.
    assertRejectsUnchanged(
      hw,
      () => hw.reserve({ task: 1, type: "w", length: 0 }),
      "ENOSPC",
      "1 of 1",
    );
  }
});

Deno.test("reserve() answers EOPNOTSUPP for an x86 range breakpoint, as a CPU without BPEXT does", () => {
  const hw = x86("current");
  assertRejectsUnchanged(
    hw,
    () => hw.reserve({ task: 1, type: "w", address: 0x1000, length: 16 }),
    "EOPNOTSUPP",
    "X86_FEATURE_BPEXT",
  );
});

Deno.test("The arch option is validated and set by spreading a profile", () => {
  const valid = { cpus: 1, slots: 2, index: new ListTaskIndex() };
  for (
    const [arch, fragment] of [
      ["mips", 'unknown arch "mips"'],
      [null, "unknown arch null"],
      ["toString", 'unknown arch "toString"'],
    ] as const
  ) {
    assertRejects(
      () =>
        new BreakpointConstraints({
          ...valid,
          arch,
        } as unknown as BreakpointConstraintsOptions),
      "EINVAL",
      fragment,
    );
  }
  for (const name of Object.keys(ARCH_PROFILES) as ArchName[]) {
    const hw = new BreakpointConstraints({
      cpus: 1,
      ...ARCH_PROFILES[name],
      index: new ListTaskIndex(),
    });
    assert.equal(hw.arch, name);
    assert.equal(ARCH_PROFILES[name].arch, name);
  }
  assert.equal(new BreakpointConstraints(valid).arch, null);
});

for (const strategy of STRATEGIES) {
  Deno.test(`modify() (${strategy}) changes type, address, length and disabled`, () => {
    const hw = new BreakpointConstraints({
      cpus: 2,
      ...ARCH_PROFILES.arm64,
      index: new ListTaskIndex(),
      strategy,
    });
    const bp = hw.reserve({ task: 1, type: "w", address: 0x1000 });
    hw.modify(bp, { address: 0x2000n, length: 8, disabled: true });
    assert.deepEqual(
      [bp.type, bp.address, bp.length, bp.disabled],
      ["w", 0x2000n, 8, true],
    );
    hw.modify(bp, { type: "x", length: 4 });
    assert.deepEqual([bp.type, bp.address, bp.length], ["x", 0x2000n, 4]);
    assert.equal(hw.snapshot().tskPinnedAll[0]?.[0] ?? 1, 1);
    hw.modify(bp, "rw"); // the string form
    hw.modify(bp, {}); // nothing to change
    assert.deepEqual([bp.type, bp.disabled], ["rw", true]);
    assert.equal(hw.verify(), null);
    hw.release(bp);
    assert.equal(hw.isUsed(), false);
  });

  Deno.test(`modify() (${strategy}) parses before it moves the slot, and a failure changes nothing`, () => {
    const hw = x86(strategy);
    const bp = hw.reserve({ task: 1, type: "w", address: 0x1000 });
    // Invalid on x86 whatever the room: the parse comes first.
    assertRejectsUnchanged(
      hw,
      () => hw.modify(bp, { type: "r" }),
      "EINVAL",
      "no read-only watchpoints",
    );
    assertRejectsUnchanged(
      hw,
      () => hw.modify(bp, { address: 0x1002, disabled: true }),
      "EINVAL",
      '"w" at 0x1002 length 4 is invalid on x86_64',
    );
    assert.deepEqual(
      [bp.type, bp.address, bp.length, bp.disabled],
      ["w", 0x1000n, 4, false],
    );
  });

  Deno.test(`modify() (${strategy}) takes the old slot back when the new pool is full`, () => {
    const hw = new BreakpointConstraints({
      cpus: 2,
      ...ARCH_PROFILES.arm64,
      index: new ListTaskIndex(),
      strategy,
    });
    const fillers = [0, 1, 2, 3, 4, 5].map(() =>
      hw.reserve({ task: 1, cpu: 1, type: "x" })
    );
    const bp = hw.reserve({ task: 1, type: "w", address: 0x10 });
    assertRejectsUnchanged(
      hw,
      () => hw.modify(bp, { type: "x", address: 0x20, disabled: true }),
      "ENOSPC",
      "needs 1 inst slot(s) but 6 of 6 are taken on its busiest cpu",
    );
    assert.deepEqual(
      [bp.type, bp.address, bp.disabled],
      ["w", 0x10n, false],
    );
    hw.release(fillers[0]!);
    hw.modify(bp, { type: "x", address: 0x20 });
    assert.deepEqual([bp.type, bp.address], ["x", 0x20n]);
    assert.equal(hw.verify(), null);
  });

  Deno.test(`modify() (${strategy}) keeps the slot of a disabled breakpoint`, () => {
    const hw = x86(strategy);
    const bps = [0, 1, 2, 3].map(() => hw.reserve({ task: 1, type: "w" }));
    for (const bp of bps) hw.modify(bp, { disabled: true });
    assertRejectsUnchanged(
      hw,
      () => hw.reserve({ task: 1, type: "w" }),
      "ENOSPC",
      "4 of 4",
    );
    const disabled = hw.reserve({ task: 2, type: "w", disabled: true });
    assert.equal(disabled.disabled, true);
    assertRejectsUnchanged(
      hw,
      () => hw.reserve({ cpu: 0, type: "w" }),
      "ENOSPC",
      "4 of 4",
    );
  });

  Deno.test(`modify() (${strategy}) refuses malformed changes and changes nothing`, () => {
    const hw = x86(strategy);
    const bp = hw.reserve({ task: 1, type: "w" });
    const cases: [string, unknown, ConstraintErrorCode, string][] = [
      [
        "null changes",
        null,
        "EINVAL",
        "changes null must be a type or an object",
      ],
      ["numeric changes", 3, "EINVAL", "changes 3"],
      ["an unknown type", { type: "q" }, "EINVAL", 'type "q"'],
      ["an unknown type string", "wx", "EINVAL", 'type "wx"'],
      ["a new cpu", { cpu: 1 }, "EINVAL", "cpu cannot change"],
      ["a new task", { task: 3 }, "EINVAL", "task cannot change"],
      ["a new weight", { weight: 2 }, "EINVAL", "weight cannot change"],
      ["a new inherit", { inherit: true }, "EINVAL", "inherit cannot change"],
      ["a negative address", { address: -1 }, "EINVAL", "address -1"],
      ["a string length", { length: "8" }, "EINVAL", 'length "8"'],
      ["a null disabled", { disabled: null }, "EINVAL", "disabled null"],
      ["a zero length", { length: 0 }, "EINVAL", "length 0 watches no byte"],
    ];
    for (const [name, changes, code, fragment] of cases) {
      assertRejectsUnchanged(
        hw,
        () => hw.modify(bp, changes as "w"),
        code,
        fragment,
      );
      assert.deepEqual(
        [bp.type, bp.address, bp.length, bp.disabled],
        ["w", 0n, 4, false],
        name,
      );
    }
  });
}

Deno.test("modify() reads each field of its changes exactly once", () => {
  const hw = new BreakpointConstraints({
    cpus: 1,
    slots: { inst: 1, data: 1 },
    index: new ListTaskIndex(),
  });
  const bp: BreakpointHandle = hw.reserve({ task: 1, type: "w" });
  const reads = new Map<string, number>();
  let typeReads = 0;
  const changes = new Proxy({ address: 0x40, length: 8, disabled: true }, {
    get(target, key, receiver) {
      reads.set(String(key), (reads.get(String(key)) ?? 0) + 1);
      // A type that changes its answer: "x" first, then "rw".
      if (key === "type") return typeReads++ === 0 ? "x" : "rw";
      return Reflect.get(target, key, receiver);
    },
  });
  hw.modify(bp, changes);
  for (const [key, count] of reads) assert.equal(count, 1, key);
  assert.deepEqual(
    [...reads.keys()].sort(),
    [
      "address",
      "cpu",
      "disabled",
      "inherit",
      "length",
      "task",
      "type",
      "weight",
    ],
  );
  assert.equal(bp.type, "x");
  assert.deepEqual(hw.snapshot().tskPinnedAll, [[1], [0]]);
  assert.equal(hw.verify(), null);
});
