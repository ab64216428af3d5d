import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getLlama, LlamaChatSession, LlamaLogLevel, readGgufFileInfo, type Llama, type LlamaContext, type LlamaModel, type Token } from "node-llama-cpp";
import { planScript, writeScriptedGguf } from "./scriptedGguf.js";
import type { ScriptTemplate } from "./templateFamilies.js";

const dir = await mkdtemp(join(tmpdir(), "conclave-scripted-gguf-"));
let llamaPromise: Promise<Llama> | null = null;
function llama(): Promise<Llama> {
  llamaPromise ??= getLlama({ build: "never", gpu: false, logLevel: LlamaLogLevel.error }).then((l) => {
    // One thread: a scripted model is a few kilobytes, and on a busy machine thread hand-offs cost
    // a hundred times the arithmetic.
    l.maxThreads = 1;
    return l;
  });
  return llamaPromise;
}
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
  if (llamaPromise) await (await llamaPromise).dispose();
});

let files = 0;
async function load(script: string | readonly string[], template: ScriptTemplate = "chatml"): Promise<LlamaModel> {
  const path = join(dir, `m${files++}.gguf`);
  await writeScriptedGguf(path, { script, template });
  return (await llama()).loadModel({ modelPath: path });
}

/**
 * Raw completion after `prompt` on a fresh sequence history; the text with special tokens spelled
 * out. node-llama-cpp ends the token iterator at an end-of-generation token, so `ended` says the
 * model stopped by itself.
 */
async function complete(
  model: LlamaModel,
  context: LlamaContext,
  prompt: string,
  sampling: { temperature: number; seed?: number; repeatPenalty?: number },
): Promise<{ text: string; ended: boolean }> {
  const sequence = context.getSequence();
  try {
    const tokens: Token[] = [];
    let ended = true;
    // The penalty punishes every token generated so far, the script's own included.
    const penalty = sampling.repeatPenalty ? { repeatPenalty: { penalty: sampling.repeatPenalty, punishTokens: () => tokens } } : {};
    for await (const token of sequence.evaluate(model.tokenize(prompt, true), { temperature: sampling.temperature, seed: sampling.seed, ...penalty })) {
      tokens.push(token);
      if (tokens.length > 2000) {
        ended = false;
        break;
      }
    }
    return { text: model.detokenize(tokens, true), ended };
  } finally {
    sequence.dispose();
  }
}

const SCRIPTS = {
  json: '{"type":"proposal","content":"Ship it \\"now\\".","referencesTo":["m1"],"confidence":0.8}',
  code: "Here:\n```ts\nconst greeting = \"héllo wörld ✓ 日本\";\nconsole.log(greeting);\n```\nDone. 🎉",
  thought: "<think>\nThe user wants a sum. 2+2=4.\n</think>\n\nThe answer is 4.",
};
const PROMPTS = ["<|im_start|>user\nWhat is 2+2?<|im_end|>\n<|im_start|>assistant\n", "Once upon a time, in a land of 12 kings, {\"x\": [1,2]} and `code`"];

test("a scripted model emits exactly its script for any prompt, greedy and sampled", async () => {
  for (const [kind, script] of Object.entries(SCRIPTS)) {
    const model = await load(script);
    const context = await model.createContext({ contextSize: 512 });
    try {
      for (const prompt of PROMPTS) {
        for (const sampling of [{ temperature: 0 }, { temperature: 1, seed: 7 }, { temperature: 1.5, seed: 99, repeatPenalty: 1.5 }]) {
          const { text, ended } = await complete(model, context, prompt, sampling);
          assert.equal(text, script, `${kind} script, prompt ${JSON.stringify(prompt.slice(0, 20))}, ${JSON.stringify(sampling)}`);
          assert.ok(ended, "the end token follows the script");
        }
      }
    } finally {
      await context.dispose();
      await model.dispose();
    }
  }
});

test("a long, repetitive script comes out whole", async () => {
  const script = "Step by step, we add one and one. ".repeat(30);
  const model = await load(script);
  const context = await model.createContext({ contextSize: 2048 });
  try {
    const { text, ended } = await complete(model, context, PROMPTS[1]!, { temperature: 0.8, seed: 21 });
    assert.equal(text, script);
    assert.ok(ended);
  } finally {
    await context.dispose();
    await model.dispose();
  }
});

test("a chat session on a scripted ChatML model answers with the script", async () => {
  const model = await load(SCRIPTS.code);
  try {
    const context = await model.createContext({ contextSize: 512 });
    const chat = new LlamaChatSession({ contextSequence: context.getSequence() });
    assert.equal(await chat.prompt("Write some code.", { temperature: 0 }), SCRIPTS.code);
    // A second turn re-evaluates a prompt that holds the first answer as text: still the script.
    assert.equal(await chat.prompt("Again, please.", { temperature: 1, seed: 3 }), SCRIPTS.code);
    await context.dispose();
  } finally {
    await model.dispose();
  }
});

