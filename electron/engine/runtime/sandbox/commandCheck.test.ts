import { test } from "node:test";
import assert from "node:assert/strict";
import { runCommandCheck, trimmedEvidence } from "./commandCheck.js";

const skip = process.platform !== "linux" ? "the bubblewrap sandbox is Linux's" : false;
const tsconfig = { path: "tsconfig.json", content: JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: "ES2022", module: "ESNext", moduleResolution: "Bundler", skipLibCheck: true, types: [] }, include: ["src"] }) };
const original = { path: "src/sum.ts", content: "export function sum(xs) { return xs.reduce((a, b) => a + b, 0); }\n" };

test("tsc in the sandbox: the artifact over the attachment fails with the compiler's output, a fixed one passes", { skip }, async () => {
  const spec = { kind: "command" as const, run: ["tsc", "-p", "."], timeoutMs: 300_000 };
  const bad = await runCommandCheck({ spec, attachments: [tsconfig, original], artifacts: [] });
  assert.equal(bad.refused, null);
  assert.equal(bad.passed, false);
  assert.equal(bad.run?.sandbox, "bubblewrap");
  assert.match(bad.run?.stdout ?? "", /src\/sum\.ts.*error TS7006/);
  assert.match(trimmedEvidence(bad), /`tsc -p \.` exited 2\.\n.*TS7006/);

  const fixed = { path: "src/sum.ts", content: "export function sum(xs: number[]): number { return xs.reduce((a, b) => a + b, 0); }\n" };
  const good = await runCommandCheck({ spec, attachments: [tsconfig, original], artifacts: [fixed] });
  assert.equal(good.passed, true, good.run?.stdout);
  assert.equal(good.run?.exitCode, 0);
  assert.deepEqual(good.artifacts, ["src/sum.ts"]);
});

test("check files reach only the check's workspace; a failing setup fails the check before the command", { skip }, async () => {
  const hidden = { path: "test.mjs", content: "import { readFileSync } from 'node:fs'; process.exit(readFileSync('answer.txt', 'utf8').trim() === '42' ? 0 : 1);\n" };
  const right = await runCommandCheck({ spec: { kind: "command", run: ["node", "test.mjs"], checkFiles: [hidden] }, attachments: [], artifacts: [{ path: "answer.txt", content: "42\n" }] });
  assert.equal(right.passed, true, right.run?.stderr);
  const wrong = await runCommandCheck({ spec: { kind: "command", run: ["node", "test.mjs"], checkFiles: [hidden] }, attachments: [], artifacts: [{ path: "answer.txt", content: "41\n" }] });
  assert.equal(wrong.passed, false);
  assert.equal(wrong.run?.exitCode, 1);
  const setup = await runCommandCheck({ spec: { kind: "command", run: ["true"], setup: [["sh", "-c", "echo no >&2; exit 5"]] }, attachments: [], artifacts: [] });
  assert.equal(setup.passed, false);
  assert.equal(setup.run, null);
  assert.equal(setup.setup[0]?.exitCode, 5);
});

test("without a sandbox the check is refused with the reason", async () => {
  const o = await runCommandCheck({ spec: { kind: "command", run: ["true"] }, attachments: [], artifacts: [], availability: { kind: "none", reason: "bubblewrap is not installed" } });
  assert.equal(o.passed, false);
  assert.match(o.refused ?? "", /bubblewrap is not installed/);
});
