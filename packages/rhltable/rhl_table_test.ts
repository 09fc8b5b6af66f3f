import assert from "node:assert/strict";
import fc from "fast-check";
import {
  hashKey,
  RhlTable,
  RhlTableError,
  type RhlTableOptions,
  type RhlTableStats,
} from "./mod.ts";

/** Every value of every key, as `Map<key, values newest first>`. */
function contentsOf<K, V>(table: RhlTable<K, V>): Map<K, V[]> {
  const contents = new Map<K, V[]>();
  for (const [key, value] of table) {
    let values = contents.get(key);
    if (values === undefined) contents.set(key, values = []);
    values.push(value);
  }
  return contents;
}

/** Asserts that the table holds exactly the model, in per-key order. */
function assertMatches<K, V>(table: RhlTable<K, V>, model: Map<K, V[]>) {
  let size = 0;
  for (const [key, values] of model) {
    assert.deepEqual([...table.values(key)], values, `values of ${key}`);
    size += values.length;
  }
  assert.equal(table.keyCount, model.size);
  assert.equal(table.size, size);
  assert.deepEqual(contentsOf(table), model);
}

/** Inserts into the model as the table does: newest first. */
function modelInsert<K, V>(model: Map<K, V[]>, key: K, value: V): void {
  const values = model.get(key);
  if (values === undefined) model.set(key, [value]);
  else values.unshift(value);
}

/** Removes the newest `===` match from the model, like the table. */
function modelRemove<K, V>(model: Map<K, V[]>, key: K, value: V): boolean {
  const values = model.get(key);
  const at = values === undefined ? -1 : values.indexOf(value);
  if (at < 0) return false;
  values!.splice(at, 1);
  if (values!.length === 0) model.delete(key);
  return true;
}

/**
 * What the migration step bound promises, checked from outside: while a
 * migration runs the new table never needs to grow, and no call moves more
 * than 16 old buckets.
 */
function assertResizeInvariants(
  stats: RhlTableStats,
  migratedBefore: number,
): number {
  assert.ok(
    stats.keyCount <= stats.bucketCount / 4 * 3 ||
      stats.bucketCount === stats.maxSize,
    `${stats.keyCount} keys overfill ${stats.bucketCount} buckets`,
  );
  assert.ok(stats.bucketsMigrated - migratedBefore <= 16);
  assert.ok(stats.bucketCount >= stats.minSize);
  return stats.bucketsMigrated;
}

Deno.test("RhlTable sizes its first table like rhashtable_init()", async (t) => {
  function buckets(options: RhlTableOptions<number>): number {
    return new RhlTable<number, number>(options).bucketCount;
  }

  await t.step("64 buckets by default", () => {
    assert.equal(buckets({}), 64);
    assert.equal(buckets({ sizeHint: 0 }), 64);
  });

  await t.step("a size hint gives roundup_pow2(hint × 4/3)", () => {
    assert.equal(buckets({ sizeHint: 1 }), 4);
    assert.equal(buckets({ sizeHint: 48 }), 64);
    assert.equal(buckets({ sizeHint: 49 }), 128);
    assert.equal(buckets({ sizeHint: 100 }), 256);
    assert.equal(buckets({ sizeHint: 1_000_000 }), 2 ** 21);
  });

  await t.step("never below minSize, which rounds up to a power of 2", () => {
    assert.equal(buckets({ sizeHint: 1, minSize: 16 }), 16);
    assert.equal(buckets({ minSize: 100 }), 128);
    assert.equal(buckets({ sizeHint: 10, minSize: 5 }), 16);
    assert.equal(new RhlTable({ minSize: 5 }).stats().minSize, 8);
    assert.equal(new RhlTable({ minSize: 1 }).stats().minSize, 4);
  });

  await t.step("never above maxSize, which rounds down as the kernel's", () => {
    assert.equal(buckets({ maxSize: 16 }), 16);
    const stats = new RhlTable({ maxSize: 100 }).stats();
    assert.equal(stats.maxSize, 64);
    assert.equal(stats.maxKeys, 128);
  });
});

Deno.test("RhlTable.insert() grows ×2 on the 49th distinct key of 64 buckets", () => {
  const table = new RhlTable<number, number>({ seed: 1 });
  for (let key = 0; key < 48; key++) table.insert(key, key);
  assert.equal(table.bucketCount, 64);
  assert.equal(table.stats().grows, 0);

  table.insert(48, 48);
  const stats = table.stats();
  assert.equal(stats.bucketCount, 128);
  assert.equal(stats.grows, 1);
  assert.ok(stats.migrating);
  assert.equal(stats.oldBucketCount, 64);

  // 64 old buckets at 16 per call: four more calls finish the migration.
  for (let i = 0; i < 3; i++) table.insert(0, -1);
  assert.ok(table.stats().migrating);
  table.insert(0, -1);
  assert.ok(!table.stats().migrating);

  // The next threshold is 96 keys of 128 buckets.
  for (let key = 49; key < 96; key++) table.insert(key, key);
  assert.equal(table.bucketCount, 128);
  table.insert(96, 96);
  assert.equal(table.bucketCount, 256);
});

