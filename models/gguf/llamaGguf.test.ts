import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ChatMLChatWrapper, getLlama, LlamaLogLevel, readGgufFileInfo, resolveChatWrapper, type Llama, type Token } from "node-llama-cpp";
import { llamaParameterCount, resolveLlamaGgufOptions, writeLlamaGguf, type LlamaGgufOptions } from "./llamaGguf.js";
import { PRESETS } from "./presets.js";

const dir = await mkdtemp(join(tmpdir(), "conclave-llama-gguf-"));
let llamaPromise: Promise<Llama> | null = null;
function llama(): Promise<Llama> {
  llamaPromise ??= getLlama({ build: "never", gpu: false, logLevel: LlamaLogLevel.error }).then((l) => {
    l.maxThreads = Math.max(1, Math.min(2, l.cpuMathCores));
    return l;
  });
  return llamaPromise;
}

async function tensorElements(path: string): Promise<number> {
  const info = await readGgufFileInfo(path, { logWarnings: false });
  return (info.tensorInfo ?? []).reduce((sum, t) => sum + t.dimensions.reduce<number>((a, b) => a * Number(b), 1), 0);
}

/** Load `path`, greedily generate `n` tokens from a prompt, and return them with the model's chat wrapper. */
async function loadAndGenerate(path: string, n: number): Promise<{ tokens: Token[]; text: string; wrapper: unknown; trainContextSize: number }> {
  const model = await (await llama()).loadModel({ modelPath: path });
  try {
    const context = await model.createContext({ contextSize: 256 });
    const sequence = context.getSequence();
    const tokens: Token[] = [];
    for await (const token of sequence.evaluate(model.tokenize("Once upon a time"), { temperature: 0 })) {
      tokens.push(token);
      if (tokens.length >= n) break;
    }
    const text = model.detokenize(tokens);
    await context.dispose();
    return { tokens, text, wrapper: resolveChatWrapper(model), trainContextSize: model.trainContextSize };
  } finally {
    await model.dispose();
  }
}

test.after(async () => {
  await rm(dir, { recursive: true, force: true });
  if (llamaPromise) await (await llamaPromise).dispose();
});

test("parameter count of the written file matches the requested dimensions", async () => {
  const cases: LlamaGgufOptions[] = [
    PRESETS.tiny,
    { vocabSize: 300, dim: 48, layers: 3, heads: 6, kvHeads: 2, ff: 100, tieEmbeddings: true },
    { vocabSize: 1000, dim: 128, layers: 1, heads: 2, ff: 256, tensorType: "F16" },
  ];
  for (const [i, options] of cases.entries()) {
    const path = join(dir, `count-${i}.gguf`);
    const result = await writeLlamaGguf(path, options);
    const r = resolveLlamaGgufOptions(options);
    const headDim = r.dim / r.heads;
    const expected = r.vocabSize * r.dim * (r.tieEmbeddings ? 1 : 2) + r.dim +
      r.layers * (2 * r.dim + 2 * r.dim * r.heads * headDim + 2 * r.dim * r.kvHeads * headDim + 3 * r.dim * r.ff);
    assert.equal(result.parameterCount, expected);
    assert.equal(llamaParameterCount(r), expected);
    assert.equal(await tensorElements(path), expected);
  }
});

test("a generated F32 model with ChatML loads, picks the ChatML wrapper and generates tokens", async () => {
  const path = join(dir, "chat.gguf");
  await writeLlamaGguf(path, { ...PRESETS["tiny-chat"], contextLength: 1024 });
  const { tokens, wrapper, trainContextSize } = await loadAndGenerate(path, 12);
  assert.equal(tokens.length, 12);
  assert.ok(wrapper instanceof ChatMLChatWrapper, "ChatML template + control tokens select node-llama-cpp's ChatML wrapper");
  assert.equal(trainContextSize, 1024);
});

