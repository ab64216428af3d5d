import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { resolveAttachments } from "./resolveAttachments.js";
import { attachmentView, ELISION_MARK } from "./attachmentPrompt.js";

async function tree(files: Record<string, string | Buffer>): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), "conclave-attach-"));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), content);
  }
  return root;
}

test("a folder honours its .gitignore files; a file and a glob land at their paths relative to the experiment", async () => {
  const root = await tree({
    "app/.gitignore": "dist/\n*.log\n",
    "app/src/a.ts": "export const a = 1;\n",
    "app/src/.gitignore": "secret.ts\n",
    "app/src/secret.ts": "no",
    "app/dist/out.js": "built",
    "app/debug.log": "log",
    "app/node_modules/x/index.js": "dep",
    "tsconfig.json": "{}",
    "lib/one.ts": "1",
    "lib/two.ts": "2",
    "lib/three.js": "3",
  });
  try {
    const r = await resolveAttachments([{ path: "app" }, { path: "tsconfig.json" }, { path: "lib/*.ts", as: "vendor" }], root);
    assert.deepEqual(r.refused, []);
    assert.deepEqual(r.files.map((f) => f.path), ["app/.gitignore", "app/src/.gitignore", "app/src/a.ts", "tsconfig.json", "vendor/lib/one.ts", "vendor/lib/two.ts"]);
    assert.equal(r.files.find((f) => f.path === "app/src/a.ts")?.content, "export const a = 1;\n");
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test("binary, oversized, missing and symlinked files are refused by path with the reason", async () => {
  const root = await tree({ "img.png": Buffer.from([0x89, 0x50, 0x00, 0x01]), "big.txt": "x".repeat(2000), "ok.txt": "fine" });
  await symlink("/etc/hostname", path.join(root, "link.txt"));
  try {
    const r = await resolveAttachments([{ path: "img.png" }, { path: "big.txt" }, { path: "gone.ts" }, { path: "link.txt" }, { path: "ok.txt" }, { path: "*.nothing" }], root, { maxFileBytes: 1000, maxFiles: 10 });
    assert.deepEqual(r.files.map((f) => f.path), ["ok.txt"]);
    assert.deepEqual(r.refused, [
      { path: "img.png", reason: "binary file (it holds NUL bytes)" },
      { path: "big.txt", reason: "too large (2000 bytes; the limit is 1000)" },
      { path: "gone.ts", reason: "no such file or folder" },
      { path: "link.txt", reason: "a symbolic link, not a regular file" },
      { path: "*.nothing", reason: "the pattern matches no file" },
    ]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test("within the budget every file is shown whole; past it, the listing, the files the task names and a marked elision", () => {
  const files = [
    { path: "src/Big.tsx", content: "b".repeat(3000) },
    { path: "src/List.tsx", content: "export function List() {}\n" },
    { path: "src/Other.tsx", content: "o".repeat(3000) },
  ];
  const all = attachmentView(files, "Refactor List.tsx", 10_000);
  assert.deepEqual(all.elided, []);
  assert.ok(!all.text.includes(ELISION_MARK));
  assert.match(all.text, /```tsx file=src\/List.tsx\nexport function List\(\) \{\}\n```/);

  const cut = attachmentView(files, "Refactor List.tsx", 300);
  assert.deepEqual(cut.shown, ["src/List.tsx"]);
  assert.deepEqual(cut.elided, ["src/Big.tsx", "src/Other.tsx"]);
  assert.match(cut.text, /- src\/Big.tsx \(3000 bytes\)/);
  assert.ok(cut.text.includes(`${ELISION_MARK} 2 file(s) over the context budget are listed above but not shown: src/Big.tsx, src/Other.tsx]`));
  assert.ok(!cut.text.includes("bbbb"));
});
