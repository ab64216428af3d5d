import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readGgufFileInfo } from "node-llama-cpp";
import { writeBrokenGguf } from "./brokenGguf.js";
import { writeLlamaGguf } from "./llamaGguf.js";
import { PRESETS } from "./presets.js";

const dir = await mkdtemp(join(tmpdir(), "conclave-broken-"));
test.after(() => rm(dir, { recursive: true, force: true }));

test("each broken kind has exactly its defect (headers only: these files are never loaded)", async () => {
  const valid = join(dir, "valid.gguf");
  const { bytesWritten } = await writeLlamaGguf(valid, PRESETS.tiny);

  const truncated = join(dir, "truncated.gguf");
  await writeBrokenGguf(truncated, "truncated", { cutBytes: 1 });
  assert.equal((await stat(truncated)).size, bytesWritten - 1);

  const missing = join(dir, "missing.gguf");
  await writeBrokenGguf(missing, "missing-key", { missingKey: "llama.attention.head_count" });
  const info = await readGgufFileInfo(missing, { logWarnings: false });
  assert.equal(info.metadata.llama?.attention?.head_count, undefined);
  assert.equal(info.metadata.llama?.feed_forward_length, PRESETS.tiny.ff);

  const arch = join(dir, "arch.gguf");
  await writeBrokenGguf(arch, "unsupported-architecture", { architecture: "martian" });
  const archInfo = await readGgufFileInfo(arch, { logWarnings: false });
  assert.equal(archInfo.metadata.general.architecture, "martian");
  assert.equal((archInfo.metadata as unknown as Record<string, { block_count?: number }>).martian?.block_count, PRESETS.tiny.layers);

  const garbage = join(dir, "garbage.gguf");
  await writeBrokenGguf(garbage, "garbage", { garbageBytes: 1000 });
  const g = await readFile(garbage);
  assert.equal(g.length, 1000);
  assert.notEqual(g.subarray(0, 4).toString("latin1"), "GGUF");

  const version = join(dir, "version.gguf");
  await writeBrokenGguf(version, "bad-version");
  assert.equal((await readFile(version)).readUInt32LE(4), 99);

  const empty = join(dir, "empty.gguf");
  await writeBrokenGguf(empty, "empty");
  assert.equal((await stat(empty)).size, 0);
});