Deno.test("RhlTable duplicate keys join the head of their list and do not count", () => {
  const table = new RhlTable<number, string>({ seed: 2 });
  for (let key = 0; key < 48; key++) table.insert(key, "first");
  for (let i = 0; i < 100; i++) table.insert(7, `dup ${i}`);
  assert.equal(table.keyCount, 48);
  assert.equal(table.size, 148);
  assert.equal(table.bucketCount, 64);
  assert.equal(table.lookup(7)?.value, "dup 99");
  assert.equal([...table.values(7)].at(-1), "first");
});

Deno.test("RhlTable.remove() shrinks below 30% load to roundup_pow2(keys × 3/2)", async (t) => {
  await t.step("64 buckets shrink when 18 keys are left, to 32", () => {
    const table = new RhlTable<number, number>({ seed: 3 });
    for (let key = 0; key < 19; key++) table.insert(key, key);
    assert.equal(table.bucketCount, 64, "inserts never shrink");
    table.remove(0, 0);
    const stats = table.stats();
    assert.equal(stats.keyCount, 18);
    assert.equal(stats.shrinks, 1);
    assert.equal(stats.bucketCount, 32);
    assert.equal(stats.oldBucketCount, 64);
  });

  await t.step("128 buckets shrink when 37 keys are left, to 64", () => {
    const table = new RhlTable<number, number>({ seed: 4, sizeHint: 96 });
    assert.equal(table.bucketCount, 128);
    for (let key = 0; key < 39; key++) table.insert(key, key);
    table.remove(38, 38);
    assert.equal(table.bucketCount, 128, "38 keys are not below 38.4");
    table.remove(37, 37);
    assert.equal(table.bucketCount, 64);
    assert.equal(table.stats().shrinks, 1);
  });

  await t.step(
    "a removal's shrink gets the kernel's size at every size",
    () => {
      // Migrating 16 buckets per call leaves room for exactly this target
      // (see MIGRATE_BUCKETS_PER_OP), from 8 buckets up.
      for (let size = 8; size <= 2 ** 16; size *= 2) {
        const table = new RhlTable<number, number>({
          seed: size,
          sizeHint: size / 4 * 3,
        });
        assert.equal(table.bucketCount, size);
        const keys = Math.floor(size * 3 / 10);
        for (let key = 0; key < keys; key++) table.insert(key, key);
        table.remove(0, 0);
        const target = Math.floor((keys - 1) * 3 / 2);
        const expected = Math.max(4, 2 ** Math.ceil(Math.log2(target)));
        assert.equal(table.bucketCount, expected, `from ${size} buckets`);
        assert.equal(table.stats().shrinks, 1);
      }
    },
  );

  await t.step("the target is never below minSize", () => {
    const table = new RhlTable<number, number>({ seed: 5, minSize: 32 });
    for (let key = 0; key < 10; key++) table.insert(key, key);
    table.remove(0, 0);
    assert.equal(table.bucketCount, 32);
    assert.equal(table.stats().shrinks, 1);
    for (let key = 1; key < 10; key++) table.remove(key, key);
    assert.equal(table.bucketCount, 32);
  });

  await t.step("removing a key's non-last value never shrinks", () => {
    const table = new RhlTable<number, string>({ seed: 6 });
    for (let key = 0; key < 18; key++) table.insert(key, "old");
    table.insert(0, "new");
    assert.equal(table.bucketCount, 64);
    assert.ok(table.remove(0, "new"));
    assert.ok(table.remove(0, "new") === false);
    assert.equal(table.bucketCount, 64);
    assert.equal(table.stats().shrinks, 0);
    assert.ok(table.remove(1, "old"));
    assert.equal(table.bucketCount, 32);
  });

  await t.step("automaticShrinking: false never shrinks", () => {
    const table = new RhlTable<number, number>({
      seed: 7,
      automaticShrinking: false,
    });
    for (let key = 0; key < 200; key++) table.insert(key, key);
    for (let key = 0; key < 200; key++) table.remove(key, key);
    assert.equal(table.bucketCount, 512);
    assert.equal(table.stats().shrinks, 0);
  });
});

Deno.test("RhlTable migrates at most 16 buckets per call and finds every key meanwhile", () => {
  const table = new RhlTable<number, number>({ seed: 8, sizeHint: 768 });
  assert.equal(table.bucketCount, 1024);
  for (let key = 0; key < 769; key++) table.insert(key, key);
  assert.equal(table.bucketCount, 2048);
  let migrated = table.stats().bucketsMigrated;
  let calls = 0;
  while (table.stats().migrating) {
    table.insert(calls, -calls);
    calls++;
    migrated = assertResizeInvariants(table.stats(), migrated);
    for (let key = 0; key < 769; key++) assert.ok(table.has(key));
  }
  assert.equal(calls, 1024 / 16);
  assert.equal(table.stats().bucketsMigrated, 1024);
});

