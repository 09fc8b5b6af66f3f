// The targets table: bounds either way, a factor either side of the
// kernel's ratio, figures reported without a bound, and --quick runs that
// judge only what they ran at full size.
import assert from "node:assert/strict";
import { reported, target, targetTable, within } from "./_report.ts";

Deno.test("a target within a factor of the kernel's ratio is met on either side and missed beyond", () => {
  assert.equal(within("locking", 1.4, 2.7, 2).met, true);
  assert.equal(within("locking", 5.3, 2.7, 2).met, true);
  assert.equal(within("locking", 1.3, 2.7, 2).met, false);
  assert.equal(within("locking", 5.5, 2.7, 2).met, false);
  assert.equal(within("locking", 3, 2.7, 2).target, "1.35×..5.40×");
});

Deno.test("a --quick run judges full-size figures and marks its own sizes n/a", () => {
  const text = targetTable([
    target("modelled", 839, 3529, ">=", 500),
    target("per thread", 2, null, "<=", 1.3, true),
    reported("seed", 247, 1135),
  ], true);
  const lines = text.split("\n");
  assert.match(lines[1]!, /^modelled +839× +3,529× +≥ 500× +yes$/);
  assert.match(lines[2]!, /^per thread +2\.00× +- +≤ 1\.3× +n\/a \(--quick\)$/);
  assert.match(lines[3]!, /^seed +247× +1,135× +- +-$/);
  assert.match(
    targetTable([target("per thread", 2, null, "<=", 1.3, true)], false),
    /NO$/,
  );
});
