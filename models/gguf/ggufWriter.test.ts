import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readGgufFileInfo } from "node-llama-cpp";
import { writeGguf, type GgufKv } from "./ggufWriter.js";
import { float16BitsToNumber } from "./float16.js";

test("writes every value type, aligned tensors and exact data, readable by node-llama-cpp", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "conclave-writer-"));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, "w.gguf");
  const kv: GgufKv[] = [
    ["general.architecture", { type: "string", value: "llama" }],
    ["test.u8", { type: "u8", value: 200 }],
    ["test.i8", { type: "i8", value: -100 }],
    ["test.u16", { type: "u16", value: 60000 }],
    ["test.i16", { type: "i16", value: -30000 }],
    ["test.u32", { type: "u32", value: 4_000_000_000 }],
    ["test.i32", { type: "i32", value: -2_000_000_000 }],
    ["test.f32", { type: "f32", value: 0.5 }],
    ["test.f64", { type: "f64", value: 1 / 3 }],
    ["test.u64", { type: "u64", value: 2n ** 60n }],
    ["test.i64", { type: "i64", value: -(2n ** 60n) }],
    ["test.bool", { type: "bool", value: true }],
    ["test.str", { type: "string", value: "héllo ▁world" }],
    ["test.strs", { type: "array", itemType: "string", values: ["a", "", "ü"] }],
    ["test.f32s", { type: "array", itemType: "f32", values: [1.5, -2] }],
    ["test.i32s", { type: "array", itemType: "i32", values: [-1, 2, 3] }],
  ];
  const big = (1 << 20) + 77; // crosses the writer's 1M-element chunk boundary
  const fills: number[] = [];
  const result = await writeGguf(path, {
    kv,
    tensors: [
      { name: "a", dims: [3], type: "F32", fill: (out, first) => { for (let i = 0; i < out.length; i++) out[i] = first + i; } },
      { name: "b", dims: [big], type: "F16", fill: (out, first) => { fills.push(first); for (let i = 0; i < out.length; i++) out[i] = ((first + i) % 1000) / 8; } },
      { name: "c", dims: [5, 2], type: "F32", fill: (out) => out.fill(-1) },
    ],
  });
  assert.deepEqual(fills, [0, 1 << 20]);

  const info = await readGgufFileInfo(path, { logWarnings: false });
  const m = info.metadata as unknown as { test: Record<string, unknown> };
  assert.equal(info.version, 3);
  assert.deepEqual(
    { ...m.test },
    {
      u8: 200, i8: -100, u16: 60000, i16: -30000, u32: 4_000_000_000, i32: -2_000_000_000, f32: 0.5, f64: 1 / 3,
      u64: 2n ** 60n, i64: -(2n ** 60n), bool: true, str: "héllo ▁world", strs: ["a", "", "ü"], f32s: [1.5, -2], i32s: [-1, 2, 3],
    },
  );
  const tensors = info.tensorInfo ?? [];
  assert.deepEqual(tensors.map((x) => [x.name, Number(x.offset) % 32, x.ggmlType]), [["a", 0, 0], ["b", 0, 1], ["c", 0, 0]]);
  assert.equal(info.infoEndOffset, result.dataOffset);

  const bytes = await readFile(path);
  const at = (name: string): number => result.dataOffset + Number(tensors.find((x) => x.name === name)?.offset);
  assert.deepEqual([0, 1, 2].map((i) => bytes.readFloatLE(at("a") + 4 * i)), [0, 1, 2]);
  for (const i of [0, 999, 1000, 1 << 20, big - 1]) assert.equal(float16BitsToNumber(bytes.readUInt16LE(at("b") + 2 * i)), (i % 1000) / 8);
  // The file ends exactly where the last tensor's data ends.
  assert.equal((await stat(path)).size, at("c") + 10 * 4);
  assert.equal(result.bytesWritten, (await stat(path)).size);
});
