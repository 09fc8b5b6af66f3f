// What callers hold: a small object whose only state is the engine's record,
// in a #private field. Getters read through; there are no setters, and the
// prototype is frozen, so a caller can neither change what the engine
// believes nor make a look-alike pass for a handle.
import type { Breakpoint } from "./_breakpoint.ts";
import type { BreakpointHandle, BreakpointType } from "./breakpoint.ts";

/** Only this module can mint handles: `new handle.constructor()` cannot. */
const MINT: unique symbol = Symbol("hwbp handle");

/**
 * Reads a handle's record. Set by the class's static block, which alone can
 * see `#bp`, and kept in this module: a static method would be reachable as
 * `handle.constructor.recordOf()`, handing callers the engine's books.
 */
let readRecord: (value: unknown) => Breakpoint | null;

export class Handle implements BreakpointHandle {
  readonly #bp: Breakpoint;

  constructor(key: typeof MINT, bp: Breakpoint) {
    if (key !== MINT) throw new TypeError("Illegal constructor");
    this.#bp = bp;
  }

  get task(): number | null {
    return this.#bp.task;
  }
  get cpu(): number {
    return this.#bp.cpu;
  }
  get type(): BreakpointType {
    return this.#bp.type;
  }
  get weight(): number {
    return this.#bp.weight;
  }
  get live(): boolean {
    return this.#bp.owner !== null;
  }
  get address(): bigint {
    return this.#bp.address;
  }
  get length(): number {
    return this.#bp.length;
  }
  get disabled(): boolean {
    return this.#bp.disabled;
  }
  get inherit(): boolean {
    return this.#bp.inherit;
  }

  /** What `console.log()` shows in Deno: the fields, as a plain object. */
  [Symbol.for("Deno.customInspect")](
    inspect: (value: unknown, options: unknown) => string,
    options: unknown,
  ): string {
    return `BreakpointHandle ${inspect(viewOf(this.#bp), options)}`;
  }

  /** What `util.inspect()` shows in Node.js. */
  [Symbol.for("nodejs.util.inspect.custom")](
    _depth: number,
    options: unknown,
    inspect: (value: unknown, options: unknown) => string,
  ): string {
    return `BreakpointHandle ${inspect(viewOf(this.#bp), options)}`;
  }

  static {
    readRecord = (value) =>
      typeof value === "object" && value !== null && #bp in value
        ? (value as Handle).#bp
        : null;
  }
}
Object.freeze(Handle.prototype);
Object.freeze(Handle);

/** The record behind a handle, or `null` for anything else. */
export function recordOf(value: unknown): Breakpoint | null {
  return readRecord(value);
}

/**
 * A handle's fields as a plain object, for inspection. A module function
 * rather than a private method: a class with private methods stamps a
 * brand on each instance, 8 more bytes per handle.
 */
function viewOf(bp: Breakpoint): Record<string, unknown> {
  return {
    task: bp.task,
    cpu: bp.cpu,
    type: bp.type,
    weight: bp.weight,
    live: bp.owner !== null,
    address: bp.address,
    length: bp.length,
    disabled: bp.disabled,
    inherit: bp.inherit,
  };
}

/** A new handle for `bp`. */
export function handleOf(bp: Breakpoint): Handle {
  return new Handle(MINT, bp);
}
