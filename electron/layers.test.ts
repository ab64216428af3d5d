/** The layering lint refuses what each layer may not import, and lets through what it may. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ESLint } from "eslint";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

async function messages(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === "layers/allowed-imports").map((m) => m.message);
}

test("each layer imports only what its allow-list names", async () => {
  assert.match((await messages("electron/engine/x.ts", 'import { a } from "../host/dispatcher.js"; export { a };'))[0] ?? "", /engine may import only engine, shared, models/);
  assert.match((await messages("renderer/src/x.ts", 'import { b } from "../../electron/engine/Engine.js"; export { b };'))[0] ?? "", /renderer may import only renderer, shared/);
  assert.match((await messages("shared/x.ts", 'import fs from "node:fs"; export { fs };'))[0] ?? "", /no Node built-in/);
  assert.match((await messages("electron/host/x.ts", 'import { app } from "electron"; export { app };'))[0] ?? "", /Only electron\/shell may import electron/);
  assert.deepEqual(await messages("electron/host/x.ts", 'import { createEngine } from "../engine/createEngine.js"; export { createEngine };'), []);
  assert.deepEqual(await messages("electron/shell/x.ts", 'import { app } from "electron"; export { app };'), []);
});
