import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { readGgufFileInfo } from "node-llama-cpp";
import { brokenModel, generatedModel, hasRealTestModel, realTestModel, REPO_ROOT, scriptedModel, STORIES_260K_PATH } from "./testModels.js";

const cache = await mkdtemp(join(tmpdir(), "conclave-model-cache-"));
process.env.CONCLAVE_MODEL_CACHE = cache;
test.after(() => rm(cache, { recursive: true, force: true }));

async function parameterCount(path: string): Promise<number> {
  const info = await readGgufFileInfo(path, { logWarnings: false });
  return (info.tensorInfo ?? []).reduce((sum, t) => sum + t.dimensions.reduce<number>((a, b) => a * Number(b), 1), 0);
}

test("stories260K is found relative to the repo root, not the cwd", async () => {
  assert.equal(STORIES_260K_PATH, join(REPO_ROOT, "..", "shared", "models", "stories260K.gguf"));
  const path = await realTestModel();
  if (await hasRealTestModel()) assert.equal(path, STORIES_260K_PATH);
  else assert.ok(path.startsWith(cache));
});

test("the generated stand-in for stories260K has the same shape and parameter count", async () => {
  const path = await generatedModel("stories260k");
  assert.equal(await parameterCount(path), 292_800);
  if (await hasRealTestModel()) assert.equal(await parameterCount(STORIES_260K_PATH), 292_800);
});

test("generated models are cached by their options; concurrent callers get one complete file", async () => {
  const options = { vocabSize: 300, dim: 32, layers: 1, heads: 2, ff: 64, seed: 9 };
  const paths = await Promise.all([generatedModel(options), generatedModel(options), generatedModel({ ...options })]);
  assert.equal(new Set(paths).size, 1);
  assert.notEqual(await generatedModel({ ...options, seed: 10 }), paths[0]);
  assert.equal(await generatedModel("tiny"), await generatedModel("tiny"));
  assert.deepEqual((await readdir(cache)).filter((f) => f.endsWith(".tmp")), []);
});

test("separate processes generating the same model at once never expose a partial file", async () => {
  const script = `import { generatedModel } from ${JSON.stringify(fileURLToPath(new URL("./testModels.ts", import.meta.url)))};
    console.log(await generatedModel({ vocabSize: 2048, dim: 256, layers: 2, heads: 4, ff: 512, seed: 3 }));`;
  const run = () => promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { env: { ...process.env, CONCLAVE_MODEL_CACHE: cache } });
  const [a, b] = await Promise.all([run(), run()]);
  assert.equal(a.stdout.trim(), b.stdout.trim());
  assert.equal(await parameterCount(a.stdout.trim()), 2048 * 256 * 2 + 256 + 2 * (512 + 4 * 256 * 256 + 3 * 256 * 512));
  assert.deepEqual((await readdir(cache)).filter((f) => f.endsWith(".tmp")), []);
});

test("broken fixtures are cached too", async () => {
  const a = await brokenModel("truncated", { cutBytes: 3 });
  assert.equal(await brokenModel("truncated", { cutBytes: 3 }), a);
  assert.notEqual(await brokenModel("truncated", { cutBytes: 4 }), a);
});

test("scripted models are cached by script and template, in the model cache", async () => {
  const [a, b] = await Promise.all([scriptedModel("Hello there."), scriptedModel("Hello there.", { template: "chatml" })]);
  assert.equal(a, b);
  assert.ok(a.startsWith(cache));
  assert.notEqual(await scriptedModel("Hello there.", { template: "llama3" }), a);
  assert.notEqual(await scriptedModel("Hello there!"), a);
  const info = await readGgufFileInfo(a, { logWarnings: false });
  assert.equal(info.metadata.tokenizer.ggml.model, "gpt2");
  assert.deepEqual((await readdir(cache)).filter((f) => f.endsWith(".tmp")), []);
});
