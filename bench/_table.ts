// Plain-text tables and the number formats the bench prints.

/** Renders rows as an aligned text table, the given columns right-aligned. */
export function table(
  rows: readonly string[][],
  rightAligned: ReadonlySet<number>,
): string {
  const widths = rows[0]!.map((_, c) =>
    Math.max(...rows.map((r) => r[c]!.length))
  );
  return rows.map((row) =>
    row.map((cell, c) =>
      rightAligned.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)
    )
      .join("  ").trimEnd()
  ).join("\n");
}

/** Seconds in a unit that keeps three decimals: s, ms or µs. */
export function seconds(value: number | null): string {
  if (value === null) return "";
  if (value >= 1) return `${value.toFixed(3)} s`;
  if (value >= 1e-3) return `${(value * 1e3).toFixed(3)} ms`;
  return `${(value * 1e6).toFixed(3)} µs`;
}

/** Nanoseconds in a unit that keeps two decimals: ns, µs or ms. */
export function nanos(value: number): string {
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} ms`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(2)} µs`;
  return `${value.toFixed(2)} ns`;
}

/** A ratio with a × sign, to about three significant digits. */
export function ratio(value: number): string {
  if (value >= 100) return `${Math.round(value).toLocaleString("en-US")}×`;
  if (value >= 0.1) return `${value.toFixed(2)}×`;
  return `${value.toPrecision(2)}×`;
}

/** An integer with thousands separators. */
export function count(value: number): string {
  return value.toLocaleString("en-US");
}
