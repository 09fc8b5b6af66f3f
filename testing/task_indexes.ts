/**
 * The registry of every {@linkcode TaskIndex} implementation, for the
 * conformance suite, the complexity tests and the benchmarks to run over.
 * A new implementation is tested everywhere once it is listed here.
 *
 * @module
 */

import type { TaskIndex } from "@hwbp/core";
import { ChainedHashTaskIndex } from "@hwbp/chained-hash";
import { ListTaskIndex } from "@hwbp/list";
import { RhlTableTaskIndex } from "@hwbp/rhltable";
import type { TaskIndexFactory } from "./task_index_suite.ts";

export type { TaskIndexFactory };

/** Every task index implementation, each with its default options. */
export const TASK_INDEXES: readonly TaskIndexFactory[] = [
  {
    name: "list",
    create(): TaskIndex {
      return new ListTaskIndex();
    },
  },
  {
    name: "chained-hash",
    create(): TaskIndex {
      return new ChainedHashTaskIndex();
    },
  },
  {
    name: "rhltable",
    create(): TaskIndex {
      return new RhlTableTaskIndex();
    },
  },
];
