import assert from "node:assert/strict";
import { hashKey } from "./mod.ts";
import { jhashInt32 } from "./_jhash.ts";

Deno.test("hashKey() is a deterministic unsigned 32-bit function of key and seed", () => {
  for (const key of [0, 1, -1, 2 ** 31, 2 ** 53, 0.1, "", "abc", 0n, -5n]) {
    const h = hashKey(key, 123);
    assert.ok(Number.isInteger(h) && h >= 0 && h < 2 ** 32, `${String(key)}`);
    assert.equal(hashKey(key, 123), h);
  }
});

Deno.test("hashKey() hashes SameValueZero-equal keys alike", () => {
  assert.equal(hashKey(-0, 5), hashKey(0, 5));
  assert.equal(hashKey(NaN, 5), hashKey(0 / 0, 5));
  assert.equal(hashKey(NaN, 5), hashKey(Math.sqrt(-1), 5));
});

Deno.test("hashKey() tells apart keys a 32-bit hash would confuse", () => {
  const keys = [1, 2 ** 32 + 1, -(2 ** 32) + 1, 2 ** 52 + 1, 1.0000001];
  assert.equal(new Set(keys.map((k) => hashKey(k, 0))).size, keys.length);
  const strings = ["ab", "ba", "abcdef", "abcdefg", "abcdef\0"];
  assert.equal(new Set(strings.map((k) => hashKey(k, 0))).size, 5);
  const bigints = [1n, 2n ** 64n + 1n, -(2n ** 64n) + 1n, 2n ** 128n + 1n];
  assert.equal(new Set(bigints.map((k) => hashKey(k, 0))).size, 4);
});

Deno.test("hashKey() changes with the seed", () => {
  let same = 0;
  for (let key = 0; key < 1000; key++) {
    if ((hashKey(key, 1) & 63) === (hashKey(key, 2) & 63)) same++;
  }
  // Independent placements agree on about 1 bucket in 64.
  assert.ok(same < 50, `${same} of 1000 keys kept their bucket`);
});

Deno.test("hashKey() spreads sequential keys evenly over low bits", () => {
  for (
    const keys of [
      Array.from({ length: 4096 }, (_, i) => i),
      Array.from({ length: 4096 }, (_, i) => i * 4096),
      Array.from({ length: 4096 }, (_, i) => `task-${i}`),
      Array.from({ length: 4096 }, (_, i) => BigInt(i) << 40n),
    ]
  ) {
    const buckets = new Uint32Array(1024);
    for (const key of keys) buckets[hashKey(key, 99) & 1023]!++;
    // 4 keys per bucket on average; a Poisson(4) maximum over 1024 buckets
    // is about 12.
    assert.ok(Math.max(...buckets) <= 16, `${typeof keys[0]} keys`);
  }
});

Deno.test("hashKey() refuses keys it cannot hash, naming their type", () => {
  for (
    const [key, type] of [
      [{}, "object"],
      [null, "null"],
      [true, "boolean"],
      [Symbol("s"), "symbol"],
      [undefined, "undefined"],
    ] as const
  ) {
    assert.throws(() => hashKey(key as unknown as number, 0), {
      name: "TypeError",
      message:
        `Cannot hash key: type "${type}" has no default hash, pass a "hash" option`,
    });
  }
});

Deno.test("jhashInt32(), RhlTable's fast path, is hashKey() of an int32", () => {
  const seeds = [0, 1, 0x5eed, 0x7fffffff, 0x80000000, 0xffffffff];
  const keys = [0, -0, 1, -1, 7, 2 ** 31 - 1, -(2 ** 31), 123456789];
  for (let k = 0; k < 1000; k++) keys.push(Math.imul(k, 0x9e3779b1) | 0);
  for (const seed of seeds) {
    for (const key of keys) {
      const h = jhashInt32(key, seed);
      // The same bits, as an int32 (so that V8 never boxes it).
      assert.equal(h, h | 0);
      assert.equal(h >>> 0, hashKey(key, seed), `${key} ${seed}`);
    }
  }
});
