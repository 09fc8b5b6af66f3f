/**
 * The environment for a `deno` child process a test starts.
 *
 * @module
 */

/**
 * This process's environment without the coverage directory that
 * `deno test --coverage` hands its children: a child runs as a user runs
 * it, not several times slower under coverage instrumentation (and, for a
 * measuring child, without the instrumentation's allocations).
 *
 * @param extra Variables to set on top, e.g. `{ NO_COLOR: "1" }`.
 * @returns A full environment, for `Deno.Command`'s `env` with `clearEnv`.
 *
 * @example
 * ```ts
 * import { childEnv } from "./child_env.ts";
 * import assert from "node:assert/strict";
 *
 * const env = childEnv({ NO_COLOR: "1" });
 * assert.equal(env.NO_COLOR, "1");
 * assert.equal("DENO_COVERAGE_DIR" in env, false);
 * ```
 */
export function childEnv(
  extra: Record<string, string> = {},
): Record<string, string> {
  const env = Deno.env.toObject();
  delete env.DENO_COVERAGE_DIR;
  return { ...env, ...extra };
}
