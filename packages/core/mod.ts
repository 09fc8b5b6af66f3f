/**
 * The hardware-breakpoint constraint engine: a faithful model of the Linux
 * kernel's slot accounting in `kernel/events/hw_breakpoint.c`, written
 * against a pluggable {@linkcode TaskIndex}.
 *
 * @module
 */
export * from "./constraint_error.ts";
export * from "./task_index.ts";
