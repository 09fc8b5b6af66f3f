import assert from "node:assert/strict";
import { ARCH_RULES, archCheck, naturalLength } from "./_arch_rules.ts";
import type { BreakpointType } from "./breakpoint.ts";
import { ARCH_PROFILES, type ArchName } from "./profiles.ts";

// One row per rule and edge, each citing the kernel statement it checks
// (file:lines of the versions ARCH_RULES[arch].version names; sh and
// powerpc were read without line numbers, so they cite the statement).
// `expect` is null when the kernel's hw_breakpoint_arch_parse() accepts the
// breakpoint, else the exact message fragment. Length 0 never reaches these
// rules: the engine refuses it first, as the kernel refuses bp_len 0 on
// every architecture, so no row has it.

interface Row {
  arch: ArchName;
  type: BreakpointType;
  address: bigint;
  length: number;
  expect: string | null;
  source: string;
}

const TOP = (1n << 64n) - 1n;

const X86 = "arch/x86/kernel/hw_breakpoint.c";
const ARM64 = "arch/arm64/kernel/hw_breakpoint.c";
const SH = "arch/sh/kernel/hw_breakpoint.c";
const PPC = "arch/powerpc/kernel/hw_breakpoint.c";
const LA = "arch/loongarch/kernel/hw_breakpoint.c";

const X86_ALIGN =
  `${X86}:499-500 hw_breakpoint_arch_parse(): "if (hw->address & align) return -EINVAL;"`;
const X86_TYPE =
  `${X86}:385-416 arch_build_bp_info(): switch (attr->bp_type) has no HW_BREAKPOINT_R case, "default: return -EINVAL;"`;
const X86_EXEC =
  `${X86}:409-415 arch_build_bp_info(): "if (attr->bp_len == sizeof(long))", else fallthrough to -EINVAL`;
const X86_EXEC_ALIGN =
  `${X86}:474-475 hw_breakpoint_arch_parse(): X86_BREAKPOINT_LEN_X is X86_BREAKPOINT_LEN_1, "align = 0"`;
const X86_WRAP =
  `${X86}:368-370 arch_build_bp_info(): "if (bp_end < attr->bp_addr) return -EINVAL;"`;
const X86_LEN =
  `${X86}:419-437 arch_build_bp_info(): switch (attr->bp_len) cases LEN_1, 2, 4, 8, default "if (!is_power_of_2(attr->bp_len)) return -EINVAL;"`;
const X86_RANGE =
  `${X86}:438-442 arch_build_bp_info(): AMD range breakpoint "if (attr->bp_addr & (attr->bp_len - 1)) return -EINVAL; if (!boot_cpu_has(X86_FEATURE_BPEXT)) return -EOPNOTSUPP;"`;

const ARM64_TYPE =
  `${ARM64}:417-432 arch_build_bp_info(): switch (attr->bp_type) cases HW_BREAKPOINT_X, _R, _W, _RW`;
const ARM64_LEN =
  `${ARM64}:435-462 arch_build_bp_info(): switch (attr->bp_len) cases HW_BREAKPOINT_LEN_1 .. _8, "default: return -EINVAL;"`;
const ARM64_EXEC =
  `${ARM64}:474-482 arch_build_bp_info(): "else if (hw->ctrl.len != ARM_BREAKPOINT_LEN_4) { ... hw->ctrl.len = ARM_BREAKPOINT_LEN_4; }"`;
const ARM64_ALIGN =
  `${ARM64}:562-563 hw_breakpoint_arch_parse(): "hw->address &= ~alignment_mask; hw->ctrl.len <<= offset;" with no check`;

const SH_LEN =
  `${SH} arch_build_bp_info(): "/* Len */ switch (attr->bp_len)" before the type, "default: return -EINVAL;"`;
const SH_TYPE =
  `${SH} arch_build_bp_info(): "/* Type */ switch (attr->bp_type)" cases R, W, W | R, "default: return -EINVAL;"`;
const SH_ALIGN =
  `${SH} hw_breakpoint_arch_parse(): "if (hw->address & align) return -EINVAL;"`;

const PPC_TYPE =
  `${PPC} hw_breakpoint_arch_parse(): "if (hw->type == HW_BRK_TYPE_TRANSLATE) /* must set alteast read or write */ return ret;"`;
const PPC_SPAN =
  `${PPC} hw_breakpoint_validate_len(): "hw_len = end_addr - start_addr;" ... "if (hw_len > max_len) return -EINVAL;" with max_len = DAWR_MAX_LEN = 512`;
