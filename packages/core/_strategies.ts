// Builds the accounting of a strategy. Apart from the base class so that
// the strategies can import it without a cycle.
import type { Accounting } from "./_accounting.ts";
import { CurrentAccounting } from "./_current_accounting.ts";
import { LegacyAccounting } from "./_legacy_accounting.ts";
import { ReserveFastpathAccounting } from "./_reserve_fastpath_accounting.ts";
import type { AccountingStrategy } from "./accounting_strategy.ts";
import type { TaskIndex } from "./task_index.ts";

export function createAccounting(
  strategy: AccountingStrategy,
  cpus: number,
  slots: readonly number[],
  index: TaskIndex,
): Accounting {
  switch (strategy) {
    case "legacy":
      return new LegacyAccounting(cpus, slots, index);
    case "reserve-fastpath":
      return new ReserveFastpathAccounting(cpus, slots, index);
    case "current":
      return new CurrentAccounting(cpus, slots, index);
  }
}