Deno.test("RhlTable matches a Map<K, V[]> model through many grow and shrink cycles", async (t) => {
  type Value = { readonly id: number };
  // A small pool, so that one value is often stored twice under a key.
  const pool: readonly Value[] = Array.from({ length: 5 }, (_, id) => ({ id }));
  type Step =
    | { kind: "insert"; key: number; value: number }
    | { kind: "remove"; pick: number }
    | { kind: "removeMissing"; key: number; value: number }
    | { kind: "lookup"; key: number }
    | { kind: "iterate" };
  const key = fc.integer({ min: 0, max: 255 });
  const value = fc.integer({ min: 0, max: pool.length - 1 });
  // Phases lean towards inserts or removals so that the key count swings
  // through several grows and shrinks in one run.
  const phase = fc.integer({ min: 1, max: 9 }).chain((insertWeight) =>
    fc.array(
      fc.oneof(
        {
          weight: insertWeight,
          arbitrary: fc.record({
            kind: fc.constant("insert" as const),
            key,
            value,
          }),
        },
        {
          weight: 10 - insertWeight,
          arbitrary: fc.record({
            kind: fc.constant("remove" as const),
            pick: fc.nat(),
          }),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            kind: fc.constant("removeMissing" as const),
            key,
            value,
          }),
        },
        {
          weight: 2,
          arbitrary: fc.record({ kind: fc.constant("lookup" as const), key }),
        },
        { weight: 1, arbitrary: fc.constant({ kind: "iterate" as const }) },
      ),
      { minLength: 20, maxLength: 160, size: "max" },
    )
  );
  const run = fc.array(phase, { minLength: 2, maxLength: 8 }).map((phases) =>
    phases.flat() as Step[]
  );

  type Seen = {
    migrating: boolean;
    grows: number;
    shrinks: number;
    reseeds: number;
    full: boolean;
  };

  function newSeen(): Seen {
    return { migrating: false, grows: 0, shrinks: 0, reseeds: 0, full: false };
  }

  function check(
    options: RhlTableOptions<number>,
    steps: Step[],
    seen: Seen,
  ): void {
    const table = new RhlTable<number, Value>({ minSize: 4, ...options });
    const model = new Map<number, Value[]>();
    const maxKeys = table.stats().maxKeys;
    let migrated = 0;
    let stepsDone = 0;
    for (const step of steps) {
      switch (step.kind) {
        case "insert":
          if (model.size === maxKeys && !model.has(step.key)) {
            assert.throws(() => table.insert(step.key, pool[step.value]!), {
              name: "RhlTableError",
              code: "E2BIG",
            });
            seen.full = true;
            break;
          }
          table.insert(step.key, pool[step.value]!);
          modelInsert(model, step.key, pool[step.value]!);
          break;
        case "remove": {
          if (model.size === 0) break;
          const keys = [...model.keys()];
          const key = keys[step.pick % keys.length]!;
          const values = model.get(key)!;
          const value = values[(step.pick >>> 8) % values.length]!;
          assert.ok(table.remove(key, value));
          modelRemove(model, key, value);
          break;
        }
        case "removeMissing": {
          const expected = modelRemove(model, step.key, pool[step.value]!);
          assert.equal(table.remove(step.key, pool[step.value]!), expected);
          break;
        }
        case "lookup": {
          const values: Value[] = [];
          for (let n = table.lookup(step.key); n !== null; n = n.next) {
            values.push(n.value);
          }
          assert.deepEqual(values, model.get(step.key) ?? []);
          assert.equal(table.has(step.key), model.has(step.key));
          break;
        }
        case "iterate":
          assert.deepEqual(contentsOf(table), model);
          break;
      }
      // The touched key after every step; the whole table every 32 steps
      // (a full comparison per step made this the slowest test by far).
      if ("key" in step) {
        assert.deepEqual(
          [...table.values(step.key)],
          model.get(step.key) ?? [],
        );
      }
      if (++stepsDone % 32 === 0) assertMatches(table, model);
      // stats() walks every bucket for its longest chain: once a step.
      const stats = table.stats();
      migrated = assertResizeInvariants(stats, migrated);
      if (stats.migrating) seen.migrating = true;
    }
    assertMatches(table, model);
    const final = table.stats();
    seen.grows += final.grows;
    seen.shrinks += final.shrinks;
    seen.reseeds += final.reseeds;
  }

  // Fixed runs that fast-check tries first, so that each step below meets
  // the case it is about on every run, whatever the random ones do: 160
  // distinct keys (with the weak hash, chains pass 16 keys nine times),
  // then all of them removed (a large first table shrinks twice on the way).
  const fill: Step[] = Array.from(
    { length: 160 },
    (_, key) => ({ kind: "insert", key, value: 0 }),
  );
  const drain: Step[] = fill.map(() => ({ kind: "remove", pick: 0 }));

  await t.step("with the default hash", () => {
    const seen = newSeen();
    fc.assert(
      fc.property(run, fc.nat(0xffffffff), (steps, seed) => {
        check({ seed }, steps, seen);
      }),
      { numRuns: 40 },
    );
    assert.ok(seen.migrating, "some step saw a migration in flight");
    assert.ok(seen.grows > 16 && seen.shrinks > 16);
  });

  await t.step("from a large first table that shrinks far", () => {
    const seen = newSeen();
    fc.assert(
      fc.property(run, fc.nat(0xffffffff), (steps, seed) => {
        check({ seed, sizeHint: 1500 }, steps, seen);
      }),
      { numRuns: 8, examples: [[[...fill, ...drain], 2]] },
    );
    assert.ok(seen.migrating);
    assert.ok(seen.shrinks > 8);
  });

  await t.step("with a weak hash that keeps triggering flood rehashes", () => {
    const seen = newSeen();
    // Only 4 hash values, whatever the seed: chains pass 16 keys often.
    const weak = (key: number, seed: number) => hashKey(key % 4, seed);
    fc.assert(
      fc.property(run, fc.nat(0xffffffff), (steps, seed) => {
        check({ seed, hash: weak }, steps, seen);
      }),
      { numRuns: 12, examples: [[fill, 1]] },
    );
    assert.ok(seen.migrating);
    assert.ok(seen.reseeds > 6);
  });

  await t.step("with a maxSize that the key count runs into", () => {
    const seen = newSeen();
    fc.assert(
      fc.property(run, fc.nat(0xffffffff), (steps, seed) => {
        check({ seed, maxSize: 16 }, steps, seen);
      }),
      { numRuns: 12 },
    );
    assert.ok(seen.full, "some insert met E2BIG");
    assert.ok(seen.migrating);
  });
});

