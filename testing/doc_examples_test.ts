// Every runnable code block of the docs (JSDoc `@example`s, module docs,
// READMEs) runs here, each as its own module, all in this one isolate; see
// `_doc_examples.ts` for why this is not `deno test --doc`.
import assert from "node:assert/strict";
import {
  absolutizeImports,
  type DocExample,
  extractDocExamples,
} from "./_doc_examples.ts";

const ROOT = new URL("../", import.meta.url);

/** The files whose docs run: every README, and each source file in these. */
const SOURCE_DIRS = ["packages", "bench", "testing"];

async function sourceFiles(): Promise<string[]> {
  const files = ["README.md"];
  async function walk(dir: string): Promise<void> {
    const names: string[] = [];
    for await (const e of Deno.readDir(new URL(dir, ROOT))) {
      if (e.isDirectory) await walk(`${dir}/${e.name}`);
      else if (
        e.name === "README.md" ||
        (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts"))
      ) names.push(`${dir}/${e.name}`);
    }
    files.push(...names.sort());
  }
  for (const dir of SOURCE_DIRS) await walk(dir);
  return files;
}

const files = await sourceFiles();
const examples = new Map<string, DocExample[]>();
for (const file of files) {
  const text = await Deno.readTextFile(new URL(file, ROOT));
  const found = extractDocExamples(file, text);
  // deno doc --lint wants an example on each export; this catches an
  // `@example` whose block this reader would miss (an unknown fence tag).
  const tags = file.endsWith(".ts") ? text.match(/^\s*\* @example/gm) : null;
  const ignored = text.match(/```\w+ ignore/g)?.length ?? 0;
  assert.ok(
    found.length + ignored >= (tags?.length ?? 0),
    `${file}: ${tags?.length} @example tags but ${found.length} runnable blocks`,
  );
  if (found.length > 0) examples.set(file, found);
}

Deno.test("the docs hold runnable examples in every package", () => {
  for (const pkg of ["core", "list", "chained-hash", "rhltable", "sim"]) {
    const n = [...examples.keys()].filter((f) =>
      f.startsWith(`packages/${pkg}/`)
    ).length;
    assert.ok(n >= 2, `packages/${pkg}: examples in only ${n} files`);
  }
  assert.ok(examples.has("README.md"));
});

for (const [file, found] of examples) {
  Deno.test(`the examples in ${file} run`, async (t) => {
    const fileUrl = new URL(file, ROOT);
    for (const ex of found) {
      await t.step(`${file}#${ex.startLine}-${ex.endLine}`, async () => {
        const code = absolutizeImports(ex.code, fileUrl);
        await import(
          `data:application/typescript,${encodeURIComponent(code)}`
        );
      });
    }
  });
}

Deno.test("extractDocExamples() reads JSDoc and Markdown fences, skipping ignore", () => {
  const ts = [
    "/**",
    " * Text.",
    " *",
    " * @example",
    " * ```ts",
    " * const a = 1;",
    " *   const b = 2;",
    " * ```",
    " * ```ts ignore",
    " * skipped();",
    " * ```",
    " * ```sh",
    " * deno task test",
    " * ```",
    " */",
    "// ```ts",
    "// not in a JSDoc comment",
    "// ```",
    "/** One line. */",
  ].join("\n");
  assert.deepEqual(extractDocExamples("x.ts", ts), [
    {
      file: "x.ts",
      startLine: 5,
      endLine: 8,
      code: "const a = 1;\n  const b = 2;",
    },
  ]);
  const md = "# Title\n\n```ts\nrun();\n```\n\n```text\nout\n```\n";
  assert.deepEqual(extractDocExamples("R.md", md), [
    { file: "R.md", startLine: 3, endLine: 5, code: "run();" },
  ]);
  assert.throws(
    () => extractDocExamples("y.md", "```ts\nx\n"),
    /y\.md:1: the code fence is never closed/,
  );
});
