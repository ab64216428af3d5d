import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { getLlama, LlamaCompletion, readGgufFileInfo } from "node-llama-cpp";

const run = promisify(execFile);
const cli = fileURLToPath(new URL("./generate.ts", import.meta.url));
const dir = await mkdtemp(join(tmpdir(), "conclave-generate-"));
test.after(() => rm(dir, { recursive: true, force: true }));

function generate(...args: string[]) {
  // An absolute loader URL, because the cwd (a temp dir) has no node_modules to resolve "tsx" from.
  return run(process.execPath, ["--import", import.meta.resolve("tsx"), cli, ...args], { cwd: dir });
}

test("the CLI writes a model from a preset with overridden dimensions", async () => {
  const { stdout } = await generate("--out", "m.gguf", "--preset", "tiny", "--dim", "32", "--heads", "2", "--kv-heads", "1", "--type", "f16", "--chat", "--name", "cli-model");
  const result = JSON.parse(stdout) as { path: string; parameterCount: number; bytesWritten: number };
  assert.equal(result.path, join(dir, "m.gguf"));
  assert.equal((await stat(result.path)).size, result.bytesWritten);
  const info = await readGgufFileInfo(result.path, { logWarnings: false });
  assert.equal(info.metadata.general.name, "cli-model");
  assert.equal(info.metadata.general.file_type, 1);
  assert.equal(info.metadata.llama?.embedding_length, 32);
  assert.equal(info.metadata.llama?.attention?.head_count_kv, 1);
  assert.ok(typeof info.metadata.tokenizer.chat_template === "string");
});

test("the CLI writes broken files and rejects bad arguments with a message", async () => {
  await generate("--out", "bad.gguf", "--broken", "truncated");
  assert.ok((await stat(join(dir, "bad.gguf"))).size > 0);
  await assert.rejects(generate("--out", "x.gguf", "--preset", "nope"), (e: { code: number; stderr: string }) => {
    assert.equal(e.code, 1);
    assert.match(e.stderr, /unknown preset "nope"/);
    return true;
  });
  await assert.rejects(generate("--out", "x.gguf", "--dim", "30", "--heads", "4"), /not divisible by heads/);
  await assert.rejects(generate("--preset", "tiny"), (e: { code: number; stdout: string }) => e.code === 2 && /usage/.test(e.stdout));
});

test("--type q4_0 and q8_0 write ggml block-quantized files that node-llama-cpp loads and generates from", async () => {
  const llama = await getLlama({ build: "never", gpu: false });
  for (const [type, fileType, ggmlType] of [["q4_0", 2, 2], ["q8_0", 7, 8]] as const) {
    const { stdout } = await generate("--out", `${type}.gguf`, "--preset", "tiny", "--ff", "192", "--type", type, "--seed", "3");
    const result = JSON.parse(stdout) as { path: string; bytesWritten: number };
    const info = await readGgufFileInfo(result.path, { logWarnings: false });
    assert.equal(info.metadata.general.file_type, fileType);
    const matrix = info.fullTensorInfo?.find((t) => t.name === "blk.0.ffn_down.weight");
    assert.equal(Number(matrix?.ggmlType), ggmlType, `${type}: matrices are stored as ggml type ${ggmlType}`);
    assert.equal(Number(info.fullTensorInfo?.find((t) => t.name === "output_norm.weight")?.ggmlType), 0, "norms stay F32");
    const model = await llama.loadModel({ modelPath: result.path });
    try {
      const context = await model.createContext({ contextSize: 128 });
      const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
      const meter = { tokens: 0 };
      await completion.generateCompletion("a b c", { maxTokens: 6, onToken: (t) => (meter.tokens += t.length) });
      assert.ok(meter.tokens > 0, `${type}: the model generated`);
      await context.dispose();
    } finally {
      await model.dispose();
    }
  }
  await assert.rejects(generate("--out", "x.gguf", "--preset", "tiny", "--type", "q4_0"), /multiples of 32/);
  await assert.rejects(generate("--out", "x.gguf", "--type", "q5_k"), /--type must be f32, f16, q4_0 or q8_0/);
});

test("the CLI writes a scripted model from a script file and a template family", async () => {
  await writeFile(join(dir, "answer.txt"), "<think>\nShort.\n</think>\n\nYes.");
  const { stdout } = await generate("--out", "s.gguf", "--script", "answer.txt", "--template", "qwen3");
  const result = JSON.parse(stdout) as { path: string; template: string; steps: number };
  assert.equal(result.template, "qwen3");
  assert.ok(result.steps > 3);
  const info = await readGgufFileInfo(result.path, { logWarnings: false });
  assert.equal(info.metadata.general.architecture, "qwen3");
  assert.match(String(info.metadata.tokenizer.chat_template), /<think>/);
  await writeFile(join(dir, "vote.txt"), '{"type":"vote"}');
  const two = JSON.parse((await generate("--out", "two.gguf", "--script", "answer.txt", "--script", "vote.txt")).stdout) as { steps: number };
  assert.ok(two.steps > result.steps, "both scripts are in the model");
  await assert.rejects(generate("--out", "x.gguf", "--script", "answer.txt", "--template", "nope"), /unknown --template family "nope"/);
  await assert.rejects(generate("--out", "x.gguf", "--script", "missing.txt"), /cannot read --script file missing.txt: ENOENT/);
});
