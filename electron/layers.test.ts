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

test("the host, CLI and shell reach the engine only through its façade", async () => {
  for (const from of ["electron/host/x.ts", "electron/cli/x.ts", "electron/shell/x.ts"]) {
    const internal = await messages(from, 'import { openStore } from "../engine/store/sessionStore.js"; export { openStore };');
    assert.match(internal[0] ?? "", /may import only .*facade.*engine \(past its façade\)/, from);
    for (const door of ["Engine", "createEngine", "openEngineStore", "engineTools"]) {
      assert.deepEqual(await messages(from, `import * as d from "../engine/${door}.js"; export { d };`), [], `${from} → ${door}`);
    }
  }
  // Their tests may look inside the engine (its parts and test support).
  assert.deepEqual(await messages("electron/host/x.test.ts", 'import { engineParts } from "../engine/engineParts.js"; export { engineParts };'), []);
  // The engine itself is unchanged: any of its files may import any other.
  assert.deepEqual(await messages("electron/engine/x.ts", 'import { openStore } from "./store/sessionStore.js"; export { openStore };'), []);
});