const PPC_P10 =
  `${PPC} hw_breakpoint_validate_len(): the 512-byte boundary rule is "if (!cpu_has_feature(CPU_FTR_ARCH_31) && ..." (not POWER10)`;
const PPC_U16 =
  `${PPC} hw_breakpoint_arch_parse(): "hw->len = attr->bp_len;" into u16 len (arch/powerpc/include/asm/hw_breakpoint.h)`;

const LA_TYPE =
  `${LA}:352-367 arch_build_bp_info(): switch (attr->bp_type) cases HW_BREAKPOINT_X, _R, _W, _RW`;
const LA_LEN =
  `${LA}:370-385 arch_build_bp_info(): switch (attr->bp_len) cases HW_BREAKPOINT_LEN_1, _2, _4, _8, "default: return -EINVAL;"`;
const LA_ALIGN =
  `${LA}:408-411 hw_breakpoint_arch_parse(): only execute addresses are aligned down ("hw->address &= ~alignment_mask"), nothing is refused`;

// deno-fmt-ignore
const ROWS: readonly Row[] = [
  // x86_64
  { arch: "x86_64", type: "w", address: 0x1001n, length: 1, expect: null, source: X86_ALIGN },
  { arch: "x86_64", type: "w", address: 0x1002n, length: 2, expect: null, source: X86_ALIGN },
  { arch: "x86_64", type: "w", address: 0x1001n, length: 2, expect: "address 0x1001 is not aligned to length 2", source: X86_ALIGN },
  { arch: "x86_64", type: "rw", address: 0x1004n, length: 4, expect: null, source: X86_ALIGN },
  { arch: "x86_64", type: "rw", address: 0x1003n, length: 4, expect: "address 0x1003 is not aligned to length 4", source: X86_ALIGN },
  { arch: "x86_64", type: "w", address: 0x1002n, length: 4, expect: "address 0x1002 is not aligned to length 4", source: X86_ALIGN },
  { arch: "x86_64", type: "rw", address: 0x1008n, length: 8, expect: null, source: X86_ALIGN },
  { arch: "x86_64", type: "rw", address: 0x1009n, length: 8, expect: "address 0x1009 is not aligned to length 8", source: X86_ALIGN },
  { arch: "x86_64", type: "w", address: 0x1007n, length: 8, expect: "address 0x1007 is not aligned to length 8", source: X86_ALIGN },
  { arch: "x86_64", type: "w", address: 0x1004n, length: 8, expect: "address 0x1004 is not aligned to length 8", source: X86_ALIGN },
  { arch: "x86_64", type: "r", address: 0x1000n, length: 4, expect: 'x86_64 has no read-only watchpoints: type "r"', source: X86_TYPE },
  { arch: "x86_64", type: "r", address: 0x1000n, length: 3, expect: 'x86_64 has no read-only watchpoints: type "r"', source: X86_TYPE },
  { arch: "x86_64", type: "x", address: 0x1000n, length: 8, expect: null, source: X86_EXEC },
  { arch: "x86_64", type: "x", address: 0x1003n, length: 8, expect: null, source: X86_EXEC_ALIGN },
  { arch: "x86_64", type: "x", address: 0x1000n, length: 4, expect: "x86_64 execute breakpoints need length 8 (sizeof(long)): length 4", source: X86_EXEC },
  { arch: "x86_64", type: "x", address: 0x1000n, length: 1, expect: "x86_64 execute breakpoints need length 8 (sizeof(long)): length 1", source: X86_EXEC },
  { arch: "x86_64", type: "x", address: 0x1000n, length: 16, expect: "x86_64 execute breakpoints need length 8 (sizeof(long)): length 16", source: X86_EXEC },
  { arch: "x86_64", type: "w", address: 0x1000n, length: 3, expect: "x86_64 breakpoints take length 1, 2, 4 or 8: length 3", source: X86_LEN },
  { arch: "x86_64", type: "w", address: 0x1000n, length: 12, expect: "x86_64 breakpoints take length 1, 2, 4 or 8: length 12", source: X86_LEN },
  { arch: "x86_64", type: "rw", address: 0x1000n, length: 2 ** 53 - 1, expect: "x86_64 breakpoints take length 1, 2, 4 or 8: length 9007199254740991", source: X86_LEN },
  { arch: "x86_64", type: "w", address: 0x1008n, length: 16, expect: "address 0x1008 is not aligned to length 16", source: X86_RANGE },
  { arch: "x86_64", type: "w", address: 0x1000n, length: 16, expect: "x86_64 range breakpoints need AMD's X86_FEATURE_BPEXT (EOPNOTSUPP without it): length 16", source: X86_RANGE },
  { arch: "x86_64", type: "rw", address: 0n, length: 2 ** 52, expect: "x86_64 range breakpoints need AMD's X86_FEATURE_BPEXT (EOPNOTSUPP without it): length 4503599627370496", source: X86_RANGE },
  { arch: "x86_64", type: "w", address: TOP, length: 1, expect: null, source: X86_WRAP },
  { arch: "x86_64", type: "w", address: TOP - 7n, length: 8, expect: null, source: X86_WRAP },
  { arch: "x86_64", type: "w", address: TOP, length: 2, expect: "address 0xffffffffffffffff with length 2 runs past the end of the address space", source: X86_WRAP },
  { arch: "x86_64", type: "r", address: TOP, length: 2, expect: "address 0xffffffffffffffff with length 2 runs past the end of the address space", source: X86_WRAP },
  { arch: "x86_64", type: "x", address: TOP - 7n, length: 8, expect: null, source: X86_WRAP },
  { arch: "x86_64", type: "x", address: TOP - 6n, length: 8, expect: "address 0xfffffffffffffff9 with length 8 runs past the end of the address space", source: X86_WRAP },
  { arch: "x86_64", type: "w", address: TOP - 2n ** 53n + 1n, length: 2 ** 53 - 1, expect: "x86_64 breakpoints take length 1, 2, 4 or 8: length 9007199254740991", source: X86_WRAP },

  // arm64 (AArch64 and per-CPU breakpoints)
  { arch: "arm64", type: "r", address: 0x1000n, length: 4, expect: null, source: ARM64_TYPE },
  { arch: "arm64", type: "w", address: 0x1000n, length: 3, expect: null, source: ARM64_LEN },
  { arch: "arm64", type: "rw", address: 0x1000n, length: 7, expect: null, source: ARM64_LEN },
  { arch: "arm64", type: "w", address: 0x1000n, length: 9, expect: "arm64 breakpoints take length 1 to 8: length 9", source: ARM64_LEN },
  { arch: "arm64", type: "r", address: 0x1000n, length: 16, expect: "arm64 breakpoints take length 1 to 8: length 16", source: ARM64_LEN },
  { arch: "arm64", type: "x", address: 0x1000n, length: 4, expect: null, source: ARM64_EXEC },
  { arch: "arm64", type: "x", address: 0x1000n, length: 8, expect: null, source: ARM64_EXEC },
  { arch: "arm64", type: "x", address: 0x1000n, length: 2, expect: null, source: ARM64_EXEC },
  { arch: "arm64", type: "x", address: 0x1000n, length: 9, expect: "arm64 breakpoints take length 1 to 8: length 9", source: ARM64_LEN },
  { arch: "arm64", type: "x", address: 0x1002n, length: 4, expect: null, source: ARM64_ALIGN },
  { arch: "arm64", type: "rw", address: 0x1003n, length: 8, expect: null, source: ARM64_ALIGN },
  { arch: "arm64", type: "w", address: 0x1007n, length: 1, expect: null, source: ARM64_ALIGN },
  { arch: "arm64", type: "w", address: TOP, length: 8, expect: null, source: ARM64_ALIGN },

  // sh
  { arch: "sh", type: "w", address: 0x1000n, length: 4, expect: null, source: SH_ALIGN },
  { arch: "sh", type: "r", address: 0x1001n, length: 1, expect: null, source: SH_TYPE },
  { arch: "sh", type: "rw", address: 0x1008n, length: 8, expect: null, source: SH_ALIGN },
  { arch: "sh", type: "w", address: 0x1000n, length: 3, expect: "sh breakpoints take length 1, 2, 4 or 8: length 3", source: SH_LEN },
  { arch: "sh", type: "x", address: 0x1000n, length: 3, expect: "sh breakpoints take length 1, 2, 4 or 8: length 3", source: SH_LEN },
  { arch: "sh", type: "x", address: 0x1000n, length: 4, expect: 'sh has no execute breakpoints: type "x"', source: SH_TYPE },
  { arch: "sh", type: "w", address: 0x1002n, length: 4, expect: "address 0x1002 is not aligned to length 4", source: SH_ALIGN },
  { arch: "sh", type: "rw", address: 0x1004n, length: 8, expect: "address 0x1004 is not aligned to length 8", source: SH_ALIGN },
  { arch: "sh", type: "r", address: TOP, length: 1, expect: null, source: SH_ALIGN },
  { arch: "sh", type: "r", address: TOP, length: 2, expect: "address 0xffffffffffffffff is not aligned to length 2", source: SH_ALIGN },

  // powerpc (POWER10)
  { arch: "powerpc", type: "x", address: 0x1000n, length: 8, expect: 'powerpc has no execute breakpoints: type "x"', source: PPC_TYPE },
  { arch: "powerpc", type: "r", address: 0x1003n, length: 1, expect: null, source: PPC_SPAN },
  { arch: "powerpc", type: "w", address: 0n, length: 512, expect: null, source: PPC_SPAN },
  { arch: "powerpc", type: "rw", address: 0n, length: 513, expect: "powerpc watch range of length 513 at address 0x0 spans 520 bytes of doublewords, more than the DAWR maximum of 512", source: PPC_SPAN },
  { arch: "powerpc", type: "w", address: 1n, length: 505, expect: null, source: PPC_SPAN },
  { arch: "powerpc", type: "w", address: 1n, length: 512, expect: "powerpc watch range of length 512 at address 0x1 spans 520 bytes of doublewords, more than the DAWR maximum of 512", source: PPC_SPAN },
  { arch: "powerpc", type: "w", address: 0x1004n, length: 8, expect: null, source: PPC_SPAN },
  { arch: "powerpc", type: "w", address: 0x1fcn, length: 16, expect: null, source: PPC_P10 },
  { arch: "powerpc", type: "w", address: 0n, length: 0x10000, expect: null, source: PPC_U16 },
  { arch: "powerpc", type: "w", address: 0n, length: 0x10000 + 513, expect: "powerpc watch range of length 66049 at address 0x0 spans 520 bytes of doublewords, more than the DAWR maximum of 512", source: PPC_U16 },
  { arch: "powerpc", type: "r", address: TOP, length: 1, expect: null, source: PPC_SPAN },
  { arch: "powerpc", type: "r", address: TOP - 6n, length: 505, expect: null, source: PPC_SPAN },
  { arch: "powerpc", type: "r", address: TOP, length: 512, expect: "powerpc watch range of length 512 at address 0xffffffffffffffff spans 520 bytes of doublewords, more than the DAWR maximum of 512", source: PPC_SPAN },

  // loongarch
  { arch: "loongarch", type: "x", address: 0x1000n, length: 8, expect: null, source: LA_LEN },
  { arch: "loongarch", type: "x", address: 0x1002n, length: 4, expect: null, source: LA_ALIGN },
  { arch: "loongarch", type: "x", address: 0x1000n, length: 3, expect: "loongarch breakpoints take length 1, 2, 4 or 8: length 3", source: LA_LEN },
  { arch: "loongarch", type: "r", address: 0x1000n, length: 1, expect: null, source: LA_TYPE },
  { arch: "loongarch", type: "rw", address: 0x1003n, length: 8, expect: null, source: LA_ALIGN },
  { arch: "loongarch", type: "w", address: 0x1000n, length: 16, expect: "loongarch breakpoints take length 1, 2, 4 or 8: length 16", source: LA_LEN },
  { arch: "loongarch", type: "w", address: TOP, length: 8, expect: null, source: LA_ALIGN },
];

