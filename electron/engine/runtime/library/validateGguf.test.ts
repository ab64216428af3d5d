import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, mkdtemp, readFile, rm, truncate, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { writeBrokenGguf, BROKEN_KINDS, type BrokenKind } from "../../../../models/gguf/brokenGguf.js";
import { writeLlamaGguf } from "../../../../models/gguf/llamaGguf.js";
import { PRESETS } from "../../../../models/gguf/presets.js";
import { hasRealTestModel, STORIES_260K_PATH } from "../../../../models/test/testModels.js";
import type { ModelFileErrorCode } from "../../../../shared/library.js";
import { isModelFileError } from "./test/isModelFileError.js";
import { validateGguf } from "./validateGguf.js";
import { fingerprintFile } from "./fingerprint.js";
import { inspectGguf } from "./inspectGguf.js";

const dir = await mkdtemp(join(tmpdir(), "conclave-validate-"));
test.after(() => rm(dir, { recursive: true, force: true }));
const valid = join(dir, "valid.gguf");
const { bytesWritten: validSize } = await writeLlamaGguf(valid, PRESETS.tiny);

async function codeOf(path: string): Promise<ModelFileErrorCode | "ok"> {
  try {
    await validateGguf(path);
    return "ok";
  } catch (error) {
    assert.ok(isModelFileError(error), `expected a ModelFileError, got ${String(error)}`);
    return error.code;
  }
}

/** A minimal GGUF v3 file with no keys and one tensor of `type`/`dims`, followed by `dataBytes` bytes. */
function handMadeGguf(type: number, dims: number[], dataBytes: number): Buffer {
  const name = Buffer.from("t.weight");
  const head = Buffer.alloc(4 + 4 + 8 + 8 + 8 + name.length + 4 + 8 * dims.length + 4 + 8);
  let o = head.write("GGUF", 0, "latin1");
  o = head.writeUInt32LE(3, o);
  o = head.writeBigUInt64LE(1n, o);
  o = head.writeBigUInt64LE(0n, o);
  o = head.writeBigUInt64LE(BigInt(name.length), o);
  o += name.copy(head, o);
  o = head.writeUInt32LE(dims.length, o);
  for (const d of dims) o = head.writeBigUInt64LE(BigInt(d), o);
  o = head.writeUInt32LE(type, o);
  head.writeBigUInt64LE(0n, o);
  const padded = Math.ceil(head.length / 32) * 32;
  return Buffer.concat([head, Buffer.alloc(padded - head.length), Buffer.alloc(dataBytes, 0x11)]);
}

test("valid generated files pass and return their parsed header", async () => {
  const s = await validateGguf(valid);
  assert.equal(s.architecture, "llama");
  assert.equal(s.sizeBytes, validSize);
  assert.equal(s.tensors.length, 3 + 9 * PRESETS.tiny.layers);
  assert.equal(s.keys.get("tokenizer.ggml.tokens")?.count, 512);
});

test("the real stories260K file passes", { skip: !(await hasRealTestModel()) && "no ../shared/models" }, async () => {
  assert.equal((await validateGguf(STORIES_260K_PATH)).architecture, "llama");
});

test("every broken kind gives its own code and a message naming the file", async () => {
  const expected: Record<BrokenKind, ModelFileErrorCode> = {
    "missing-key": "missing-key",
    truncated: "truncated",
    garbage: "not-gguf",
    "unsupported-architecture": "unsupported-architecture",
    empty: "not-gguf",
    "bad-version": "unsupported-version",
    "implausible-value": "corrupt",
  };
  for (const kind of BROKEN_KINDS) {
    const path = join(dir, `broken-${kind}.gguf`);
    await writeBrokenGguf(path, kind);
    await assert.rejects(validateGguf(path), (error: unknown) => {
      assert.ok(isModelFileError(error, expected[kind]), `${kind}: ${String(error)}`);
      assert.match(error.message, new RegExp(`broken-${kind}\\.gguf`));
      return true;
    });
  }
});

test("a file one byte short of its last tensor is truncated; the exact length is fine", async () => {
  const path = join(dir, "cut.gguf");
  await writeFile(path, await readFile(valid));
  await truncate(path, validSize - 1);
  await assert.rejects(validateGguf(path), /is truncated: .* 1 byte short/);
});

test("truncation is computed for quantized block types too", async () => {
  // [type id, dims, bytes]: Q4_K 2 rows of 512 = 2*2*144; Q8_0 = 64/32*34; Q6_K = 210; IQ4_XS = 136.
  const cases: [number, number[], number][] = [[12, [512, 2], 576], [8, [64], 68], [14, [256], 210], [23, [256, 1], 136]];
  for (const [type, dims, bytes] of cases) {
    const path = join(dir, `q${type}.gguf`);
    await writeFile(path, handMadeGguf(type, dims, bytes));
    assert.equal(await codeOf(path), "missing-key", `type ${type}: complete data, so only the missing keys remain`);
    await writeFile(path, handMadeGguf(type, dims, bytes - 1));
    assert.equal(await codeOf(path), "truncated", `type ${type} one byte short`);
  }
  const odd = join(dir, "odd.gguf");
  await writeFile(odd, handMadeGguf(12, [100], 1000));
  assert.equal(await codeOf(odd), "corrupt", "a Q4_K row of 100 is not a whole number of 256-blocks");
});