Deno.test("RhlTable returns to its minimum size after 30,000 keys come and go", () => {
  const table = new RhlTable<number, number>({ seed: 9 });
  for (let key = 0; key < 30_000; key++) table.insert(key, key);
  assert.equal(table.keyCount, 30_000);
  assert.equal(table.bucketCount, 2 ** 16);
  for (let key = 0; key < 30_000; key++) assert.ok(table.remove(key, key));
  const stats = table.stats();
  assert.equal(stats.keyCount, 0);
  assert.equal(stats.size, 0);
  assert.equal(stats.bucketCount, 4);
  assert.ok(stats.shrinks > 0);
  assert.deepEqual([...table], []);
});

Deno.test("RhlTable answers a lookup at 30,000 keys with O(1) work", () => {
  const table = new RhlTable<number, number>({ seed: 10 });
  for (let key = 0; key < 30_000; key++) table.insert(key * 7919, key);
  table.resetWork();
  for (let key = 0; key < 30_000; key++) table.lookup(key * 7919);
  const hits = { ...table.work };
  assert.equal(hits.lookups, 30_000);
  assert.ok(hits.entriesVisited / hits.lookups <= 4, `${hits.entriesVisited}`);
  assert.ok(hits.bucketsTouched / hits.lookups <= 2);

  table.resetWork();
  for (let key = 0; key < 30_000; key++) table.has(key * 7919 + 1);
  const misses = { ...table.work };
  assert.ok(misses.entriesVisited / misses.lookups <= 4);
});

Deno.test("RhlTable reseeds when a new key meets a chain of 16 keys", async (t) => {
  await t.step("keys colliding under the first seed only spread out", () => {
    let first = -1;
    const table = new RhlTable<number, number>({
      seed: 11,
      hash: (key, seed) => seed === first ? 0 : hashKey(key, seed),
    });
    first = table.stats().seed;
    for (let key = 0; key < 16; key++) table.insert(key, key);
    assert.equal(table.stats().longestChain, 16);
    assert.equal(table.stats().reseeds, 0);

    table.insert(16, 16);
    let stats = table.stats();
    assert.equal(stats.reseeds, 1);
    assert.ok(stats.migrating);
    assert.equal(stats.bucketCount, 64, "a rehash at low load keeps the size");
    assert.notEqual(stats.seed, first);

    for (let key = 17; key < 2000; key++) {
      table.insert(key, key);
      assert.ok(table.stats().longestChain <= 16);
    }
    stats = table.stats();
    assert.equal(stats.reseeds, 1);
    for (let key = 0; key < 2000; key++) assert.ok(table.has(key));
  });

  await t.step("a rehash doubles when the table would fill up first", () => {
    let first = -1;
    // Under the first seed, keys below 1000 get buckets of their own and
    // the rest all land in bucket 0.
    const hash = (key: number, seed: number) =>
      seed !== first ? hashKey(key, seed) : key < 1000 ? 1 + key : 0;
    for (const [spread, buckets] of [[28, 64], [29, 128]] as const) {
      const table = new RhlTable<number, number>({ seed: 12, hash });
      first = table.stats().seed;
      for (let key = 0; key < spread; key++) table.insert(key, key);
      for (let key = 1000; key < 1016; key++) table.insert(key, key);
      table.insert(1016, 1016);
      const stats = table.stats();
      assert.equal(stats.reseeds, 1);
      assert.equal(stats.bucketCount, buckets, `${spread} spread keys`);
      assert.equal(stats.grows, buckets === 128 ? 1 : 0);
    }
  });

  await t.step("a hash that ignores the seed stays correct, if slow", () => {
    const table = new RhlTable<number, number>({ seed: 13, hash: () => 7 });
    const model = new Map<number, number[]>();
    for (let key = 0; key < 300; key++) {
      table.insert(key, key);
      modelInsert(model, key, key);
      if (key % 3 === 0) {
        table.insert(key, -key);
        modelInsert(model, key, -key);
      }
    }
    assertMatches(table, model);
    const stats = table.stats();
    assert.ok(stats.reseeds > 1);
    assert.ok(stats.longestChain > 16);
    for (let key = 0; key < 300; key++) {
      assert.ok(table.remove(key, key));
      modelRemove(model, key, key);
    }
    assertMatches(table, model);
  });
});