const ARCHES = Object.keys(ARCH_PROFILES) as ArchName[];
const TYPES: readonly BreakpointType[] = ["r", "w", "rw", "x"];

for (const arch of ARCHES) {
  Deno.test(`archCheck() follows ${arch}'s hw_breakpoint_arch_parse() rule by rule`, async (t) => {
    const rows = ROWS.filter((row) => row.arch === arch);
    assert.ok(rows.length > 0);
    for (const row of rows) {
      const verdict = row.expect === null ? "accepts" : "refuses";
      await t.step(
        `${verdict} "${row.type}" at 0x${
          row.address.toString(16)
        } length ${row.length} (${row.source})`,
        () => {
          assert.equal(
            archCheck(row.arch, row.type, row.address, row.length),
            row.expect,
          );
        },
      );
    }
  });
}

Deno.test("the rule table has rows for every architecture and type", () => {
  for (const arch of ARCHES) {
    for (const type of TYPES) {
      assert.ok(
        ROWS.some((row) => row.arch === arch && row.type === type),
        `${arch} ${type}`,
      );
    }
  }
});

// The natural length of every architecture and type, after
// tools/perf/util/parse-events.c parse_events_add_breakpoint(): data 4
// (HW_BREAKPOINT_LEN_4), execute default_breakpoint_len() (4 on
// __aarch64__, else sizeof(long)).
const NATURAL: Readonly<Record<ArchName, number>> = {
  x86_64: 8,
  arm64: 4,
  sh: 4,
  powerpc: 8,
  loongarch: 8,
};