test("each required llama key, when missing, is named in the error", async () => {
  const keys = [
    "llama.context_length", "llama.embedding_length", "llama.block_count", "llama.feed_forward_length",
    "llama.attention.head_count", "llama.attention.layer_norm_rms_epsilon", "tokenizer.ggml.model", "tokenizer.ggml.tokens",
    "general.architecture",
  ];
  for (const key of keys) {
    const path = join(dir, "missing.gguf");
    await writeBrokenGguf(path, "missing-key", { missingKey: key });
    await assert.rejects(validateGguf(path), (error: unknown) => isModelFileError(error, "missing-key") && error.message.includes(`"${key}"`));
  }
});

test("missing files, directories and vision projectors are refused plainly", async () => {
  assert.equal(await codeOf(join(dir, "nope.gguf")), "missing-file");
  await mkdir(join(dir, "folder.gguf"));
  assert.equal(await codeOf(join(dir, "folder.gguf")), "unreadable");
  const clip = join(dir, "mmproj.gguf");
  await writeBrokenGguf(clip, "unsupported-architecture", { architecture: "clip" });
  await assert.rejects(validateGguf(clip), /vision projector/);
});

test("never hangs or crashes: every header cut point and random header corruption ends in ok or a ModelFileError", async () => {
  const bytes = await readFile(valid);
  const { dataOffset } = await validateGguf(valid);
  const path = join(dir, "fuzz.gguf");
  for (let cut = 0; cut < dataOffset; cut += 97) {
    await writeFile(path, bytes.subarray(0, cut));
    const code = await codeOf(path);
    assert.ok(code === "truncated" || code === "not-gguf", `cut at ${cut}: ${code}`);
  }
  let seed = 12345;
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const codes = new Set<string>();
  for (let i = 0; i < 300; i++) {
    const copy = Buffer.from(bytes);
    for (let j = 0; j < 4; j++) copy[4 + Math.floor(rand() * (dataOffset - 4))] = Math.floor(rand() * 256);
    // Also hit the count and length fields at the very start of the header.
    if (i % 3 === 0) copy.writeBigUInt64LE(BigInt(Math.floor(rand() * 2 ** 53)), 8 + 8 * (i % 2));
    await writeFile(path, copy);
    codes.add(await codeOf(path));
  }
  assert.ok(codes.has("corrupt") && codes.has("truncated"), `saw ${[...codes].join(", ")}`);
});

test("a FIFO, a character device and a directory are refused by type, without blocking", async () => {
  const fifo = join(dir, "pipe.gguf");
  const made = spawnSync("mkfifo", [fifo]);
  assert.equal(made.status, 0, String(made.stderr));
  // No writer ever opens this FIFO: a plain open or read of it would block for good.
  await assert.rejects(validateGguf(fifo), (error: unknown) => isModelFileError(error, "unreadable") && /pipe\.gguf .*a FIFO \(named pipe\), not a regular file/.test(error.message));
  await assert.rejects(fingerprintFile(fifo), (error: unknown) => isModelFileError(error, "unreadable"));
  await assert.rejects(inspectGguf(fifo), (error: unknown) => isModelFileError(error, "unreadable"));
  await assert.rejects(validateGguf("/dev/null"), (error: unknown) => isModelFileError(error, "unreadable") && /a character device/.test(error.message));
  await mkdir(join(dir, "models.gguf"), { recursive: true });
  await assert.rejects(validateGguf(join(dir, "models.gguf")), (error: unknown) => isModelFileError(error, "unreadable") && /a directory/.test(error.message));
});

test("header values beyond any real model's are refused, naming the key and the value", async () => {
  const cases: [string, number][] = [
    ["llama.block_count", 4_000_000_000],
    ["llama.attention.head_count", 1_000_000],
    ["llama.attention.head_count_kv", 70_000],
    ["llama.embedding_length", 10_000_000],
    ["llama.feed_forward_length", 2 ** 40],
    ["llama.context_length", 2 ** 31],
    ["llama.vocab_size", 50_000_000],
  ];
  for (const [key, value] of cases) {
    const path = join(dir, "implausible.gguf");
    await writeBrokenGguf(path, "implausible-value", { implausible: { key, value } });
    await assert.rejects(validateGguf(path), (error: unknown) => {
      assert.ok(isModelFileError(error, "corrupt"), String(error));
      assert.ok(error.message.includes(`"${key}" = ${value}`), error.message);
      return true;
    });
  }
  // Counts in the header's own structure are bounded the same way, before anything is allocated.
  const tensors = join(dir, "tensors.gguf");
  const bytes = Buffer.from(await readFile(valid));
  bytes.writeBigUInt64LE(5_000_000n, 8);
  await writeFile(tensors, bytes);
  await assert.rejects(validateGguf(tensors), /tensor count 5000000 is beyond any real model's \(at most 65536\)/);
  // The real bounds leave real files alone.
  assert.equal((await validateGguf(valid)).architecture, "llama");
});
