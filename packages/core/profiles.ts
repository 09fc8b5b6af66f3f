/**
 * Breakpoint register layouts of real architectures, usable as presets for
 * the `slots` and `sharedSlots` options of `BreakpointConstraints`.
 *
 * @module
 */

/**
 * The breakpoint registers of one architecture.
 *
 * @example Usage
 * ```ts
 * import type { ArchProfile } from "@hwbp/core";
 * import assert from "node:assert/strict";
 *
 * const custom: ArchProfile = { slots: { inst: 2, data: 2 }, sharedSlots: false };
 * assert.equal(custom.sharedSlots, false);
 * ```
 */
export interface ArchProfile {
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

/** Names of the built-in {@linkcode ARCH_PROFILES}. */
export type ArchName = "x86_64" | "sh" | "arm64" | "powerpc" | "loongarch";

/**
 * Register layouts of common architectures, as SPEC §1 lists them:
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
 * assert.equal(arm64.slotsOf("x"), 6);
 * assert.equal(arm64.slotsOf("rw"), 4);
 * ```
 */
export const ARCH_PROFILES: Readonly<Record<ArchName, ArchProfile>> = Object
  .freeze({
    x86_64: Object.freeze({ slots: 4, sharedSlots: true }),
    sh: Object.freeze({ slots: 2, sharedSlots: true }),
    arm64: Object.freeze({
      slots: Object.freeze({ inst: 6, data: 4 }),
      sharedSlots: false,
    }),
    powerpc: Object.freeze({
      slots: Object.freeze({ inst: 0, data: 2 }),
      sharedSlots: false,
    }),
    loongarch: Object.freeze({
      slots: Object.freeze({ inst: 8, data: 8 }),
      sharedSlots: false,
    }),
  });
