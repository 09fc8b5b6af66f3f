// Guards for how the engine's record keeps a breakpoint's address and
// length: lengths below 2^24 share a small integer with the type and flags,
// longer ones (which only a machine without an architecture accepts) move
// to a side object. Either way every attribute reads back as it was given,
// through modify(), inherit() and a change of type.
import assert from "node:assert/strict";
import { BreakpointConstraints, type BreakpointHandle } from "@hwbp/core";
import { ListTaskIndex } from "@hwbp/list";

function attributes(h: BreakpointHandle): [string, bigint, number, boolean] {
  return [h.type, h.address, h.length, h.disabled];
}

Deno.test("a record keeps any length and its address through modify(), inherit() and a type change", () => {
  const hw = new BreakpointConstraints({
    cpus: 2,
    slots: 4,
    index: new ListTaskIndex(),
  });
  const long = hw.reserve({
    task: 1,
    type: "w",
    address: 0x1000n,
    length: 2 ** 40,
    inherit: true,
  });
  assert.deepEqual(attributes(long), ["w", 0x1000n, 2 ** 40, false]);
  hw.modify(long, { address: 0x2000n, disabled: true });
  assert.deepEqual(attributes(long), ["w", 0x2000n, 2 ** 40, true]);
  hw.modify(long, "x");
  assert.deepEqual(attributes(long), ["x", 0x2000n, 2 ** 40, true]);
  for (const length of [2 ** 24 - 1, 2 ** 24, 8, Number.MAX_SAFE_INTEGER]) {
    hw.modify(long, { length });
    assert.deepEqual(attributes(long), ["x", 0x2000n, length, true]);
  }
  const short = hw.reserve({ task: 1, type: "rw", address: 2n ** 64n - 1n });
  assert.deepEqual(attributes(short), ["rw", 2n ** 64n - 1n, 4, false]);
  const [copy] = hw.inherit(1, 2);
  assert.deepEqual(attributes(copy!), attributes(long));
  assert.equal(copy!.inherit, true);
  assert.equal(hw.verify(), null);
  for (const h of [long, short, copy!]) hw.release(h);
  assert.equal(hw.isUsed(), false);
});
