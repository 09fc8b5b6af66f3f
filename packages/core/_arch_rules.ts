// Per-architecture attribute rules: what each architecture's
// `hw_breakpoint_arch_parse()` accepts for a breakpoint's type, length and
// address, after `arch/*/kernel/hw_breakpoint.c`. The constraint engine
// calls these after it has reserved the slot, as
// `register_perf_hw_breakpoint()` parses after `reserve_bp_slot()`.
//
// Privilege is not modelled: the model has no kernel address space, so the
// rules about kernel addresses (x86 `within_cpu_entry()` and the kprobe
// blacklist, arm64's refusal of per-task kernel breakpoints, the generic
// `hw_breakpoint_parse()` EINVAL/EPERM for kernel breakpoints) never fire.
// Each `ARCH_RULES` entry lists what it leaves out.

import type { BreakpointType } from "./breakpoint.ts";
import type { ArchName } from "./profiles.ts";

/**
 * One pool's share of an architecture's attribute rules.
 */
export interface ArchPoolRules {
  /** Access types of this pool that the parser accepts (maybe none). */
  readonly types: readonly BreakpointType[];
  /**
   * Lengths accepted at an address aligned to 8: every integer from `min`
   * to `max`, or only the powers of two among them when `powersOfTwo`.
   * `null` when the pool accepts no type.
   */
  readonly lengths: {
    readonly min: number;
    readonly max: number;
    readonly powersOfTwo: boolean;
  } | null;
  /**
   * How the address is checked: `"length"` (aligned to the length),
   * `"none"` (any address; the kernel may align it down silently) or
   * `"doubleword-span"` (the doublewords the range touches must fit the
   * register's maximum).
   */
  readonly alignment: "length" | "none" | "doubleword-span";
  /** The length a spec without one gets (what perf tools would pass). */
  readonly naturalLength: number;
}

/**
 * The attribute rules of one architecture, with the kernel sources they
 * were read from, for docs and tests.
 */
export interface ArchRules {
  /** The kernel file whose `hw_breakpoint_arch_parse()` is modelled. */
  readonly file: string;
  /** Which version of that file the rules were read from. */
  readonly version: string;
  /** Instruction-pool rules (type `"x"`). */
  readonly inst: ArchPoolRules;
  /** Data-pool rules (types `"r"`, `"w"`, `"rw"`). */
  readonly data: ArchPoolRules;
  /**
   * Every rule modelled, in the order the kernel checks them, then where
   * the natural lengths come from.
   */
  readonly rules: readonly {
    /** The rule, in words. */
    readonly rule: string;
    /** Where it is stated: file:lines, function and statement. */
    readonly source: string;
  }[];
  /** What the kernel checks that this model leaves out, and why. */
  readonly notModelled: readonly string[];
}

const U64_MAX = (1n << 64n) - 1n;
/** Below this address no safe-integer length can run past 2^64 - 1. */
const NO_WRAP_LIMIT = (1n << 64n) - (1n << 53n);
const PERF_PARSE = "tools/perf/util/parse-events.c";

/** The natural-length rule, cited once per architecture. */
function naturalRule(inst: number, why: string): {
  rule: string;
  source: string;
} {
  return {
    rule:
      `Without a length, data breakpoints get 4 and execute breakpoints ${inst} (${why}), as perf passes them`,
    source:
      `${PERF_PARSE} parse_events_add_breakpoint(): "if (!len) { if (attr.bp_type == HW_BREAKPOINT_X) len = default_breakpoint_len(); else len = HW_BREAKPOINT_LEN_4; }"; default_breakpoint_len() returns 4 on __aarch64__, else sizeof(long)`,
  };
}

