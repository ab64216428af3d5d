/**
 * Remote reasoning fields map to the message's thought: a Conclave host serving a scripted Qwen
 * 3-template model answers with OpenAI's `reasoning_content` and Ollama's `thinking`, and the two
 * backends read them back apart from the content. Both sides are real (HTTP on 127.0.0.1).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { scriptedModel } from "../../../models/test/testModels.js";
import { startTestHost, type TestHost } from "../test/testHosts.js";
import { OllamaBackend } from "../../engine/backends/OllamaBackend.js";
import { OpenAiBackend } from "../../engine/backends/OpenAiBackend.js";

const THOUGHT = "Two and two make four.";
const ANSWER = "The answer is 4.";
let host: TestHost;

before(async () => {
  host = await startTestHost("remote-thoughts", {}, await scriptedModel(`<think>\n${THOUGHT}\n</think>\n\n${ANSWER}`, { template: "qwen3" }));
});
after(() => host?.close());

test("OpenAI-compatible reasoning_content becomes the thought, streamed apart from the content", async () => {
  const oa = new OpenAiBackend({ name: "reasoner", baseUrl: `${host.base}/v1`, model: host.modelId, maxTokens: 48 }, host.host.token);
  const streamed = { thought: "", content: "" };
  const r = await oa.generateTurn("solver", { turns: [{ role: "user", content: "What is 2+2?" }], onToken: (t, thought) => (streamed[thought ? "thought" : "content"] += t) });
  assert.equal(r.text, ANSWER);
  assert.equal(r.thought?.text, THOUGHT);
  assert.ok((r.thought?.tokens ?? 0) > 0);
  assert.deepEqual([streamed.thought.trim(), streamed.content], [THOUGHT, ANSWER]);
});

test("Ollama's message.thinking becomes the thought", async () => {
  const ollama = new OllamaBackend({ name: "thinker", baseUrl: host.base, model: host.modelId, maxTokens: 48 }, host.host.token);
  let thinking = "";
  const r = await ollama.generateTurn("solver", { turns: [{ role: "user", content: "What is 2+2?" }], onToken: (t, thought) => void (thought ? (thinking += t) : undefined) });
  assert.equal(r.text, ANSWER);
  assert.equal(r.thought?.text, THOUGHT);
  assert.equal(thinking.trim(), THOUGHT);
});

test("Ollama's eval_count, which counts the thought too, is split: the answer's completion tokens leave the thought out", async () => {
  // The same question straight to the host's /api/chat: its eval_count is every generated token.
  const raw = await fetch(`${host.base}/api/chat`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${host.host.token}` },
    body: JSON.stringify({ model: host.modelId, messages: [{ role: "user", content: "What is 2+2?" }], stream: false, options: { num_predict: 48 } }),
  });
  const reply = (await raw.json()) as { eval_count: number; message: { content: string; thinking?: string } };
  assert.equal(reply.message.thinking?.trim(), THOUGHT);
  const ollama = new OllamaBackend({ name: "thinker", baseUrl: host.base, model: host.modelId, maxTokens: 48 }, host.host.token);
  const r = await ollama.generateTurn("solver", { turns: [{ role: "user", content: "What is 2+2?" }] });
  assert.equal(r.text, ANSWER);
  assert.equal(r.thought?.tokensFrom, "share-of-total", "the stored figure says how it was derived");
  assert.ok((r.thought?.tokens ?? 0) > 0 && r.usage.completionTokens > 0);
  assert.equal(r.thought!.tokens + r.usage.completionTokens, reply.eval_count, "the split keeps Ollama's total exact");
  assert.ok(r.usage.completionTokens < reply.eval_count, "the content's count no longer includes the thought");
});