Deno.test("RhlTable.insert() fails with E2BIG at the maximum and changes nothing", () => {
  const table = new RhlTable<number, number>({ seed: 14, maxSize: 8 });
  assert.equal(table.bucketCount, 8);
  for (let key = 0; key < 16; key++) table.insert(key, key);
  assert.equal(table.bucketCount, 8, "a table at maxSize does not grow");
  const before = { contents: contentsOf(table), stats: table.stats() };

  assert.throws(() => table.insert(16, 16), (err) => {
    assert.ok(err instanceof RhlTableError);
    assert.equal(err.name, "RhlTableError");
    assert.equal(err.code, "E2BIG");
    assert.equal(
      err.message,
      "Cannot insert key 16: the table already holds its maximum of 16 keys (maxSize 8)",
    );
    return true;
  });
  assert.deepEqual(contentsOf(table), before.contents);
  assert.deepEqual(table.stats(), before.stats);

  table.insert(3, 33);
  assert.deepEqual([...table.values(3)], [33, 3], "a known key still joins");
  assert.ok(table.remove(0, 0));
  table.insert(16, 16);
  assert.equal(table.keyCount, 16);
});

Deno.test("RhlTable keys are numbers, strings and bigints under SameValueZero", () => {
  const table = new RhlTable<number | string | bigint, string>({ seed: 15 });
  table.insert(-0, "zero");
  table.insert(NaN, "nan");
  assert.deepEqual([...table.values(0)], ["zero"]);
  assert.deepEqual([...table.values(-0)], ["zero"]);
  assert.deepEqual([...table.values(0 / 0)], ["nan"]);

  const keys = [
    1,
    2 ** 32 + 1,
    -(2 ** 40),
    1.5,
    Infinity,
    -Infinity,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    "1",
    "",
    "a longer string key, past one round",
    "\u{1F600} \u00e9",
    1n,
    -1n,
    2n ** 64n,
    -(2n ** 70n),
  ];
  for (const key of keys) table.insert(key, String(key));
  assert.equal(table.keyCount, keys.length + 2);
  for (const key of keys) {
    assert.deepEqual([...table.values(key)], [String(key)]);
  }
  assert.ok(!table.has(2));
  assert.ok(!table.has(2n ** 65n));
  assert.ok(!table.has("2"));
});

Deno.test("RhlTable takes any key type with hash and equals options", () => {
  type Point = { x: number; y: number };
  const table = new RhlTable<Point, string>({
    seed: 16,
    hash: (p, seed) => hashKey(p.x * 1000 + p.y, seed),
    equals: (a, b) => a.x === b.x && a.y === b.y,
  });
  for (let x = 0; x < 100; x++) table.insert({ x, y: x % 7 }, `p${x}`);
  assert.equal(table.keyCount, 100);
  assert.equal(table.lookup({ x: 42, y: 0 })?.value, "p42");
  assert.ok(table.remove({ x: 42, y: 0 }, "p42"));
  assert.ok(!table.has({ x: 42, y: 0 }));
});

Deno.test("RhlTable values keep their order and survive removals mid-walk", async (t) => {
  await t.step("remove() takes the newest === match", () => {
    const table = new RhlTable<string, object>({ seed: 17 });
    const x = {}, y = {};
    table.insert("k", x);
    table.insert("k", y);
    table.insert("k", x);
    assert.ok(table.remove("k", x));
    assert.deepEqual([...table.values("k")], [y, x]);
    assert.equal(table.lookup("k")?.value, y);
    assert.ok(!table.remove("k", {}));
    assert.ok(!table.remove("other", x));
  });

  await t.step(
    "a values() walk goes on after its current value is removed",
    () => {
      const table = new RhlTable<number, number>({ seed: 18 });
      for (let v = 0; v < 5; v++) table.insert(1, v);
      const seen: number[] = [];
      for (const v of table.values(1)) {
        seen.push(v);
        table.remove(1, v);
      }
      assert.deepEqual(seen, [4, 3, 2, 1, 0]);
      assert.ok(!table.has(1));
    },
  );

  await t.step("a values() walk reads each link when it steps", () => {
    const table = new RhlTable<number, string>({ seed: 18 });
    table.insert(1, "a");
    table.insert(1, "b");
    table.insert(1, "c");
    const walk = table.values(1);
    assert.deepEqual(walk.next(), { value: "c", done: false });
    // "b" goes before the walk reaches it: the walk skips it.
    assert.ok(table.remove(1, "b"));
    assert.deepEqual(walk.next(), { value: "a", done: false });
    assert.deepEqual(walk.next(), { value: undefined, done: true });
    table.insert(1, "d");
    assert.deepEqual(walk.next(), { value: undefined, done: true });
    assert.equal(walk[Symbol.iterator](), walk);
    assert.ok(walk instanceof Iterator, "it has the iterator helpers");
    assert.deepEqual([...table.values(2)], []);
  });

  await t.step("an entries() walk refuses to go on after a change", () => {
    const table = new RhlTable<number, number>({ seed: 19 });
    table.insert(1, 1);
    table.insert(2, 2);
    const walk = table.entries();
    walk.next();
    table.insert(3, 3);
    assert.throws(() => walk.next(), (err) => {
      assert.ok(err instanceof RhlTableError);
      assert.equal(err.code, "EAGAIN");
      assert.equal(
        err.message,
        "Cannot continue RhlTable walk: the table changed since it started",
      );
      return true;
    });
  });

  await t.step("entries() covers both tables mid-migration", () => {
    const table = new RhlTable<number, number>({ seed: 20 });
    for (let key = 0; key < 49; key++) table.insert(key, key);
    table.insert(0, 100);
    const stats = table.stats();
    assert.ok(stats.migrating);
    assert.ok(stats.bucketsToMigrate > 0 && stats.bucketsMigrated > 0);
    const contents = contentsOf(table);
    assert.equal(contents.size, 49);
    assert.deepEqual(contents.get(0), [100, 0]);
  });
});