/**
 * The length a breakpoint spec without `length` gets on `arch`: what
 * `perf record -e mem:ADDR` passes when no length is given
 * (`parse_events_add_breakpoint()`): `HW_BREAKPOINT_LEN_4` for data
 * breakpoints, and `default_breakpoint_len()` for execute breakpoints,
 * which is 4 on arm64 (the only length AArch64 accepts) and `sizeof(long)`
 * elsewhere (8 on 64-bit x86_64, powerpc and loongarch, 4 on 32-bit sh).
 *
 * @param arch The architecture.
 * @param type The access type.
 * @returns The natural length in bytes.
 *
 * @example Usage
 * ```ts
 * import { naturalLength } from "./_arch_rules.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(naturalLength("x86_64", "w"), 4);
 * assert.equal(naturalLength("x86_64", "x"), 8);
 * assert.equal(naturalLength("arm64", "x"), 4);
 * ```
 */
export function naturalLength(arch: ArchName, type: BreakpointType): number {
  const rules = ARCH_RULES[arch];
  return type === "x" ? rules.inst.naturalLength : rules.data.naturalLength;
}

/**
 * Whether `arch`'s `hw_breakpoint_arch_parse()` accepts a breakpoint of
 * `type` at `address` with `length` bytes. The caller has already checked
 * that `address` is in 0..2^64-1 and `length` is a positive safe integer.
 *
 * @param arch The architecture.
 * @param type The access type.
 * @param address The breakpoint address.
 * @param length The length in bytes.
 * @returns `null` when the kernel accepts it, else a message fragment
 * naming the offending value and the rule. The kernel's answer is `EINVAL`
 * for every fragment but one: x86_64 range breakpoints (an aligned power of
 * two above 8 bytes), where it is `EOPNOTSUPP` and the fragment says so.
 *
 * @example Usage
 * ```ts
 * import { archCheck } from "./_arch_rules.ts";
 * import assert from "node:assert/strict";
 *
 * assert.equal(archCheck("x86_64", "w", 0x1000n, 4), null);
 * assert.equal(
 *   archCheck("x86_64", "r", 0x1000n, 4),
 *   'x86_64 has no read-only watchpoints: type "r"',
 * );
 * assert.equal(
 *   archCheck("x86_64", "w", 0x1003n, 4),
 *   "address 0x1003 is not aligned to length 4",
 * );
 * assert.equal(archCheck("arm64", "r", 0x1003n, 8), null);
 * ```
 */
export function archCheck(
  arch: ArchName,
  type: BreakpointType,
  address: bigint,
  length: number,
): string | null {
  switch (arch) {
    case "x86_64":
      return checkX86(type, address, length);
    case "arm64":
      // arch_build_bp_info(): bp_len 1..8 maps to a byte-address-select
      // mask; every type is accepted, execute lengths are forced to 4, and
      // hw_breakpoint_arch_parse() aligns the address down without failing.
      return length <= 8 ? null : lengthError("arm64", "1 to 8", length);
    case "sh":
      return checkSh(type, address, length);
    case "powerpc":
      return checkPowerpc(type, address, length);
    case "loongarch":
      // arch_build_bp_info(): any type, lengths 1, 2, 4 and 8 alone; the
      // execute address is aligned down to 4 silently, data is not checked.
      return isOneTwoFourEight(length)
        ? null
        : lengthError("loongarch", "1, 2, 4 or 8", length);
    default:
      return `unknown architecture ${JSON.stringify(arch)}`;
  }
}

function isOneTwoFourEight(length: number): boolean {
  return length === 1 || length === 2 || length === 4 || length === 8;
}

// The low 16 bits of the last address checked. BigInt arithmetic allocates
// its result in V8, while comparing BigInts does not; breakpoints reuse few
// addresses (an inherited one copies its parent's), so remembering the last
// one keeps the accepting path free of allocation.
let lastAddress = 0n;
let lastLow16 = 0;

/** The low 16 bits of an address, enough for every alignment we check. */
function low16(address: bigint): number {
  if (address !== lastAddress) {
    lastLow16 = Number(address & 0xffffn);
    lastAddress = address;
  }
  return lastLow16;
}

