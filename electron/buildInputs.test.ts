/**
 * The app's build compiles what the app runs and no dev tool: `models/` enters `dist` only through
 * the engine's imports (the generated-model resolver and the GGUF writer it uses), so the model
 * generator CLI and the broken-GGUF writer stay source-only, run through tsx.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

function buildInputs(): string[] {
  const configPath = ts.findConfigFile(ROOT, ts.sys.fileExists, "tsconfig.build.json");
  assert.ok(configPath, "tsconfig.build.json not found");
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(ts.flattenDiagnosticMessageText(d.messageText, "\n")) });
  assert.ok(config, "tsconfig.build.json did not parse");
  const program = ts.createProgram({ rootNames: config.fileNames, options: { ...config.options, noEmit: true } });
  return program
    .getSourceFiles()
    .map((f) => relative(ROOT, f.fileName).split("\\").join("/"))
    .filter((f) => !f.startsWith("..") && !f.startsWith("node_modules/"));
}

test("the build compiles the engine's model code but not the dev tools", () => {
  const inputs = buildInputs();
  assert.ok(inputs.includes("models/generatedModels.ts"), "the engine's generated-model resolver is missing from the build");
  for (const devTool of ["models/generate.ts", "models/gguf/brokenGguf.ts"]) assert.ok(!inputs.includes(devTool), `${devTool} compiles into dist`);
  const testFiles = inputs.filter((f) => f.endsWith(".test.ts") || f.includes("/test/"));
  assert.deepEqual(testFiles, [], "test files compile into dist");
});