Deno.test("naturalLength() is what perf passes without a length, for every architecture and type", () => {
  for (const arch of ARCHES) {
    for (const type of TYPES) {
      assert.equal(
        naturalLength(arch, type),
        type === "x" ? NATURAL[arch] : 4,
        `${arch} ${type}`,
      );
    }
  }
});

Deno.test("a spec with only a type fits every architecture that has the type", () => {
  // Every architecture x every type, at the default address 0 with the
  // natural length: accepted exactly when ARCH_RULES lists the type.
  const refusedTypes: string[] = [];
  for (const arch of ARCHES) {
    const rules = ARCH_RULES[arch];
    for (const type of TYPES) {
      const listed = (type === "x" ? rules.inst : rules.data).types
        .includes(type);
      const message = archCheck(arch, type, 0n, naturalLength(arch, type));
      assert.equal(message === null, listed, `${arch} ${type}: ${message}`);
      if (!listed) refusedTypes.push(`${arch} ${type}`);
    }
  }
  assert.deepEqual(refusedTypes, ["x86_64 r", "sh x", "powerpc x"]);
});

Deno.test("ARCH_RULES lengths are exactly the lengths archCheck() accepts at an aligned address", () => {
  for (const arch of ARCHES) {
    for (const pool of ["inst", "data"] as const) {
      const rules = ARCH_RULES[arch][pool];
      const types = pool === "inst"
        ? ["x" as const]
        : (["r", "w", "rw"] as const);
      for (const type of types) {
        if (!rules.types.includes(type)) continue;
        const { min, max, powersOfTwo } = rules.lengths!;
        for (let length = 1; length <= max + 8; length++) {
          const listed = length >= min && length <= max &&
            (!powersOfTwo || (length & (length - 1)) === 0);
          // 0x10000 is aligned to every length checked here.
          const message = archCheck(arch, type, 0x10000n, length);
          assert.equal(
            message === null,
            listed,
            `${arch} ${type} ${length}: ${message}`,
          );
        }
      }
      if (rules.types.length === 0) assert.equal(rules.lengths, null);
    }
  }
});

