/**
 * Small helpers shared by every test of a TaskIndex: the conformance suite
 * and each implementation's own tests.
 *
 * @module
 */
import {
  createTaskBreakpoint,
  type SlotType,
  type TaskBreakpoint,
  type TaskIndex,
  type TaskVisitor,
} from "@hwbp/core";

/**
 * Creates a breakpoint as the constraint engine would, outside any index.
 *
 * @param task The task it is bound to.
 * @param cpu Its CPU, or `-1` for every CPU.
 * @param slot The slot pool it counts against.
 * @param weight How many slots it takes.
 * @returns A new breakpoint with a `null` index entry.
 */
export function taskBreakpoint(
  task: number,
  cpu = -1,
  slot: SlotType = 1,
  weight = 1,
): TaskBreakpoint {
  return createTaskBreakpoint({ task, cpu, slot, weight });
}

/** A visitor that records what it is given and stops after `limit` calls. */
export class Collector implements TaskVisitor {
  readonly seen: TaskBreakpoint[] = [];
  readonly #limit: number;

  constructor(limit = Infinity) {
    this.#limit = limit;
  }

  visit(bp: TaskBreakpoint): boolean {
    this.seen.push(bp);
    return this.seen.length < this.#limit;
  }
}

/** Every breakpoint the index hands over for `task`. */
export function visitAll(
  index: TaskIndex,
  task: number,
  limit = Infinity,
): TaskBreakpoint[] {
  const collector = new Collector(limit);
  index.visitTask(task, collector);
  return collector.seen;
}