Deno.test("RhlTable with the same seed repeats the same layout", () => {
  function layout(seed: number): unknown[] {
    const table = new RhlTable<number, number>({ seed });
    for (let key = 0; key < 500; key++) table.insert(key, key);
    for (let key = 0; key < 500; key += 3) table.remove(key, key);
    return [[...table.entries()], table.stats()];
  }
  assert.deepEqual(layout(21), layout(21));
  assert.notDeepEqual(layout(21), layout(22));
  const seeds = new Set(
    Array.from({ length: 8 }, () => new RhlTable().stats().seed),
  );
  assert.ok(seeds.size > 1, "without a seed option, seeds are random");
});

Deno.test("RhlTable.clear() empties the table and restores its first size", () => {
  const table = new RhlTable<number, number>({ seed: 23, sizeHint: 10 });
  for (let key = 0; key < 1000; key++) table.insert(key, key);
  const seed = table.stats().seed;
  table.clear();
  const stats = table.stats();
  assert.equal(stats.keyCount, 0);
  assert.equal(stats.size, 0);
  assert.equal(stats.bucketCount, 16);
  assert.ok(!stats.migrating);
  assert.notEqual(stats.seed, seed);
  assert.ok(!table.has(5));
  table.insert(5, 5);
  assert.deepEqual([...table], [[5, 5]]);
});

Deno.test("RhlTable work counters count chain walks of every operation", () => {
  const table = new RhlTable<number, number>({ seed: 24 });
  table.insert(1, 1);
  assert.deepEqual(table.work, {
    lookups: 0,
    entriesVisited: 0,
    bucketsTouched: 1,
    bucketsMigrated: 0,
    hashes: 1,
  });
  table.insert(1, 2);
  table.resetWork();
  assert.ok(table.remove(1, 1));
  // The key node, then one older value.
  assert.deepEqual(table.work, {
    lookups: 0,
    entriesVisited: 2,
    bucketsTouched: 1,
    bucketsMigrated: 0,
    hashes: 1,
  });
  table.resetWork();
  table.has(1);
  table.lookup(2);
  table.values(1);
  assert.equal(table.work.lookups, 3);
  assert.equal(table.work.bucketsTouched, 3);
  assert.equal(table.work.hashes, 3);
});