function checkX86(
  type: BreakpointType,
  address: bigint,
  length: number,
): string | null {
  // arch_build_bp_info(): `bp_end = bp_addr + bp_len - 1` must not wrap.
  if (address > NO_WRAP_LIMIT && address + BigInt(length) - 1n > U64_MAX) {
    return wrapError(address, length);
  }
  // arch_build_bp_info(): only W, W|R and X have a case; R falls to
  // `default: return -EINVAL` (the debug registers have no read-only mode).
  if (type === "r") return 'x86_64 has no read-only watchpoints: type "r"';
  if (type === "x") {
    // `if (attr->bp_len == sizeof(long))`, else fallthrough to -EINVAL. The
    // length becomes X86_BREAKPOINT_LEN_X (the LEN_1 encoding), so
    // hw_breakpoint_arch_parse() requires no alignment.
    return length === 8 ? null : x86ExecLengthError(length);
  }
  if (isOneTwoFourEight(length)) {
    // hw_breakpoint_arch_parse(): `if (hw->address & align)`, with align
    // = len - 1.
    return length === 1 || (low16(address) & (length - 1)) === 0
      ? null
      : alignError(address, length);
  }
  return x86RangeError(address, length);
}

function checkSh(
  type: BreakpointType,
  address: bigint,
  length: number,
): string | null {
  // arch_build_bp_info() switches on the length before the type.
  if (!isOneTwoFourEight(length)) {
    return lengthError("sh", "1, 2, 4 or 8", length);
  }
  if (type === "x") return 'sh has no execute breakpoints: type "x"';
  return length === 1 || (low16(address) & (length - 1)) === 0
    ? null
    : alignError(address, length);
}

function checkPowerpc(
  type: BreakpointType,
  address: bigint,
  length: number,
): string | null {
  // hw_breakpoint_arch_parse(): the type needs HW_BREAKPOINT_R or _W.
  if (type === "x") return 'powerpc has no execute breakpoints: type "x"';
  // hw_breakpoint_validate_len() on POWER10 (DAWR, CPU_FTR_ARCH_31): the
  // doubleword-aligned range [ALIGN_DOWN(addr, 8), ALIGN(addr + len, 8))
  // must span at most DAWR_MAX_LEN = 512 bytes. `hw->len` and `hw_len` are
  // u16, and 2^16 divides 2^64, so the low 16 bits of everything suffice.
  const len16 = length % 0x10000;
  const a = low16(address);
  const start = a & 0xfff8;
  const end = ((a + len16 + 7) & ~7) & 0xffff;
  const hwLen = (end - start) & 0xffff;
  return hwLen <= 512 ? null : powerpcSpanError(address, length, hwLen);
}

// Error builders, out of line: only the rejecting path formats strings.

function hex(address: bigint): string {
  return `0x${address.toString(16)}`;
}

function lengthError(arch: string, allowed: string, length: number): string {
  return `${arch} breakpoints take length ${allowed}: length ${length}`;
}

function alignError(address: bigint, length: number): string {
  return `address ${hex(address)} is not aligned to length ${length}`;
}

function wrapError(address: bigint, length: number): string {
  return `address ${
    hex(address)
  } with length ${length} runs past the end of the address space`;
}

function x86ExecLengthError(length: number): string {
  return `x86_64 execute breakpoints need length 8 (sizeof(long)): length ${length}`;
}

function x86RangeError(address: bigint, length: number): string {
  // The AMD range-breakpoint path of arch_build_bp_info(): a power of two,
  // aligned, and then X86_FEATURE_BPEXT, else -EOPNOTSUPP.
  if (length !== 2 ** Math.round(Math.log2(length))) {
    return lengthError("x86_64", "1, 2, 4 or 8", length);
  }
  if (address % BigInt(length) !== 0n) return alignError(address, length);
  return `x86_64 range breakpoints need AMD's X86_FEATURE_BPEXT (EOPNOTSUPP without it): length ${length}`;
}

