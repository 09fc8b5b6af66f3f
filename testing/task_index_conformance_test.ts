import { getIndexEntry, type TaskIndex } from "@hwbp/core";
import { ChainedHashTaskIndex } from "@hwbp/chained-hash";
import assert from "node:assert/strict";
import { describeTaskIndex, taskBreakpoint } from "./task_index_suite.ts";
import { TASK_INDEXES } from "./task_indexes.ts";

for (const factory of TASK_INDEXES) describeTaskIndex(factory);

// Starting from one bucket, the table doubles again and again within the
// short sequences of the model test, with lookups and removals in between.
describeTaskIndex({
  name: "chained-hash",
  label: "one-bucket chained-hash",
  create(): TaskIndex {
    return new ChainedHashTaskIndex({ initialBuckets: 1 });
  },
});

// The suite checks indexes of one kind; a breakpoint held by an index of
// another kind (which may keep something else in `indexEntry`) must be
// refused just the same.
for (const holder of TASK_INDEXES) {
  for (const stranger of TASK_INDEXES) {
    if (stranger === holder) continue;
    Deno.test(
      `${stranger.name} index.remove() refuses a breakpoint held by another kind of index (${holder.name})`,
      () => {
        const holding = holder.create();
        const other = stranger.create();
        const theirs = taskBreakpoint(1);
        const mine = taskBreakpoint(1);
        holding.insert(theirs);
        other.insert(mine);
        const entry = getIndexEntry(theirs);

        assert.equal(other.remove(theirs), false);
        assert.equal(getIndexEntry(theirs), entry);
        assert.equal(other.size, 1);
        assert.equal(holding.size, 1);
        assert.deepEqual([...other], [mine]);
        assert.equal(holding.remove(theirs), true);
      },
    );
  }
}
