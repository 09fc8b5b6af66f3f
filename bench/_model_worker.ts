/// <reference lib="deno.worker" />
// Runs the virtual-time model (bench/_model.ts) off the bench's main
// thread, which meanwhile reports progress: set B's list rows alone take
// tens of seconds of one synchronous call. Message in: the set names;
// message out: the ModelTable, plain data.
import { modelTable, type ParameterSet, SET_A, SET_B } from "./_model.ts";

self.onmessage = (event: MessageEvent<{ sets: string[] }>) => {
  const sets: ParameterSet[] = event.data.sets.map((name) =>
    name === "B" ? SET_B : SET_A
  );
  self.postMessage(modelTable({ sets }));
  self.close();
};