test("an F16 model loads and generates the same greedy tokens for the same seed", async () => {
  const options: LlamaGgufOptions = { ...PRESETS.tiny, tensorType: "F16", seed: 42 };
  const a = join(dir, "f16-a.gguf");
  const b = join(dir, "f16-b.gguf");
  const ra = await writeLlamaGguf(a, options);
  await writeLlamaGguf(b, options);
  const f32 = await writeLlamaGguf(join(dir, "f32.gguf"), { ...options, tensorType: "F32" });
  assert.ok(ra.bytesWritten < f32.bytesWritten * 0.6, "F16 matrices take half the bytes");
  const sha = async (p: string) => createHash("sha256").update(await readFile(p)).digest("hex");
  assert.equal(await sha(a), await sha(b), "same options and seed give identical files");
  const [ga, gb] = [await loadAndGenerate(a, 8), await loadAndGenerate(b, 8)];
  assert.equal(ga.tokens.length, 8);
  assert.deepEqual(ga.tokens, gb.tokens);
});

test("different seeds and the closed-form pattern give different weights", async () => {
  const sha = async (options: LlamaGgufOptions, name: string) => {
    const p = join(dir, name);
    await writeLlamaGguf(p, options);
    return createHash("sha256").update(await readFile(p)).digest("hex");
  };
  const s1 = await sha({ ...PRESETS.tiny, seed: 1 }, "s1.gguf");
  const s2 = await sha({ ...PRESETS.tiny, seed: 2 }, "s2.gguf");
  const p1 = await sha({ ...PRESETS.tiny, weights: "pattern" }, "p1.gguf");
  const p2 = await sha({ ...PRESETS.tiny, weights: "pattern" }, "p2.gguf");
  assert.notEqual(s1, s2);
  assert.notEqual(s1, p1);
  assert.equal(p1, p2);
  const { tokens } = await loadAndGenerate(join(dir, "p1.gguf"), 4);
  assert.equal(tokens.length, 4);
});

test("a tokenizer copied from a template GGUF keeps its vocab and all tokenizer keys", async () => {
  // The template is itself generated, so this runs without ../shared; stories260K is used the same way.
  const template = join(dir, "template.gguf");
  await writeLlamaGguf(template, { ...PRESETS.tiny, vocabSize: 400 });
  const copy = join(dir, "copy.gguf");
  const result = await writeLlamaGguf(copy, { dim: 32, layers: 1, heads: 2, ff: 64, tokenizerTemplate: template, chatTemplate: true });
  assert.equal(result.vocabSize, 402, "the template's 400 tokens plus the two ChatML control tokens");
  const [t, c] = [await readGgufFileInfo(template, { logWarnings: false }), await readGgufFileInfo(copy, { logWarnings: false })];
  const { chat_template: chatTemplate, ggml } = c.metadata.tokenizer;
  assert.deepEqual(ggml.tokens.slice(0, 400), t.metadata.tokenizer.ggml.tokens);
  assert.deepEqual(ggml.tokens.slice(400), ["<|im_start|>", "<|im_end|>"]);
  assert.deepEqual(ggml.scores?.slice(0, 400).map((s) => Math.fround(s)), t.metadata.tokenizer.ggml.scores?.map((s) => Math.fround(s)));
  assert.equal(ggml.bos_token_id, t.metadata.tokenizer.ggml.bos_token_id);
  assert.equal(ggml.add_bos_token, true);
  assert.match(String(chatTemplate), /<\|im_start\|>/);
  const { tokens, wrapper } = await loadAndGenerate(copy, 5);
  assert.equal(tokens.length, 5);
  assert.ok(wrapper instanceof ChatMLChatWrapper);
});

test("dimensions that cannot form a model are refused before writing", () => {
  assert.throws(() => resolveLlamaGgufOptions({ dim: 65, layers: 1, heads: 4, ff: 8 }), /divisible by heads/);
  assert.throws(() => resolveLlamaGgufOptions({ dim: 64, layers: 1, heads: 4, kvHeads: 3, ff: 8 }), /kvHeads/);
  assert.throws(() => resolveLlamaGgufOptions({ dim: 12, layers: 1, heads: 4, ff: 8 }), /even/);
  assert.throws(() => resolveLlamaGgufOptions({ dim: 64, layers: 0, heads: 4, ff: 8 }), /layers/);
});