Deno.test("ARCH_RULES covers every profile and cites a kernel source for every rule", () => {
  assert.deepEqual(Object.keys(ARCH_RULES).sort(), [...ARCHES].sort());
  for (const arch of ARCHES) {
    const rules = ARCH_RULES[arch];
    assert.match(rules.file, /^arch\/[a-z0-9]+\/kernel\/hw_breakpoint\.c$/);
    assert.ok(rules.rules.length >= 2, arch);
    for (const { rule, source } of rules.rules) {
      assert.match(
        source,
        /^(arch|tools)\/[\w/.-]+\.c(:\d+(-\d+)?)? [a-z_]+\(\): /,
        rule,
      );
      assert.doesNotMatch(rule, /\.$/);
    }
    assert.ok(rules.notModelled.length >= 1, arch);
    assert.ok(Object.isFrozen(rules) && Object.isFrozen(rules.rules));
  }
  assert.ok(Object.isFrozen(ARCH_RULES));
});

Deno.test("archCheck() messages name the value, in sentence case without a trailing period", () => {
  for (const row of ROWS) {
    if (row.expect === null) continue;
    assert.doesNotMatch(row.expect, /\.$/);
    assert.ok(
      row.expect.includes(`length ${row.length}`) ||
        row.expect.includes(`type "${row.type}"`),
      row.expect,
    );
  }
});

Deno.test("archCheck() answers the same whatever address it checked before", () => {
  // archCheck() remembers the low bits of the last address; interleave the
  // rows forwards, backwards and against a fixed address to catch staleness.
  const forwards = ROWS.map((r) =>
    archCheck(r.arch, r.type, r.address, r.length)
  );
  const backwards = [...ROWS].reverse().map((r) =>
    archCheck(r.arch, r.type, r.address, r.length)
  ).reverse();
  const interleaved = ROWS.map((r) => {
    archCheck("x86_64", "w", 0x1001n, 1);
    return archCheck(r.arch, r.type, r.address, r.length);
  });
  assert.deepEqual(backwards, forwards);
  assert.deepEqual(interleaved, forwards);
  assert.deepEqual(forwards, ROWS.map((r) => r.expect));
});
