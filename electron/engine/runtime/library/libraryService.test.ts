import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore } from "../../data/store/sessionStore.js";
import { libraryService } from "./libraryService.js";
import { brokenModel, realTestModel } from "../../../../models/test/testModels.js";

test("broken files added to the library say so, and any row can be taken off the list without deleting its file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "conclave-library-"));
  const store = openStore(join(dir, "c.db"));
  try {
    const modelsDir = join(dir, "models");
    const added = join(dir, "added");
    await mkdir(modelsDir);
    await mkdir(added);
    await copyFile(await realTestModel(), join(modelsDir, "good.gguf"));
    await copyFile(await brokenModel("truncated"), join(added, "truncated.gguf"));
    await copyFile(await brokenModel("garbage"), join(added, "garbage.gguf"));
    const library = libraryService(store, () => modelsDir);

    const result = await library.addPath(added);
    assert.equal(result.length, 2);
    assert.ok(result.every((m) => m.identity === null && m.error), "both files are reported unusable, with the reason");

    const refs = async () => (await library.list()).models.map((m) => m.ref).sort();
    assert.deepEqual(await refs(), [join(added, "garbage.gguf"), join(added, "truncated.gguf"), join(modelsDir, "good.gguf")]);
    // A broken file inside an added folder, and a good one in the models folder, both come off.
    await library.remove(join(added, "garbage.gguf"));
    await library.remove(join(modelsDir, "good.gguf"));
    assert.deepEqual(await refs(), [join(added, "truncated.gguf")]);
    await assert.rejects(library.remove(join(dir, "never-listed.gguf")), /no model .*never-listed\.gguf in the library/);
    // Adding the folder again brings its files back.
    await library.addPath(added);
    assert.deepEqual(await refs(), [join(added, "garbage.gguf"), join(added, "truncated.gguf")]);
  } finally {
    store.close();
    await rm(dir, { recursive: true, force: true });
  }
});
