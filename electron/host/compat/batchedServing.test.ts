/**
 * Batched serving through the compatible API: concurrent chat requests for one library model run on
 * the sequences of one llama context (real host, real model, the official openai client over HTTP).
 * Cross-talk would show as requests with the same prompt disagreeing, or as a stream carrying text
 * its own request did not produce.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import OpenAI from "openai";
import { startTestHost, type TestHost } from "../test/testHosts.js";
import { apiRoleFor } from "../../../shared/apiModels.js";
import type { SlotInfo } from "../../../shared/slots.js";
import { engineParts } from "../../engine/engineParts.js";

let h: TestHost;
let openai: OpenAI;

before(async () => {
  h = await startTestHost("batched", { servingParallel: 4 });
  openai = new OpenAI({ baseURL: `${h.base}/v1`, apiKey: h.host.token, maxRetries: 0 });
});
after(async () => h?.close());

/** One greedy streamed request; returns the streamed text and the usage the last chunk reports. */
async function streamed(prompt: string, maxTokens: number): Promise<{ text: string; promptTokens: number; completionTokens: number }> {
  const stream = await openai.chat.completions.create({
    model: h.modelId,
    messages: [{ role: "user", content: prompt }],
    max_tokens: maxTokens,
    temperature: 0,
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = "";
  let promptTokens = -1;
  let completionTokens = -1;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? "";
    if (chunk.usage) ({ prompt_tokens: promptTokens, completion_tokens: completionTokens } = chunk.usage);
  }
  return { text, promptTokens, completionTokens };
}

describe("batched serving on the compatible API", () => {
  test("concurrent requests share one context, each on its own sequence, without cross-talk", async () => {
    const role = apiRoleFor(h.modelId);
    const seen: SlotInfo[] = [];
    const off = h.engine.onEvent((e) => {
      if (e.type === "slot" && e.slot.role === role && e.slot.sessionId === null) seen.push(e.slot);
    });
    const a = "Once upon a time there was a little girl";
    const b = "The dog";
    let results: Awaited<ReturnType<typeof streamed>>[];
    try {
      results = await Promise.all([streamed(a, 24), streamed(b, 24), streamed(a, 24), streamed(b, 24)]);
    } finally {
      off();
    }
    const [a1, b1, a2, b2] = results as [typeof results[0], typeof results[0], typeof results[0], typeof results[0]];
    assert.ok(a1.text.length > 0 && b1.text.length > 0, "every stream carries tokens");
    assert.equal(a1.promptTokens, a2.promptTokens, "identical prompts, identical prompt_tokens");
    assert.equal(b1.promptTokens, b2.promptTokens, "identical prompts, identical prompt_tokens");
    assert.ok(a1.promptTokens > b1.promptTokens, `the longer prompt has more tokens (${a1.promptTokens} vs ${b1.promptTokens})`);
    // Greedy decoding of one prompt gives one text: a sequence shared by two requests would not.
    assert.equal(a1.text, a2.text);
    assert.equal(b1.text, b2.text);
    assert.equal(a1.completionTokens, a2.completionTokens);

    const seat = h.engine.slots.list(null).find((s) => s.role === role);
    assert.ok(seat, "the library model has its API seat");
    assert.equal(seat.sequences.total, 4, "the API seat's context has the configured sequences");
    assert.equal(seat.sequences.inUse, 0, "every sequence is given back");
    assert.equal(seat.status, "ready");
    const peak = Math.max(...seen.map((s) => s.sequences.inUse));
    assert.ok(peak >= 2 && peak <= 4, `the registry showed several sequences in use at once (peak ${peak})`);
  });

  test("more concurrent requests than sequences wait their turn and all complete", async () => {
    const prompts = Array.from({ length: 6 }, (_, i) => `Tom had ${i + 1} apples`);
    const results = await Promise.all(prompts.map((p) => streamed(p, 8)));
    for (const r of results) {
      assert.ok(r.completionTokens > 0 && r.completionTokens <= 8, `completion tokens ${r.completionTokens}`);
      assert.ok(r.promptTokens > 0);
    }
    // The memory budget counts the context once per sequence.
    const seat = h.engine.slots.list(null).find((s) => s.role === apiRoleFor(h.modelId));
    const single = await engineParts(h.engine).registry.estimate(h.modelPath, { parallel: 1 });
    const four = await engineParts(h.engine).registry.estimate(h.modelPath, { parallel: 4 });
    assert.ok(four.estimateBytes > single.estimateBytes, "four sequences cost the budget more than one");
    assert.equal(seat?.sequences.inUse, 0);
  });
});