test("script text is cut into unique pieces of at least two bytes; special tokens stay whole", () => {
  const plan = planScript("<think>\nabababababab\n</think>\n\nok", "qwen3");
  const steps = plan.graph.steps;
  const texts = steps.map((s) => s.text);
  assert.equal(texts.join(""), "<think>\nabababababab\n</think>\n\nok");
  assert.equal(steps[0]?.kind, "special");
  assert.ok(steps.some((s) => s.kind === "special" && s.text === "</think>"));
  const pieces = steps.flatMap((s) => (s.kind === "text" ? [s.byteLevel] : []));
  assert.equal(new Set(pieces).size, pieces.length, "no two pieces share a text");
  assert.ok(pieces.every((p) => p.length >= 2));
  assert.equal(new Set(plan.tokens).size, plan.tokens.length, "no duplicate token texts (llama.cpp aborts on them)");
});

test("scripts that cannot be scripted are refused with the reason", () => {
  assert.throws(() => planScript("<think>ab</think><think>cd</think>", "qwen3"), /special token <think> at character 17, where no earlier step leads to it/);
  assert.throws(() => planScript(["<think>ab</think>", "xy<think>ab</think>"], "qwen3"), /script 2 uses the special token <think> at character 2/);
  assert.throws(() => planScript(Array.from({ length: 10 }, (_, i) => `option ${i}`)), /more than 9 scripts part ways/);
  assert.throws(() => planScript([]), /no script given/);
  assert.throws(() => planScript("<|channel|>analysis<|message|>thinking", "harmony"), /never closes it with <\|end\|>/);
  assert.throws(() => planScript("<|channel|>analysis<|message|>thinking<|end|>", "harmony"), /no answer after it/);
  assert.throws(() => planScript(["<|channel|>analysis<|message|>hm<|end|>ok", "no"], "harmony"), /must be the only script/);
  assert.throws(() => planScript("<think>\n</think>", "qwen3"), /cannot be scripted.*lone one-byte character/);
  assert.throws(() => planScript("xy<|im_end|>zw"), /contains the end token <\|im_end\|>/);
  assert.throws(() => planScript("x", "nope" as ScriptTemplate), /unknown template family "nope"/);
});

test("an empty script answers with the end token at once", async () => {
  const model = await load("");
  try {
    const context = await model.createContext({ contextSize: 512 });
    const { text, ended } = await complete(model, context, PROMPTS[0]!, { temperature: 1, seed: 1 });
    await context.dispose();
    assert.equal(text, "");
    assert.ok(ended);
  } finally {
    await model.dispose();
  }
});

test("the file is tiny and carries the family's template and end token", async () => {
  const path = join(dir, "meta.gguf");
  const result = await writeScriptedGguf(path, { script: SCRIPTS.json, template: "llama3" });
  assert.ok(result.bytesWritten < 200_000, `${result.bytesWritten} bytes`);
  const info = await readGgufFileInfo(path, { logWarnings: false });
  assert.equal(info.metadata.tokenizer.ggml.model, "gpt2");
  assert.match(String(info.metadata.tokenizer.chat_template), /<\|start_header_id\|>/);
  const tokens = info.metadata.tokenizer.ggml.tokens;
  assert.equal(tokens[Number(info.metadata.tokenizer.ggml.eos_token_id)], "<|eot_id|>");
});

test("several scripts share their beginning; without a grammar the first wins, under one the first it allows", async () => {
  const proposal = '{"type":"proposal","content":"Use a queue.","referencesTo":[],"confidence":0.8}';
  const vote = '{"type":"vote","referencesTo":["m2"],"content":"m2 is simpler.","confidence":0.9}';
  const plan = planScript([proposal, vote]);
  const [a, b] = plan.graph.paths;
  assert.ok(a && b && a[0] === b[0], "the scripts share their first step");
  const model = await load([proposal, vote]);
  const context = await model.createContext({ contextSize: 512 });
  try {
    for (const sampling of [{ temperature: 0 }, { temperature: 1, seed: 5 }]) {
      assert.equal((await complete(model, context, PROMPTS[0]!, sampling)).text, proposal);
    }
    const l = await llama();
    const chat = new LlamaChatSession({ contextSequence: context.getSequence() });
    // Each grammar puts the fields in its script's order (as the engine's typed-turn schema does).
    const refs = { type: "array", items: { type: "string" } } as const;
    const voteGrammar = await l.createGrammarForJsonSchema({
      type: "object",
      properties: { type: { enum: ["vote"] }, referencesTo: refs, content: { type: "string" }, confidence: { type: "number" } },
    });
    const proposalGrammar = await l.createGrammarForJsonSchema({
      type: "object",
      properties: { type: { enum: ["proposal"] }, content: { type: "string" }, referencesTo: refs, confidence: { type: "number" } },
    });
    assert.equal(await chat.prompt("Vote.", { grammar: voteGrammar, temperature: 1, seed: 2 }), vote);
    chat.resetChatHistory();
    assert.equal(await chat.prompt("Propose.", { grammar: proposalGrammar, temperature: 1, seed: 2 }), proposal);
  } finally {
    await context.dispose();
    await model.dispose();
  }
});
