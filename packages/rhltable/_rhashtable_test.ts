import assert from "node:assert/strict";
import { createTaskBreakpoint, type TaskBreakpoint } from "@hwbp/core";
import { KeyNode } from "./_bucket_table.ts";
import { insertLinkedInt32, removeLinkedInt32 } from "./_int32_linked.ts";
import { parseOptions } from "./_options.ts";
import { Rhashtable } from "./_rhashtable.ts";

// Which allocation site makes a key node is a garbage-collection decision
// (see KeyNode): RhlTable's nodes come from an object literal, which V8
// may pretenure, and the task index's from `new KeyNode`, which it never
// pretenures. Both kinds must behave alike in every path that makes one.

/** Every key node of `ht`, over both tables. */
function keyNodes(ht: Rhashtable<number, unknown>): object[] {
  const nodes: object[] = [];
  for (const tbl of [ht.tbl, ht.future]) {
    if (tbl === null) continue;
    for (let i = tbl.rehash; i < tbl.size; i++) {
      for (let node = tbl.head(i); node !== null; node = node.chain) {
        nodes.push(node);
      }
    }
  }
  return nodes;
}

/**
 * 1,000 keys by each of the three insert paths, then the linked ones
 * removed again; `check` sees the table in between.
 */
function churn(
  shortLivedKeys: boolean,
  check: (ht: Rhashtable<number, unknown>) => void,
): Rhashtable<number, unknown> {
  const ht = new Rhashtable<number, unknown>(
    parseOptions({ seed: 7 }),
    shortLivedKeys,
  );
  const work = { entriesVisited: 0, bucketsTouched: 0 };
  // The linked paths' values link themselves, as task breakpoints do.
  const linked: TaskBreakpoint[] = [];
  for (let key = 0; key < 2_000; key++) {
    linked.push(createTaskBreakpoint({ task: key }));
  }
  for (let key = 0; key < 1_000; key++) {
    assert.equal(insertLinkedInt32(ht, key, linked[key], work), null);
  }
  for (let key = 1_000; key < 2_000; key++) {
    assert.equal(ht.insertLinked(key, linked[key]), null);
  }
  for (let key = 2_000; key < 3_000; key++) ht.insert(key, "c");
  check(ht);
  for (let key = 0; key < 1_000; key++) {
    assert.ok(
      removeLinkedInt32(
        ht as Rhashtable<number, TaskBreakpoint>,
        key,
        linked[key]!,
        work,
      ),
    );
  }
  for (let key = 1_000; key < 2_000; key++) {
    assert.ok(ht.removeLinked(key, linked[key]));
  }
  return ht;
}

Deno.test("Rhashtable makes its key nodes by the allocation site it was built for", () => {
  const young = churn(true, (ht) => {
    assert.equal(keyNodes(ht).length, 3_000);
    assert.ok(keyNodes(ht).every((node) => node instanceof KeyNode));
  });
  const plain = churn(false, (ht) => {
    assert.equal(keyNodes(ht).length, 3_000);
    assert.ok(keyNodes(ht).every((node) => !(node instanceof KeyNode)));
  });
  assert.equal(keyNodes(young).length, 1_000);
  assert.ok(keyNodes(young).every((node) => node instanceof KeyNode));
  assert.equal(keyNodes(plain).length, 1_000);
  assert.ok(keyNodes(plain).every((node) => !(node instanceof KeyNode)));
  // Same seed, same operations: the same table, whichever node it chose.
  for (const ht of [young, plain]) {
    assert.equal(ht.size, 1_000);
    assert.equal(ht.keyCount, 1_000);
    for (let key = 2_000; key < 3_000; key++) {
      assert.equal(ht.find(key)?.value, "c");
    }
    assert.equal(ht.find(0), null);
  }
  assert.equal(young.grows, plain.grows);
  assert.equal(young.shrinks, plain.shrinks);
  assert.equal(young.bucketsMigrated, plain.bucketsMigrated);
  assert.equal(young.tbl.size, plain.tbl.size);
});

Deno.test("A KeyNode has the shape of a literal node", () => {
  const node = new KeyNode<number, string>(5, "v", null);
  assert.deepEqual(Object.keys(node).sort(), ["chain", "key", "next", "value"]);
  assert.deepEqual([node.key, node.value, node.next, node.chain], [
    5,
    "v",
    null,
    null,
  ]);
});
