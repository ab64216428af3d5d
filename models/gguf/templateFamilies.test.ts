import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ChatMLChatWrapper, DeepSeekChatWrapper, GemmaChatWrapper, getLlama, HarmonyChatWrapper, JinjaTemplateChatWrapper, Llama3ChatWrapper,
  LlamaChatSession, LlamaLogLevel, MistralChatWrapper, QwenChatWrapper, resolveChatWrapper, type Llama, type LlamaModel,
} from "node-llama-cpp";
import { writeScriptedGguf } from "./scriptedGguf.js";
import { SCRIPT_TEMPLATES, TEMPLATE_FAMILIES, type ScriptTemplate } from "./templateFamilies.js";

const dir = await mkdtemp(join(tmpdir(), "conclave-template-families-"));
let llamaPromise: Promise<Llama> | null = null;
function llama(): Promise<Llama> {
  llamaPromise ??= getLlama({ build: "never", gpu: false, logLevel: LlamaLogLevel.error }).then((l) => {
    l.maxThreads = 1;
    return l;
  });
  return llamaPromise;
}
test.after(async () => {
  await rm(dir, { recursive: true, force: true });
  if (llamaPromise) await (await llamaPromise).dispose();
});

async function withModel<T>(template: ScriptTemplate, script: string, fn: (model: LlamaModel) => Promise<T>): Promise<T> {
  const path = join(dir, `${template}-${Math.random().toString(36).slice(2)}.gguf`);
  await writeScriptedGguf(path, { script, template });
  const model = await (await llama()).loadModel({ modelPath: path });
  try {
    return await fn(model);
  } finally {
    await model.dispose();
  }
}

/** One committee-like chat turn (system guidance, a peer's message, the ask) through the model's own wrapper. */
async function chatTurn(
  model: LlamaModel,
  onChunk?: (type: string | undefined, segmentType: string | undefined, text: string) => void,
  earlierAnswer = true,
) {
  const context = await model.createContext({ contextSize: 1024 });
  try {
    const chat = new LlamaChatSession({ contextSequence: context.getSequence(), systemPrompt: "You sit on a roundtable committee. Answer with JSON." });
    chat.setChatHistory([
      ...chat.getChatHistory(),
      { type: "user", text: "m1 (task): What is 2+2?" },
      ...(earlierAnswer ? [{ type: "model" as const, response: ["An earlier answer."] }] : []),
    ]);
    const text = await chat.prompt("Round 1: propose your answer to the task.", {
      temperature: 1, seed: 9, maxTokens: 200,
      onResponseChunk: (chunk) => onChunk?.(chunk.type, chunk.segmentType, chunk.text),
    });
    return { text, last: chat.getChatHistory().at(-1) };
  } finally {
    await context.dispose();
  }
}

const TURN = '{"type":"proposal","content":"Four.","referencesTo":[],"confidence":0.9}';

// phi3 has no specialised wrapper in node-llama-cpp 3.21: its Jinja template is used as is.
const WRAPPERS = {
  chatml: ChatMLChatWrapper, llama3: Llama3ChatWrapper, qwen3: QwenChatWrapper, "deepseek-r1": DeepSeekChatWrapper,
  harmony: HarmonyChatWrapper, gemma: GemmaChatWrapper, mistral: MistralChatWrapper, phi3: JinjaTemplateChatWrapper,
} as const;

test("node-llama-cpp picks each family's own chat wrapper for its generated file", async () => {
  for (const template of SCRIPT_TEMPLATES) {
    await withModel(template, TURN, async (model) => {
      const wrapper = resolveChatWrapper(model);
      assert.ok(wrapper instanceof WRAPPERS[template], `${template}: got ${wrapper.wrapperName}`);
      assert.equal(wrapper.wrapperName, TEMPLATE_FAMILIES[template].wrapperName, template);
    });
  }
});

test("a committee turn formats in every family and its typed output comes back exactly", async () => {
  for (const template of SCRIPT_TEMPLATES) {
    await withModel(template, TURN, async (model) => {
      const { text } = await chatTurn(model);
      assert.equal(text, TURN, template);
      assert.deepEqual(JSON.parse(text), { type: "proposal", content: "Four.", referencesTo: [], confidence: 0.9 });
    });
  }
});

const THOUGHT = "The peers said four; I check: 2+2=4.";
const THOUGHT_SCRIPTS = {
  qwen3: `<think>\n${THOUGHT}\n</think>\n\n${TURN}`,
  "deepseek-r1": `<think>\n${THOUGHT}\n</think>\n\n${TURN}`,
  // After the thought node-llama-cpp re-renders the context and injects the final channel itself.
  harmony: `<|channel|>analysis<|message|>${THOUGHT}<|end|><|start|>assistant<|channel|>final<|message|>${TURN}`,
};

test("qwen3, deepseek-r1 and harmony thoughts arrive as thought segments, apart from the answer", async () => {
  for (const [template, script] of Object.entries(THOUGHT_SCRIPTS) as [ScriptTemplate, string][]) {
    await withModel(template, script, async (model) => {
      let thought = "";
      let answer = "";
      // A harmony model tells "thought done" by the `<|channel|>` tokens in its context, so it thinks
      // only where no earlier answer of its own (which has one) is in the prompt.
      const { text, last } = await chatTurn(
        model,
        (type, segmentType, chunk) => {
          if (type === "segment" && segmentType === "thought") thought += chunk;
          else answer += chunk;
        },
        template !== "harmony",
      );
      assert.equal(thought.trim(), THOUGHT, template);
      assert.equal(text.trim(), TURN, `${template}: the answer holds no thought`);
      assert.equal(answer.trim(), TURN);
      assert.ok(last?.type === "model" && last.response.some((r) => typeof r !== "string" && r.type === "segment" && r.segmentType === "thought" && r.ended));
    });
  }
});
