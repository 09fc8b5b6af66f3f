// PLACEHOLDER until the arch branch lands its version of this module (same
// signature); merge takes theirs. Only x86_64's rules are here.
import type { BreakpointType } from "./breakpoint.ts";
import type { ArchName } from "./profiles.ts";

export const ARCH_RULES: Readonly<Record<ArchName, string>> = {
  x86_64: "arch/x86/kernel/hw_breakpoint.c",
  arm64: "arch/arm64/kernel/hw_breakpoint.c",
  sh: "arch/sh/kernel/hw_breakpoint.c",
  powerpc: "arch/powerpc/kernel/hw_breakpoint.c",
  loongarch: "arch/loongarch/kernel/hw_breakpoint.c",
};

export function naturalLength(arch: ArchName, type: BreakpointType): number {
  if (arch === "x86_64") return 8;
  return type === "x" ? 4 : 8;
}

export function archCheck(
  arch: ArchName,
  type: BreakpointType,
  address: bigint,
  length: number,
): string | null {
  if (arch !== "x86_64") return null;
  if (type === "r") return "x86 has no read-only watchpoints";
  if (type === "x") return length === 8 ? null : `length ${length} must be 8`;
  if (length !== 1 && length !== 2 && length !== 4 && length !== 8) {
    return `length ${length} must be 1, 2, 4 or 8`;
  }
  if (address % BigInt(length) !== 0n) return "address is not aligned";
  return null;
}