function powerpcSpanError(
  address: bigint,
  length: number,
  hwLen: number,
): string {
  return `powerpc watch range of length ${length} at address ${
    hex(address)
  } spans ${hwLen} bytes of doublewords, more than the DAWR maximum of 512`;
}

// The rules table. Sources cite the function and statement; line numbers
// are of the version named in `version`.

const X86 = "arch/x86/kernel/hw_breakpoint.c";
const ARM64 = "arch/arm64/kernel/hw_breakpoint.c";
const SH = "arch/sh/kernel/hw_breakpoint.c";
const PPC = "arch/powerpc/kernel/hw_breakpoint.c";
const LOONGARCH = "arch/loongarch/kernel/hw_breakpoint.c";

const NO_PRIVILEGE =
  "Kernel addresses and privilege: hw_breakpoint_parse() (kernel/events/hw_breakpoint.c) answers EINVAL for a kernel-space breakpoint with exclude_kernel and EPERM without CAP_SYS_ADMIN; the model treats every address as an allowed one";

function pool(
  types: readonly BreakpointType[],
  lengths: ArchPoolRules["lengths"],
  alignment: ArchPoolRules["alignment"],
  natural: number,
): ArchPoolRules {
  return Object.freeze({
    types: Object.freeze([...types]),
    lengths: lengths === null ? null : Object.freeze({ ...lengths }),
    alignment,
    naturalLength: natural,
  });
}

function arch(rules: ArchRules): ArchRules {
  return Object.freeze({
    ...rules,
    rules: Object.freeze(rules.rules.map((r) => Object.freeze({ ...r }))),
    notModelled: Object.freeze([...rules.notModelled]),
  });
}

/**
 * The attribute rules of every architecture in `ARCH_PROFILES`, one table
 * that `archCheck()`, `naturalLength()`, the tests and the docs share.
 *
 * @example Usage
 * ```ts
 * import { ARCH_RULES } from "./_arch_rules.ts";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(ARCH_RULES.x86_64.data.types, ["w", "rw"]);
 * assert.deepEqual(ARCH_RULES.powerpc.inst.types, []);
 * assert.equal(ARCH_RULES.arm64.inst.naturalLength, 4);
 * ```
 */
