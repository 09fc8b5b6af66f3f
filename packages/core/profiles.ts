/**
 * Breakpoint register layouts of real architectures, usable as presets for
 * the `arch`, `slots` and `sharedSlots` options of `BreakpointConstraints`.
 *
 * @module
 */

/** Names of the built-in {@linkcode ARCH_PROFILES}. */
export type ArchName = "x86_64" | "sh" | "arm64" | "powerpc" | "loongarch";

/**
 * The breakpoint registers of one architecture.
 *
 * @example Usage
 * ```ts
 * import type { ArchProfile } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * const custom: ArchProfile = { slots: { inst: 2, data: 2 }, sharedSlots: false };
 * const bigArm: ArchProfile = { arch: "arm64", slots: { inst: 16, data: 16 }, sharedSlots: false };
 * assert.equal(custom.arch, undefined);
 * assert.equal(bigArm.arch, "arm64");
 * ```
 */
export interface ArchProfile {
  /**
   * The architecture whose rules (`hw_breakpoint_arch_parse()`) check each
   * breakpoint's type, address and length; none for a generic machine.
   */
  readonly arch?: ArchName;
  /**
   * Slots per CPU: one number for a shared pool, or one count per pool.
   */
  readonly slots: number | { readonly inst: number; readonly data: number };
  /**
   * Whether instruction and data breakpoints draw on one register pool
   * (the kernel's `CONFIG_HAVE_MIXED_BREAKPOINTS_REGS`).
   */
  readonly sharedSlots: boolean;
}

/**
 * Register layouts of common architectures, each naming its `arch` so that
 * spreading a profile into the engine's options also turns on that
 * architecture's attribute rules:
 *
 * | profile | inst slots | data slots | shared pool |
 * |---|---|---|---|
 * | x86_64 | 4 | 4 | yes (one pool of 4) |
 * | sh | 2 | 2 | yes (one pool of 2) |
 * | arm64 (typical) | 6 | 4 | no |
 * | powerpc (POWER10) | 0 | 2 | no |
 * | loongarch (typical) | 8 | 8 | no |
 *
 * @example Usage
 * ```ts
 * import { ARCH_PROFILES, BreakpointConstraints } from "@hwbp/core";
 * import { ListTaskIndex } from "@hwbp/list";
 * import assert from "node:assert/strict";
 *
 * const arm64 = new BreakpointConstraints({
 *   cpus: 2,
 *   ...ARCH_PROFILES.arm64,
 *   index: new ListTaskIndex(),
 * });
 * assert.equal(arm64.arch, "arm64");
 * assert.equal(arm64.slotsOf("x"), 6);
 * assert.equal(arm64.slotsOf("rw"), 4);
 * ```
 */
export const ARCH_PROFILES: {
  readonly [A in ArchName]: ArchProfile & { readonly arch: A };
} = Object.freeze(
  {
    x86_64: Object.freeze({ arch: "x86_64", slots: 4, sharedSlots: true }),
    sh: Object.freeze({ arch: "sh", slots: 2, sharedSlots: true }),
    arm64: Object.freeze({
      arch: "arm64",
      slots: Object.freeze({ inst: 6, data: 4 }),
      sharedSlots: false,
    }),
    powerpc: Object.freeze({
      arch: "powerpc",
      slots: Object.freeze({ inst: 0, data: 2 }),
      sharedSlots: false,
    }),
    loongarch: Object.freeze({
      arch: "loongarch",
      slots: Object.freeze({ inst: 8, data: 8 }),
      sharedSlots: false,
    }),
  } as const,
);
