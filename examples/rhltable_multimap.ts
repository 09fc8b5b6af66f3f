/**
 * `RhlTable` on its own: a multimap with the kernel's rhltable semantics.
 * A key heads a list of values, newest first; `keyCount` counts distinct
 * keys (the kernel's `nelems`) and the table grows and shrinks with them,
 * a few buckets at a time.
 *
 * ```sh
 * deno run examples/rhltable_multimap.ts
 * ```
 *
 * @module
 */
import { RhlTable } from "@hwbp/rhltable";

// Which files each user has open, keyed by user name.
const open = new RhlTable<string, string>({ seed: 2022 });
open.insert("alice", "notes.txt");
open.insert("bob", "main.c");
open.insert("alice", "todo.md");
open.insert("alice", "draft.tex");

console.log(`alice: ${[...open.values("alice")].join(", ")}`); // newest first
console.log(`keys ${open.keyCount}, values ${open.size}`);

open.remove("alice", "todo.md");
console.log(
  `alice after closing todo.md: ${[...open.values("alice")].join(", ")}`,
);
console.log(`has carol: ${open.has("carol")}`);

// Thousands of keys: the table grows from 64 buckets, migrating a few at a
// time as later operations come, never all at once.
const tasks = new RhlTable<number, string>({ seed: 7 });
for (let task = 0; task < 10_000; task++) {
  tasks.insert(task, `bp of task ${task}`);
}
let stats = tasks.stats();
console.log(
  `10000 keys: ${stats.bucketCount} buckets, load ${
    stats.loadFactor.toFixed(2)
  }, ` +
    `${stats.grows} grows, longest chain ${stats.longestChain}`,
);
for (let task = 0; task < 9_900; task++) {
  tasks.remove(task, `bp of task ${task}`);
}
for (let i = 0; i < 64; i++) tasks.has(i); // lookups finish the migration
stats = tasks.stats();
console.log(
  `100 keys left: ${stats.bucketCount} buckets, ${stats.shrinks} shrinks`,
);

// Work counters make the cost visible without a clock.
tasks.resetWork();
for (let task = 9_900; task < 10_000; task++) tasks.has(task);
const { lookups, entriesVisited } = tasks.work;
console.log(
  `entries visited per lookup: ${(entriesVisited / lookups).toFixed(2)}`,
);
