import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeBrokenGguf } from "../../../../models/gguf/brokenGguf.js";
import { writeLlamaGguf } from "../../../../models/gguf/llamaGguf.js";
import { PRESETS } from "../../../../models/gguf/presets.js";
import { ModelScanEntry } from "../../../../shared/library.js";
import { scanModelsDir } from "./scanModelsDir.js";

const dir = await mkdtemp(join(tmpdir(), "conclave-scan-"));
test.after(() => rm(dir, { recursive: true, force: true }));

test("finds models recursively, reporting each bad file on its own", async () => {
  await mkdir(join(dir, "nested", "deeper"), { recursive: true });
  await writeLlamaGguf(join(dir, "a-good.gguf"), PRESETS.tiny);
  await writeLlamaGguf(join(dir, "nested", "deeper", "b-good.GGUF"), { ...PRESETS.tiny, chatTemplate: true });
  await writeBrokenGguf(join(dir, "nested", "c-truncated.gguf"), "truncated");
  await writeBrokenGguf(join(dir, "d-garbage.gguf"), "garbage");
  await writeBrokenGguf(join(dir, "e-missing.gguf"), "missing-key");
  await writeFile(join(dir, "notes.txt"), "not a model");
  await writeFile(join(dir, "half.gguf.ipull"), "a download in progress");
  // Part 2 of a split model is opened through part 1, so it is not listed on its own.
  await writeBrokenGguf(join(dir, "f-00002-of-00002.gguf"), "garbage");

  const entries = await scanModelsDir(dir);
  for (const e of entries) ModelScanEntry.parse(e);
  const summary = entries.map((e) => [e.path.slice(dir.length + 1), e.ok ? "ok" : e.error.code]);
  assert.deepEqual(summary, [
    ["a-good.gguf", "ok"],
    ["d-garbage.gguf", "not-gguf"],
    ["e-missing.gguf", "missing-key"],
    [join("nested", "c-truncated.gguf"), "truncated"],
    [join("nested", "deeper", "b-good.GGUF"), "ok"],
  ]);
  const good = entries[4];
  assert.ok(good?.ok);
  assert.equal(good.identity.hasChatTemplate, true);
  const bad = entries[1];
  assert.ok(bad && !bad.ok);
  assert.match(bad.error.message, /d-garbage\.gguf is not a GGUF model file/);
});

test("a folder that does not exist holds no models", async () => {
  assert.deepEqual(await scanModelsDir(join(dir, "missing")), []);
});
