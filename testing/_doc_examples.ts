/**
 * Finds the runnable code blocks of the repository's docs: the fenced
 * `ts`/`js` blocks inside JSDoc comments (every `@example`, module docs
 * included) and inside Markdown files, as `deno test --doc` does.
 *
 * Why not `deno test --doc` itself: it runs each block as its own test
 * module, in its own isolate. With ~130 blocks that is ~130 isolates at
 * ~65 ms of CPU each, over half of the whole test run on two cores.
 * `doc_examples_test.ts` runs them all in one isolate instead, and
 * `deno task check` type-checks them with `deno check --doc`.
 *
 * @module
 */

/** One runnable code block, with where it came from. */
export interface DocExample {
  /** Path of the file, relative to the repository root. */
  file: string;
  /** 1-based line of the opening fence. */
  startLine: number;
  /** 1-based line of the closing fence. */
  endLine: number;
  /** The code, comment markers stripped. */
  code: string;
}

const RUNNABLE = new Set(["ts", "typescript", "js", "javascript"]);

/**
 * The runnable blocks of one file's text: JSDoc comments of a `.ts` file,
 * or the whole text of a `.md` file. A fence whose info string carries
 * `ignore` is skipped, as `deno test --doc` skips it.
 *
 * @example
 * ```ts
 * import { extractDocExamples } from "./_doc_examples.ts";
 * import assert from "node:assert/strict";
 *
 * const fence = "`".repeat(3);
 * const text = `# Notes\n${fence}ts\nconst x = 1;\n${fence}\n`;
 * const [ex] = extractDocExamples("notes.md", text);
 * assert.equal(ex?.code, "const x = 1;");
 * assert.equal(ex?.startLine, 2);
 * ```
 */
export function extractDocExamples(file: string, text: string): DocExample[] {
  const lines = text.split("\n");
  const markdown = file.endsWith(".md");
  const out: DocExample[] = [];
  let inComment = markdown;
  let open: { line: number; runnable: boolean; body: string[] } | null = null;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (!markdown) {
      if (!inComment) {
        if (/^\s*\/\*\*/.test(line)) inComment = true;
        else continue;
      }
      if (/\*\/\s*$/.test(line) && open === null) {
        inComment = false;
        continue;
      }
      // Strip the comment's margin: indentation, `*` and one space.
      line = line.replace(/^\s*\/?\*\*?(?: |$)/, "");
    }
    const fence = /^\s*```\s*(.*)$/.exec(line);
    if (open === null) {
      if (fence === null) continue;
      const words = fence[1]!.trim().split(/\s+/);
      const runnable = RUNNABLE.has(words[0]!) && !words.includes("ignore");
      open = { line: i + 1, runnable, body: [] };
    } else if (fence !== null && fence[1]!.trim() === "") {
      if (open.runnable) {
        out.push({
          file,
          startLine: open.line,
          endLine: i + 1,
          code: open.body.join("\n"),
        });
      }
      open = null;
    } else {
      open.body.push(line);
    }
  }
  if (open !== null) {
    throw new Error(`${file}:${open.line}: the code fence is never closed`);
  }
  return out;
}

/**
 * Rewrites the relative specifiers of an example's import and export
 * declarations (`from "./x.ts"`, at the start of a line) to
 * absolute URLs, so it runs from anywhere while meaning what it means
 * beside `fileUrl`. Bare specifiers (`"@hwbp/core"`, `"node:…"`) stay, to
 * resolve through the workspace's import map.
 *
 * @example
 * ```ts
 * import { absolutizeImports } from "./_doc_examples.ts";
 * import assert from "node:assert/strict";
 *
 * const code = 'import { a } from "./a.ts";\nimport b from "node:b";';
 * assert.equal(
 *   absolutizeImports(code, new URL("file:///r/pkg/x.ts")),
 *   'import { a } from "file:///r/pkg/a.ts";\nimport b from "node:b";',
 * );
 * ```
 */
export function absolutizeImports(code: string, fileUrl: URL): string {
  return code.replace(
    /^(\s*(?:import|export)\b[^"';]*?(?:\bfrom\s*|\bimport\s*))(["'])(\.{1,2}\/[^"']*)\2/gm,
    (_, lead: string, quote: string, spec: string) =>
      `${lead}${quote}${new URL(spec, fileUrl).href}${quote}`,
  );
}
