// A command-line parser that behaves like perf's (tools/lib/subcmd/
// parse-options.c): `-b 4`, `-b4`, `--breakpoints 4`, `--breakpoints=4`,
// unique prefixes of long names, and a value is the next argument even when
// it starts with "-" (so `-b -4` is the value -4, reported as perf reports
// it, not a missing value). Errors carry perf's wording.

export interface OptionSpec {
  readonly long: string;
  readonly short?: string;
  /** "uint": perf's OPT_UINTEGER; "string"; "boolean": takes no value. */
  readonly kind: "uint" | "string" | "boolean";
}

/** A bad command line; `message` is perf's " Error: ..." text, unprefixed. */
export class UsageError extends Error {}

/** Parsed options, by long name. */
export type Parsed = Map<string, string | number | boolean>;

/**
 * Parses options into `into` until the first positional argument (or the
 * end). Returns the index of that positional, or `args.length`.
 */
export function parseOptions(
  args: readonly string[],
  start: number,
  specs: readonly OptionSpec[],
  into: Parsed,
): number {
  let i = start;
  while (i < args.length) {
    const arg = args[i]!;
    if (arg === "--") return i + 1;
    if (!arg.startsWith("-") || arg === "-") return i;
    let spec: OptionSpec;
    let inline: string | null = null;
    let flag: string;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      if (eq >= 0) inline = arg.slice(eq + 1);
      spec = findLong(name, specs);
      flag = `option \`${spec.long}'`;
    } else {
      const letter = arg[1]!;
      const found = specs.find((s) => s.short === letter);
      if (found === undefined) {
        throw new UsageError(`unknown switch \`${letter}'`);
      }
      spec = found;
      if (arg.length > 2) inline = arg.slice(2);
      flag = `switch \`${letter}'`;
    }
    i++;
    if (spec.kind === "boolean") {
      if (inline !== null) throw new UsageError(`${flag} takes no value`);
      into.set(spec.long, true);
      continue;
    }
    let value = inline;
    if (value === null) {
      if (i >= args.length) throw new UsageError(`${flag} requires a value`);
      value = args[i++]!;
    }
    into.set(spec.long, spec.kind === "uint" ? unsigned(value, flag) : value);
  }
  return i;
}

function findLong(name: string, specs: readonly OptionSpec[]): OptionSpec {
  const exact = specs.find((s) => s.long === name);
  if (exact !== undefined) return exact;
  const prefixed = name === ""
    ? []
    : specs.filter((s) => s.long.startsWith(name));
  if (prefixed.length === 1) return prefixed[0]!;
  if (prefixed.length > 1) {
    throw new UsageError(
      `Ambiguous option: ${name} (could be --${prefixed[0]!.long} or --${
        prefixed[1]!.long
      })`,
    );
  }
  throw new UsageError(`unknown option \`${name}'`);
}

/** perf's OPT_UINTEGER checks, naming the value too. */
function unsigned(value: string, flag: string): number {
  if (value.startsWith("-")) {
    throw new UsageError(
      `${flag} expects an unsigned numerical value, got '${value}'`,
    );
  }
  if (!/^[0-9]+$/.test(value)) {
    throw new UsageError(`${flag} expects a numerical value, got '${value}'`);
  }
  const number = Number(value);
  if (number > 0xffff_ffff) {
    throw new UsageError(
      `${flag} expects a value that fits in 32 bits, got '${value}'`,
    );
  }
  return number;
}
