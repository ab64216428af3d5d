/**
 * Thought segments through a real model process: a scripted Qwen 3-template GGUF that thinks, then
 * answers, run by node-llama-cpp's Qwen wrapper. No mocks.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { scriptedModel } from "../../../../models/test/testModels.js";
import type { EngineEvent } from "../../../../shared/slots.js";
import { lab, registryFixture } from "../../test/registries.js";

const fx = registryFixture("thoughts");
after(() => fx.dispose());

const THOUGHT = "The queue keeps order, so I pick it.";
const ANSWER = "Use a queue.";

test("a qwen3 model's thought is recorded apart from its answer, streamed as thought, and capped by its budget", async () => {
  const model = await scriptedModel(`<think>\n${THOUGHT}\n</think>\n\n${ANSWER}`, { template: "qwen3" });
  const reg = fx.make();
  const streamed = { thought: "", content: "" };
  reg.onEvent((e: EngineEvent) => {
    if (e.type === "token") streamed[e.thought ? "thought" : "content"] += e.text;
  });
  await reg.load(lab("thinker"), model, { sampling: { maxTokens: 64 } });
  const r = await reg.generate(lab("thinker"), { append: [{ role: "user", content: "Queue or stack?" }] });
  assert.equal(r.text, ANSWER);
  assert.equal(r.thought?.text, THOUGHT);
  assert.ok((r.thought?.tokens ?? 0) > 0 && r.thought!.ms! >= 0);
  assert.equal(r.thought?.cut, false);
  assert.equal(streamed.thought.trim(), THOUGHT);
  assert.equal(streamed.content.trim(), ANSWER);
  // The answer's tokens are counted apart from the thought's.
  assert.ok(r.completionTokens > 0 && r.completionTokens < r.thought!.tokens + r.completionTokens);

  // A budget of 3 thought tokens closes the thought early; the answer still gets its own room.
  const capped = await reg.generate(lab("thinker"), { turns: [{ role: "user", content: "Queue or stack?" }], sampling: { maxTokens: 64, thoughtBudget: 3 } });
  assert.ok(capped.thought !== null && capped.thought!.tokens <= 3, `thought of ${capped.thought?.tokens} tokens`);
  assert.equal(capped.thought?.cut, true);
  assert.ok(THOUGHT.startsWith(capped.thought!.text));
});