export const ARCH_RULES: Readonly<Record<ArchName, ArchRules>> = Object.freeze({
  x86_64: arch({
    file: X86,
    version:
      "intel-lab-lkp/linux 37c48f805da8199210f0bcefcd5880f50b2ae81b (a 2025 mainline-based tree with manage_bp_slot() and EXPORT_SYMBOL_FOR_KVM); line numbers are of that file. A v5.13-v6.1 copy has the same rules; torvalds/linux 9902aa47 (v4.x) has them without the wrap and entry-area checks",
    inst: pool(["x"], { min: 8, max: 8, powersOfTwo: false }, "none", 8),
    data: pool(["w", "rw"], { min: 1, max: 8, powersOfTwo: true }, "length", 4),
    rules: [
      {
        rule:
          "The range must not wrap: address + length - 1 must not pass 2^64 - 1",
        source:
          `${X86}:368-370 arch_build_bp_info(): "bp_end = attr->bp_addr + attr->bp_len - 1; if (bp_end < attr->bp_addr) return -EINVAL;"`,
      },
      {
        rule: 'No read-only watchpoints: type "r" is EINVAL',
        source:
          `${X86}:385-416 arch_build_bp_info(): "switch (attr->bp_type)" has cases HW_BREAKPOINT_W, HW_BREAKPOINT_W | HW_BREAKPOINT_R and HW_BREAKPOINT_X only; "default: return -EINVAL;"`,
      },
      {
        rule: "Execute breakpoints need length sizeof(long) = 8",
        source:
          `${X86}:409-415 arch_build_bp_info(): "if (attr->bp_len == sizeof(long)) { hw->len = X86_BREAKPOINT_LEN_X; return 0; } fallthrough; default: return -EINVAL;"`,
      },
      {
        rule:
          "Execute breakpoints need no alignment (X86_BREAKPOINT_LEN_X is the LEN_1 encoding, align 0)",
        source:
          `${X86}:474-475 hw_breakpoint_arch_parse(): "case X86_BREAKPOINT_LEN_1: align = 0;" with arch/x86/include/asm/hw_breakpoint.h "#define X86_BREAKPOINT_LEN_X 0x40" = X86_BREAKPOINT_LEN_1`,
      },
      {
        rule: "Data lengths 1, 2, 4, 8 (8 on CONFIG_X86_64)",
        source:
          `${X86}:419-433 arch_build_bp_info(): "switch (attr->bp_len)" cases HW_BREAKPOINT_LEN_1, _2, _4 and (#ifdef CONFIG_X86_64) _8`,
      },
      {
        rule:
          "Other data lengths: not a power of two is EINVAL; a power of two is an AMD range breakpoint: misaligned is EINVAL, else EOPNOTSUPP without X86_FEATURE_BPEXT (the model has no BPEXT)",
        source:
          `${X86}:434-442 arch_build_bp_info(): "/* AMD range breakpoint */ if (!is_power_of_2(attr->bp_len)) return -EINVAL; if (attr->bp_addr & (attr->bp_len - 1)) return -EINVAL; if (!boot_cpu_has(X86_FEATURE_BPEXT)) return -EOPNOTSUPP;"`,
      },
      {
        rule: "Data addresses aligned to the length",
        source:
          `${X86}:473-500 hw_breakpoint_arch_parse(): "align = 0 / 1 / 3 / 7" for LEN_1 / 2 / 4 / 8; "if (hw->address & align) return -EINVAL;"`,
      },
      naturalRule(8, "sizeof(long) on 64-bit"),
    ],
    notModelled: [
      NO_PRIVILEGE,
      "within_cpu_entry() (arch_build_bp_info(), line 378): no breakpoint may overlap the CPU entry area, per-CPU GDT, TSS, cpu_tlbstate or cpu_dr7 (kernel addresses, EINVAL)",
      "within_kprobe_blacklist() (arch_build_bp_info(), lines 398-401): execute breakpoints at kernel addresses >= TASK_SIZE_MAX in the kprobe blacklist (EINVAL)",
      "AMD range breakpoints with X86_FEATURE_BPEXT: the model is a CPU without BPEXT, so aligned power-of-two lengths above 8 are refused (the kernel's code there is EOPNOTSUPP)",
    ],
  }),
  arm64: arch({
    file: ARM64,
    version:
      "torvalds/linux 020ecfa7b676191845bed3e86b1753c13ae6667f (a v5.9+ tree, with fallthrough;); line numbers are of that file",
    inst: pool(["x"], { min: 1, max: 8, powersOfTwo: false }, "none", 4),
    data: pool(
      ["r", "w", "rw"],
      { min: 1, max: 8, powersOfTwo: false },
      "none",
      4,
    ),
    rules: [
      {
        rule: 'Every type is accepted, read-only "r" included',
        source:
          `${ARM64}:417-432 arch_build_bp_info(): "switch (attr->bp_type)" cases HW_BREAKPOINT_X, _R, _W and _RW`,
      },
      {
        rule:
          "Lengths 1 to 8 for every type (a byte-address-select mask ARM_BREAKPOINT_LEN_1..8 = 0x1..0xff); anything else is EINVAL",
        source:
          `${ARM64}:435-462 arch_build_bp_info(): "switch (attr->bp_len)" cases HW_BREAKPOINT_LEN_1 .. HW_BREAKPOINT_LEN_8, "default: return -EINVAL;"`,
      },
      {
        rule:
          "AArch64 execute breakpoints: any length 1 to 8 is accepted and forced to 4 (perf passes sizeof(long))",
        source:
          `${ARM64}:474-482 arch_build_bp_info(): "} else if (hw->ctrl.len != ARM_BREAKPOINT_LEN_4) { /* a comment on tools such as perf passing other lengths */ hw->ctrl.len = ARM_BREAKPOINT_LEN_4; }"`,
      },
      {
        rule:
          "No address is refused for alignment: the address is aligned down to 8 (4 for execute) and the mask shifted by the offset; bits shifted past the 8-bit field are dropped, so an unaligned range that does not fit is accepted but watches fewer bytes",
        source:
          `${ARM64}:554-563 hw_breakpoint_arch_parse(): "alignment_mask = 0x3" (execute) / "0x7"; "offset = hw->address & alignment_mask;" then "hw->address &= ~alignment_mask; hw->ctrl.len <<= offset;" with no check (arch/arm64/include/asm/hw_breakpoint.h: ctrl.len is an 8-bit field)`,
      },
      naturalRule(4, "the only AArch64 execute length"),
    ],
    notModelled: [
      NO_PRIVILEGE,
      "Per-task kernel breakpoints: hw_breakpoint_arch_parse() (lines 569-570) answers EINVAL for an EL1 (kernel-address) breakpoint with bp->hw.target",
      "Compat (AArch32) tasks: execute lengths 2 or 4 only (arch_build_bp_info(), lines 470-473), and the address alignment fixups of the is_compat_bp() branch (hw_breakpoint_arch_parse(), lines 528-553) (offset 1-3 allowed only for lengths 1 and 2)",
    ],
  }),
  sh: arch({
    file: SH,
    version:
      "hw_breakpoint_arch_parse() of v4.19+, read in a copy without line numbers; torvalds/linux 09a07294 and a v4.x copy have the same rules in arch_validate_hwbkpt_settings()",
    inst: pool([], null, "none", 4),
    data: pool(
      ["r", "w", "rw"],
      { min: 1, max: 8, powersOfTwo: true },
      "length",
      4,
    ),
    rules: [
      {
        rule: "Lengths 1, 2, 4, 8, checked before the type",
        source:
          `${SH} arch_build_bp_info(): "/* Len */ switch (attr->bp_len)" cases HW_BREAKPOINT_LEN_1, _2, _4, _8, "default: return -EINVAL;"`,
      },
      {
        rule: 'Types r, w, rw; no execute breakpoints: type "x" is EINVAL',
        source:
          `${SH} arch_build_bp_info(): "/* Type */ switch (attr->bp_type)" cases HW_BREAKPOINT_R, _W, _W | _R, "default: return -EINVAL;"`,
      },
      {
        rule: "Addresses aligned to the length",
        source:
          `${SH} hw_breakpoint_arch_parse(): "align = 0 / 1 / 3 / 7" for SH_BREAKPOINT_LEN_1 / 2 / 4 / 8; "if (hw->address & align) return -EINVAL;"`,
      },
      naturalRule(4, "sizeof(long) on 32-bit sh; refused anyway"),
    ],
    notModelled: [
      NO_PRIVILEGE,
      "sh is 32-bit: the kernel keeps the low 32 bits of bp_addr; only the low bits matter to the alignment rule, so the model accepts any 64-bit address",
    ],
  }),
  powerpc: arch({
    file: PPC,
    version:
      "a v5.10+ copy with CPU_FTR_ARCH_31 (POWER10) in hw_breakpoint_validate_len(), read without line numbers; modelled for POWER10, whose CPU_FTR_DAWR makes dawr_force_setup() (arch/powerpc/kernel/dawr.c) set dawr_force_enable",
    inst: pool([], null, "none", 8),
    data: pool(
      ["r", "w", "rw"],
      { min: 1, max: 512, powersOfTwo: false },
      "doubleword-span",
      4,
    ),
    rules: [
      {
        rule:
          'The type needs a read or write bit: type "x" is EINVAL (no instruction breakpoints; on v6.15+ the 0-slot pool answers EOPNOTSUPP before this)',
        source:
          `${PPC} hw_breakpoint_arch_parse(): "if (hw->type == HW_BRK_TYPE_TRANSLATE) /* must set alteast read or write */ return ret;"`,
      },
      {
        rule: "The length is truncated to 16 bits (hw->len is u16)",
        source:
          `${PPC} hw_breakpoint_arch_parse(): "hw->len = attr->bp_len;" with arch/powerpc/include/asm/hw_breakpoint.h "u16 len;"`,
      },
      {
        rule:
          "The doubleword-aligned range [ALIGN_DOWN(address, 8), ALIGN(address + length, 8)) spans at most 512 bytes (DAWR_MAX_LEN), counted in a u16",
        source:
          `${PPC} hw_breakpoint_validate_len(): "start_addr = ALIGN_DOWN(hw->address, HW_BREAKPOINT_SIZE); end_addr = ALIGN(hw->address + hw->len, HW_BREAKPOINT_SIZE); hw_len = end_addr - start_addr;" ... "max_len = DAWR_MAX_LEN;" ... "if (hw_len > max_len) return -EINVAL;"`,
      },
      {
        rule: "POWER10 has no 512-byte boundary rule",
        source:
          `${PPC} hw_breakpoint_validate_len(): "/* DAWR region can't cross 512 bytes boundary on p10 predecessors */ if (!cpu_has_feature(CPU_FTR_ARCH_31) && ..."`,
      },
      naturalRule(8, "sizeof(long) on ppc64; refused anyway"),
    ],
    notModelled: [
      NO_PRIVILEGE,
      "Pre-POWER10 CPUs: the DAWR range may not cross a 512-byte boundary (POWER8/9), and without DAWR the DABR maximum is 8 bytes (DABR_MAX_LEN); 8xx has its own limits",
      "ppc_breakpoint_available() (ENODEV on POWER9 with the DAWR disabled)",
      "arch_reserve_bp_slot(): perf breakpoints may not overlap ptrace breakpoints of the same task or CPU (ENOSPC); the model has no ptrace breakpoints",
    ],
  }),
  loongarch: arch({
    file: LOONGARCH,
    version:
      "torvalds/linux 450a60ef607900bb9affb0e822fea9726679c512; line numbers are of that file",
    inst: pool(["x"], { min: 1, max: 8, powersOfTwo: true }, "none", 8),
    data: pool(
      ["r", "w", "rw"],
      { min: 1, max: 8, powersOfTwo: true },
      "none",
      4,
    ),
    rules: [
      {
        rule: "Every type is accepted",
        source:
          `${LOONGARCH}:352-367 arch_build_bp_info(): "switch (attr->bp_type)" cases HW_BREAKPOINT_X, _R, _W and _RW`,
      },
      {
        rule: "Lengths 1, 2, 4, 8 for every type; anything else is EINVAL",
        source:
          `${LOONGARCH}:370-385 arch_build_bp_info(): "switch (attr->bp_len)" cases HW_BREAKPOINT_LEN_1, _2, _4, _8, "default: return -EINVAL;"`,
      },
      {
        rule:
          "No address is refused: execute addresses are aligned down to 4, data addresses are not checked",
        source:
          `${LOONGARCH}:408-411 hw_breakpoint_arch_parse(): "if (hw->ctrl.type == LOONGARCH_BREAKPOINT_EXECUTE) { alignment_mask = 0x3; hw->address &= ~alignment_mask; }"`,
      },
      naturalRule(8, "sizeof(long) on 64-bit"),
    ],
    notModelled: [NO_PRIVILEGE],
  }),
});