Deno.test("RhlTable rejects bad options and keys with clear errors", async (t) => {
  function rejects(
    options: unknown,
    type: typeof TypeError | typeof RangeError,
    message: string,
  ) {
    assert.throws(
      () => new RhlTable(options as RhlTableOptions<number>),
      (err) => {
        assert.ok(err instanceof type, `${err}`);
        assert.equal((err as Error).message, message);
        return true;
      },
    );
  }

  await t.step("sizes out of range are RangeErrors naming the value", () => {
    rejects(
      { sizeHint: -1 },
      RangeError,
      "Cannot create RhlTable: sizeHint -1 is not an integer in 0..2147483648",
    );
    rejects(
      { sizeHint: 1.5 },
      RangeError,
      "Cannot create RhlTable: sizeHint 1.5 is not an integer in 0..2147483648",
    );
    rejects(
      { minSize: 0 },
      RangeError,
      "Cannot create RhlTable: minSize 0 is not an integer in 1..134217728",
    );
    rejects(
      { maxSize: 2 ** 28 },
      RangeError,
      "Cannot create RhlTable: maxSize 268435456 is not an integer in 1..134217728",
    );
    rejects(
      { maxSize: 8, minSize: 16 },
      RangeError,
      "Cannot create RhlTable: maxSize 8 rounds down to 8, below the minimum size 16",
    );
    rejects(
      { seed: 2 ** 32 },
      RangeError,
      "Cannot create RhlTable: seed 4294967296 is not an integer in 0..4294967295",
    );
    rejects(
      { seed: NaN },
      RangeError,
      "Cannot create RhlTable: seed NaN is not an integer in 0..4294967295",
    );
  });

  await t.step("maxSize is compared with minSize after rounding", () => {
    rejects(
      { maxSize: 20, minSize: 17 },
      RangeError,
      "Cannot create RhlTable: maxSize 20 rounds down to 16, below the minimum size 32",
    );
    assert.equal(new RhlTable({ maxSize: 20, minSize: 9 }).bucketCount, 16);
  });

  await t.step("wrong types are TypeErrors naming the value", () => {
    rejects(
      { sizeHint: "8" },
      TypeError,
      'Cannot create RhlTable: sizeHint must be a number, got "8"',
    );
    rejects(
      { automaticShrinking: "yes" },
      TypeError,
      'Cannot create RhlTable: automaticShrinking must be a boolean, got "yes"',
    );
    rejects(
      { hash: 5 },
      TypeError,
      "Cannot create RhlTable: hash must be a function, got 5",
    );
    rejects(
      { equals: () => true },
      TypeError,
      "Cannot create RhlTable: equals needs a hash option that agrees with it",
    );
  });

  await t.step("unhashable keys are TypeErrors naming the type", () => {
    const table = new RhlTable<unknown, number>({ seed: 25 });
    for (
      const [key, type] of [
        [{}, "object"],
        [null, "null"],
        [undefined, "undefined"],
        [true, "boolean"],
        [Symbol("s"), "symbol"],
      ] as const
    ) {
      const message =
        `Cannot hash key: type "${type}" has no default hash, pass a "hash" option`;
      assert.throws(() => table.insert(key, 1), { name: "TypeError", message });
      assert.throws(() => table.has(key), { name: "TypeError", message });
      assert.throws(() => table.remove(key, 1), { name: "TypeError", message });
    }
    assert.equal(table.size, 0);
  });

  await t.step("a custom hash must return a number", () => {
    const table = new RhlTable<string, number>({
      hash: ((key: string) => key) as unknown as (key: string) => number,
    });
    assert.throws(() => table.insert("k", 1), {
      name: "TypeError",
      message:
        'Cannot hash key "k": the hash option returned "k", not a number',
    });
    assert.equal(table.size, 0);
  });
});

Deno.test("RhlTable.insert() and remove() of an unhashable key change nothing, not even the migration", () => {
  const table = new RhlTable<unknown, number>({ seed: 26 });
  for (let key = 0; key < 49; key++) table.insert(key, key);
  const before = table.stats();
  assert.ok(before.migrating, "the 49th key started a grow");
  const walk = table.entries();
  walk.next();
  const message =
    'Cannot hash key: type "object" has no default hash, pass a "hash" option';
  assert.throws(() => table.insert({}, 1), { name: "TypeError", message });
  assert.throws(() => table.remove({}, 1), { name: "TypeError", message });
  assert.deepEqual(table.stats(), before);
  // The walk started before the failed calls goes on: nothing moved.
  let rest = 0;
  while (!walk.next().done) rest++;
  assert.equal(rest, 48);
});

Deno.test("RhlTable with a throwing custom hash changes nothing on insert() or remove()", () => {
  let refuse = false;
  const table = new RhlTable<number, number>({
    seed: 27,
    hash: (key, seed) => {
      if (refuse && key < 0) throw new RangeError(`No hash for ${key}`);
      return hashKey(key, seed);
    },
  });
  for (let key = 0; key < 49; key++) table.insert(key, key);
  refuse = true;
  const before = table.stats();
  assert.throws(() => table.insert(-1, 1), RangeError);
  assert.throws(() => table.remove(-1, 1), RangeError);
  assert.deepEqual(table.stats(), before);
});

Deno.test("RhlTable stores the key -0 as +0, as Map does", () => {
  const table = new RhlTable<number, string>({ seed: 28 });
  table.insert(-0, "a");
  table.insert(0, "b");
  table.insert(-0, "c");
  const keys = [...table].map(([key]) => key);
  assert.deepEqual(keys, [0, 0, 0]);
  for (const key of keys) assert.ok(Object.is(key, 0));
  const map = new Map([[-0, "a"]]);
  assert.ok(Object.is([...map.keys()][0], 0));
  assert.equal(table.keyCount, 1);
  assert.ok(table.remove(-0, "a"));
});

/**
 * A fixed workload with every kind of resize: growth to 20,000 keys, a
 * second value for some keys, then removal of most keys (shrinks), and
 * lookups in between.
 */
function fixedWorkload(table: RhlTable<number, number>): void {
  for (let key = 0; key < 20_000; key++) table.insert(key * 3, key);
  for (let key = 0; key < 20_000; key += 7) table.insert(key * 3, -key);
  for (let key = 0; key < 20_000; key += 3) table.has(key);
  for (let key = 0; key < 19_000; key++) table.remove(key * 3, key);
}

