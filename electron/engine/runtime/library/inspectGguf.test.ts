import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { llamaParameterCount, resolveLlamaGgufOptions, writeLlamaGguf } from "../../../../models/gguf/llamaGguf.js";
import { PRESETS } from "../../../../models/gguf/presets.js";
import { hasRealTestModel, STORIES_260K_PATH } from "../../../../models/test/testModels.js";
import { ModelIdentity } from "../../../../shared/slots.js";
import { isModelFileError } from "./test/isModelFileError.js";
import { fileTypeName, inspectGguf } from "./inspectGguf.js";

const dir = await mkdtemp(join(tmpdir(), "conclave-inspect-"));
test.after(() => rm(dir, { recursive: true, force: true }));

test("identity of a generated model matches what was written", async () => {
  const options = { ...PRESETS["tiny-chat"], tensorType: "F16" as const, contextLength: 4096, name: "Tiny Chat" };
  const path = join(dir, "tiny-chat.gguf");
  const { bytesWritten } = await writeLlamaGguf(path, options);
  const id = await inspectGguf(path);
  assert.deepEqual(ModelIdentity.parse(id), id);
  assert.equal(id.path, path);
  assert.equal(id.fileName, "tiny-chat.gguf");
  assert.equal(id.name, "Tiny Chat");
  assert.equal(id.sizeBytes, bytesWritten);
  assert.equal(id.architecture, "llama");
  assert.equal(id.parameterCount, llamaParameterCount(resolveLlamaGgufOptions(options)));
  assert.equal(id.quantization, "F16");
  assert.equal(id.trainContextSize, 4096);
  assert.equal(id.vocabSize, 512);
  assert.equal(id.hasChatTemplate, true);
});

test("the real stories260K model", { skip: !(await hasRealTestModel()) && "no ../shared/models" }, async () => {
  const id = await inspectGguf(STORIES_260K_PATH);
  assert.deepEqual(
    { ...id, fingerprint: id.fingerprint.slice(0, 4) },
    {
      path: STORIES_260K_PATH, fileName: "stories260K.gguf", name: "llama", sizeBytes: 1_185_376, fingerprint: "fp1:",
      architecture: "llama", parameterCount: 292_800, quantization: "F32", trainContextSize: 2048, vocabSize: 512, hasChatTemplate: false,
    },
  );
});

test("the fingerprint follows content, not path; name falls back to the file name; quantization to the tensors", async () => {
  const a = join(dir, "a.gguf");
  await writeLlamaGguf(a, { ...PRESETS.tiny, omitKeys: ["general.name", "general.file_type"], tensorType: "F16" });
  const b = join(dir, "b.gguf");
  await copyFile(a, b);
  const [ia, ib] = [await inspectGguf(a), await inspectGguf(b)];
  assert.equal(ia.fingerprint, ib.fingerprint);
  assert.equal(ia.name, "a");
  assert.equal(ia.quantization, "F16", "dominant matrix type when general.file_type is absent");
  assert.equal(ia.hasChatTemplate, false);

  const bytes = await readFile(b);
  bytes.writeUInt8(bytes.readUInt8(bytes.length - 5) ^ 0xff, bytes.length - 5); // one weight byte
  await writeFile(b, bytes);
  assert.notEqual((await inspectGguf(b)).fingerprint, ia.fingerprint);
});

test("file types map to the usual quantization labels", () => {
  assert.equal(fileTypeName(0), "F32");
  assert.equal(fileTypeName(1), "F16");
  assert.equal(fileTypeName(15), "Q4_K_M");
  assert.equal(fileTypeName(7), "Q8_0");
  assert.equal(fileTypeName(9999), null);
});

test("invalid files are rejected with the validation error, even after random header damage", async () => {
  await assert.rejects(inspectGguf(join(dir, "none.gguf")), (e: unknown) => isModelFileError(e, "missing-file"));
  const src = join(dir, "fuzz-src.gguf");
  const { dataOffset } = await writeLlamaGguf(src, PRESETS.tiny);
  const bytes = await readFile(src);
  const path = join(dir, "fuzz.gguf");
  let seed = 99;
  const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let i = 0; i < 150; i++) {
    const copy = Buffer.from(bytes);
    for (let j = 0; j < 3; j++) copy[24 + Math.floor(rand() * (dataOffset - 24))] = Math.floor(rand() * 256);
    await writeFile(path, copy);
    try {
      ModelIdentity.parse(await inspectGguf(path));
    } catch (error) {
      assert.ok(isModelFileError(error), `iteration ${i}: ${String(error)}`);
    }
  }
});
