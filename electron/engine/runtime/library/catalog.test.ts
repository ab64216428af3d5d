import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CatalogRole } from "../../../../shared/library.js";
import { defaultCatalogPath, loadCatalog } from "./catalog.js";
import { catalogFor } from "./test/catalogFor.js";

test("the shipped catalog is valid and covers every role on 16-64 GB Macs", async () => {
  assert.match(await defaultCatalogPath(), /models[\\/]catalog\.json$/);
  const { models } = await loadCatalog();
  assert.ok(models.length >= 10 && models.length <= 15, `${models.length} models`);
  for (const role of CatalogRole.options) {
    assert.ok(catalogFor({ version: 1, models }, { role, ramGb: 16 }).length > 0, `a 16 GB model for ${role}`);
  }
  for (const m of models) {
    assert.ok(m.minRamGb <= 64, `${m.id} fits a 64 GB machine`);
    assert.ok(m.sizeBytes < m.minRamGb * 1e9 * 0.5, `${m.id} leaves room for others within its minimum RAM`);
    if (m.quantization === "Q4_K_M") {
      const bytesPerParam = m.sizeBytes / m.parameterCount;
      assert.ok(bytesPerParam > 0.5 && bytesPerParam < 0.75, `${m.id}: ${bytesPerParam.toFixed(2)} bytes/param is plausible for Q4_K_M`);
    }
  }
});

test("filters by role and memory, smallest first", async () => {
  const catalog = await loadCatalog();
  const judges = catalogFor(catalog, { role: "judge", ramGb: 24 });
  assert.ok(judges.every((m) => m.roles.includes("judge") && m.minRamGb <= 24));
  assert.deepEqual(judges.map((m) => m.sizeBytes), [...judges.map((m) => m.sizeBytes)].sort((a, b) => a - b));
});

test("an invalid catalog file is refused with the file and the problem", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "conclave-catalog-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, "catalog.json");
  await writeFile(path, JSON.stringify({ version: 1, models: [{ id: "x", uri: "https://example.com/x.gguf" }] }));
  await assert.rejects(loadCatalog(path), (e: Error) => e.message.includes(path) && /models\.0\.uri/.test(e.message));
  await writeFile(path, "{ not json");
  await assert.rejects(loadCatalog(path), /cannot be read/);
});
