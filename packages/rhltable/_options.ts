/**
 * Validation of `RhlTableOptions` into the settings a table runs with, and
 * the value formatting of `RhlTable`'s error messages. Private to this
 * package.
 *
 * @module
 */

import {
  initialSize,
  MAX_BUCKETS,
  MAX_KEYS,
  MIN_SIZE,
  roundDownPow2,
  roundUpPow2,
} from "./_sizing.ts";
import type { RhlTableOptions } from "./rhl_table_types.ts";

/** What a table runs with, once its options are checked. */
export interface Settings<K> {
  readonly initialSize: number;
  readonly minSize: number;
  readonly maxSize: number;
  readonly maxKeys: number;
  readonly automaticShrinking: boolean;
  /** The `seed` option, or a random seed when it is absent. */
  readonly seed: number;
  readonly hash: ((key: K, seed: number) => number) | null;
  readonly equals: ((a: K, b: K) => boolean) | null;
}

/** Formats a value for an error message. */
export function show(value: unknown): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "bigint":
      return `${value}n`;
    case "number":
      return Object.is(value, -0) ? "-0" : String(value);
    case "symbol":
      return value.toString();
    case "function":
      return "a function";
    case "object":
      return value === null ? "null" : "an object";
    default:
      return String(value);
  }
}

function sizeOption(
  name: string,
  value: unknown,
  min: number,
  max: number,
): number {
  if (typeof value !== "number") {
    throw new TypeError(
      `Cannot create RhlTable: ${name} must be a number, got ${show(value)}`,
    );
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `Cannot create RhlTable: ${name} ${
        show(value)
      } is not an integer in ${min}..${max}`,
    );
  }
  return value;
}

/** A seed for a table made without one, like the kernel's `get_random_u32()`. */
function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

/**
 * Checks a table's options, as `rhashtable_init()` checks its params, and
 * works out its sizes.
 *
 * @throws {TypeError} If an option has the wrong type, or `equals` comes
 * without `hash`.
 * @throws {RangeError} If a size or the seed is out of range.
 */
export function parseOptions<K>(options: RhlTableOptions<K>): Settings<K> {
  const {
    sizeHint,
    minSize,
    maxSize,
    automaticShrinking,
    seed,
    hash,
    equals,
  } = options;

  let min = MIN_SIZE;
  if (minSize !== undefined) {
    min = Math.max(
      MIN_SIZE,
      roundUpPow2(sizeOption("minSize", minSize, 1, MAX_BUCKETS)),
    );
  }
  let max = MAX_BUCKETS;
  let maxKeys = MAX_KEYS;
  if (maxSize !== undefined) {
    max = roundDownPow2(sizeOption("maxSize", maxSize, 1, MAX_BUCKETS));
    if (max < min) {
      throw new RangeError(
        `Cannot create RhlTable: maxSize ${maxSize} rounds down to ${max}, below the minimum size ${min}`,
      );
    }
    maxKeys = max * 2;
  }
  const hint = sizeHint === undefined
    ? 0
    : sizeOption("sizeHint", sizeHint, 0, MAX_KEYS);
  if (
    automaticShrinking !== undefined &&
    typeof automaticShrinking !== "boolean"
  ) {
    throw new TypeError(
      `Cannot create RhlTable: automaticShrinking must be a boolean, got ${
        show(automaticShrinking)
      }`,
    );
  }
  if (hash !== undefined && typeof hash !== "function") {
    throw new TypeError(
      `Cannot create RhlTable: hash must be a function, got ${show(hash)}`,
    );
  }
  if (equals !== undefined) {
    if (typeof equals !== "function") {
      throw new TypeError(
        `Cannot create RhlTable: equals must be a function, got ${
          show(equals)
        }`,
      );
    }
    if (hash === undefined) {
      throw new TypeError(
        "Cannot create RhlTable: equals needs a hash option that agrees with it",
      );
    }
  }
  return {
    initialSize: initialSize(hint, min, max),
    minSize: min,
    maxSize: max,
    maxKeys,
    automaticShrinking: automaticShrinking ?? true,
    seed: seed === undefined
      ? randomSeed()
      : sizeOption("seed", seed, 0, 0xffffffff),
    hash: hash ?? null,
    equals: equals ?? null,
  };
}