Deno.test("RhlTable with a seed does exactly the same work in every run and process", () => {
  const table = new RhlTable<number, number>({ seed: 29 });
  fixedWorkload(table);
  const { grows, shrinks, bucketsMigrated, seed, bucketCount } = table.stats();
  // Pinned: these numbers must not change across runs, machines or
  // releases unless the resize rules themselves change.
  assert.deepEqual(
    { grows, shrinks, bucketsMigrated, seed, bucketCount },
    PINNED_SHAPE,
  );
  assert.deepEqual({ ...table.work }, PINNED_WORK);
});

Deno.test("RhlTable draws every table seed from the seed option, flood rehashes included", () => {
  function seeds(seed: number): number[] {
    // Collides under every seed: each chain past 16 keys rehashes again.
    const table = new RhlTable<number, number>({
      seed,
      hash: (key, s) => hashKey(key % 2, s),
    });
    const out: number[] = [];
    for (let key = 0; key < 200; key++) {
      table.insert(key, key);
      out.push(table.stats().seed);
    }
    table.clear();
    out.push(table.stats().seed);
    return out;
  }
  const first = seeds(30);
  assert.deepEqual(seeds(30), first);
  assert.ok(new Set(first).size > 3, "flood rehashes drew fresh seeds");
  assert.notDeepEqual(seeds(31), first);
});

Deno.test("RhlTable hashes a key once per operation outside a migration", () => {
  const table = new RhlTable<number, number>({ seed: 32, sizeHint: 4096 });
  for (let key = 0; key < 1000; key++) table.insert(key, key);
  assert.ok(!table.stats().migrating);
  table.resetWork();
  for (let key = 0; key < 1000; key++) table.insert(key + 5000, key);
  assert.equal(table.work.hashes, 1000, "one hash per insert");
  table.resetWork();
  for (let key = 0; key < 1000; key++) {
    table.lookup(key);
    table.lookup(key);
    table.insert(key, -key);
    assert.ok(table.remove(key, -key));
  }
  assert.equal(table.work.hashes, 4000, "one hash per operation");
  assert.equal(table.work.bucketsMigrated, 0);
});

Deno.test("RhlTable migrates exactly the old buckets and hashes each moved key once", () => {
  const table = new RhlTable<number, number>({ seed: 33 });
  for (let key = 0; key < 49; key++) table.insert(key, key);
  assert.equal(table.stats().oldBucketCount, 64);
  table.resetWork();
  // Lookups never migrate; four inserts move the 64 old buckets.
  for (let key = 0; key < 49; key++) table.has(key);
  assert.equal(table.work.bucketsMigrated, 0);
  table.resetWork();
  for (let key = 0; key < 4; key++) table.insert(100 + key, key);
  const { bucketsMigrated, hashes } = table.work;
  assert.equal(bucketsMigrated, 64);
  // 49 moved keys, and each insert hashes for both tables but the last
  // (its step completed the migration before it looked).
  assert.equal(hashes, 49 + 2 * 4);
  assert.ok(!table.stats().migrating);
});

Deno.test("RhlTable allocates one node per insert and nothing per remove or lookup", () => {
  const table = new RhlTable<number, object>({ seed: 34, sizeHint: 1 << 16 });
  const value = {};
  for (let key = 0; key < 40_000; key++) table.insert(key, value);
  const before = table.stats();
  // Steady state: 10,000 insert+remove pairs of fresh keys, no resize.
  for (let key = 0; key < 10_000; key++) {
    table.insert(1_000_000 + key, value);
    table.lookup(1_000_000 + key);
    assert.ok(table.remove(1_000_000 + key, value));
  }
  const after = table.stats();
  assert.equal(after.nodesAllocated - before.nodesAllocated, 10_000);
  assert.equal(after.bucketArraysAllocated, before.bucketArraysAllocated);
  assert.equal(after.grows + after.shrinks, 0);
});

Deno.test("RhlTable allocates each table's bucket arrays once while growing", () => {
  const table = new RhlTable<number, number>({ seed: 35 });
  for (let key = 0; key < 30_000; key++) table.insert(key, key);
  const stats = table.stats();
  assert.equal(stats.bucketCount, 2 ** 16);
  assert.equal(stats.nodesAllocated, 30_000);
  assert.equal(stats.bucketArraysAllocated, PINNED_ARRAYS);
});

// What fixedWorkload() does to a table seeded with 29. The resize schedule
// follows from the kernel's thresholds alone; the seed fixes the layout,
// and so the chain lengths behind entriesVisited.
const PINNED_SHAPE = {
  grows: 9,
  shrinks: 2,
  bucketsMigrated: 81_856,
  seed: 294_495_173,
  bucketCount: 8192,
};
const PINNED_WORK = {
  lookups: 6667,
  entriesVisited: 51_267,
  bucketsTouched: 49_540,
  bucketsMigrated: 81_856,
  hashes: 91_611,
};
// Flat arrays for 64..16,384 buckets (9), then a page directory and one
// page of 512 buckets per page reached: 1 + 64, 1 + 128.
const PINNED_ARRAYS = 9 + 65 + 129;
