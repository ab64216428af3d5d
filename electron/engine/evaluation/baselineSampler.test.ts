/**
 * Spending a budget on the real model: samples capped by their context, or stopping at their end of
 * text, leave a remainder that later batches fill, no batch overshoots, and the total lands within 10% of the target.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { realTestModel } from "../../../models/test/testModels.js";
import { withSessionParts } from "../test/sessions.js";
import { sampleToBudget } from "./baselineSampler.js";
import { withinBudget } from "./test/withinBudget.js";

test("parallel batches on the real model spend the committee's tokens within 10%, topping up what capped or early-stopping samples left", async () => {
  const model = await realTestModel();
  await withSessionParts(async ({ registry }) => {
    const seat = { sessionId: null, role: "baseline" };
    await registry.load(seat, model, { contextSize: 512 });
    const prompt = [{ role: "user" as const, content: "Once upon a time" }];
    // A sample's context caps its tokens (120 here), so a large budget needs several batches.
    for (const [kind, target, cap] of [["self-consistency", 900, 120], ["single", 300, 400], ["best-of-n", 37, 400]] as const) {
      const calls: { count: number; maxTokens: number }[] = [];
      const drawn = await sampleToBudget(
        kind,
        target,
        async (count, maxTokens, seed) => {
          calls.push({ count, maxTokens });
          return registry.sampleParallel(seat, Array.from({ length: count }, () => prompt), { maxTokens, seed, temperature: 0.8 });
        },
        { perSample: 300, maxTokensPerSample: cap, seed: 7 },
      );
      assert.ok(withinBudget(target, drawn.tokens), `${kind}: ${drawn.tokens} tokens for a budget of ${target}`);
      assert.ok(drawn.tokens <= target, `${kind}: never over the budget`);
      assert.equal(drawn.tokens, drawn.samples.reduce((s, x) => s + x.result.completionTokens, 0));
      for (const s of drawn.samples) assert.ok(s.result.completionTokens <= s.maxTokens);
      if (kind === "single") assert.ok(calls.every((c) => c.count === 1), "single draws one sample at a time");
      if (kind === "self-consistency") {
        assert.ok(calls[0]!.count >= 2, "the first batch runs several sequences");
        assert.ok(drawn.batches > 1, "the capped samples left a remainder for later batches");
        assert.ok(calls.every((c) => c.maxTokens <= cap));
      }
      // A sample that stopped early left tokens for another batch.
      const early = drawn.samples.some((s) => s.result.completionTokens < s.maxTokens);
      if (early) assert.ok(drawn.batches > 1, `${kind}: a sample stopped early, so another batch followed`);
      assert.deepEqual(new Set(drawn.samples.map((s) => s.seed)).size, drawn.samples.length, "every sample has its own seed");
      process.stdout.write(`# ${kind}: target ${target}, ${drawn.tokens} tokens in ${drawn.batches} batches (${calls.map((c) => `${c.count}×${c.maxTokens}`).join(", ")})\n`);
    }
  });
});
