import { test } from "node:test";
import assert from "node:assert/strict";
import { parseArtifacts } from "./parseArtifacts.js";

test("the info string names the file: file=, path= and a bare path", () => {
  const text = "Here:\n```ts file=src/List.tsx\nexport const a = 1;\n```\nand\n```tsx path=\"src/B.tsx\"\nb\n```\n```python tests/test_x.py\nc\n```\n";
  assert.deepEqual(parseArtifacts(text), [
    { path: "src/List.tsx", content: "export const a = 1;\n", from: "info" },
    { path: "src/B.tsx", content: "b\n", from: "info" },
    { path: "tests/test_x.py", content: "c\n", from: "info" },
  ]);
});

test("a first-line file comment names the file and is dropped from it", () => {
  const text = "```ts\n// file: src/util.ts\nexport const u = 2;\n```\n```py\n# file: a/b.py\nx = 1\n```\n";
  assert.deepEqual(parseArtifacts(text), [
    { path: "src/util.ts", content: "export const u = 2;\n", from: "comment" },
    { path: "a/b.py", content: "x = 1\n", from: "comment" },
  ]);
});

test("an unnamed block revises the attachment named just before it, else the only attachment", () => {
  const named = "The fix for Table.tsx:\n```tsx\nnew table\n```\n";
  assert.deepEqual(parseArtifacts(named, ["src/Table.tsx", "src/Row.tsx"]), [{ path: "src/Table.tsx", content: "new table\n", from: "named-attachment" }]);
  const only = "```tsx\nrevised\n```";
  assert.deepEqual(parseArtifacts(only, ["src/Only.tsx"]), [{ path: "src/Only.tsx", content: "revised\n", from: "only-attachment" }]);
});

test("blocks with no path are not files; paths escaping the workspace are not taken; the last block for a path wins", () => {
  assert.deepEqual(parseArtifacts("```sh\nnpm test\n```", ["a.ts", "b.ts"]), []);
  assert.deepEqual(parseArtifacts("```ts file=../../etc/passwd\nx\n```"), []);
  assert.deepEqual(parseArtifacts("```ts file=/etc/passwd\nx\n```"), []);
  const twice = "```ts file=a.ts\none\n```\n```ts file=a.ts\ntwo\n```";
  assert.deepEqual(parseArtifacts(twice), [{ path: "a.ts", content: "two\n", from: "info" }]);
});

test("a longer fence holds a block that itself contains a fence", () => {
  const text = "````md file=README.md\n# T\n```sh\nrun\n```\n````\n";
  assert.deepEqual(parseArtifacts(text), [{ path: "README.md", content: "# T\n```sh\nrun\n```\n", from: "info" }]);
});
