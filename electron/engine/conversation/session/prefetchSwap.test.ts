/**
 * A scheduled swap is prepared while the previous turn generates: the new model is loaded and
 * pre-filled ahead of its round, so committing it evaluates only the turns added since, and the
 * swapped seat's first token after the swap is measured as the swap's visible gap.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { generatedModel, realTestModel } from "../../../../models/test/testModels.js";
import { SessionRunner } from "./SessionRunner.js";
import { experiment, withSessionParts } from "../../test/sessions.js";

test("a scheduled swap is staged ahead of its round and its visible gap is recorded", async () => {
  await withSessionParts(async ({ store, registry }) => {
    const [real, chat] = [await realTestModel(), await generatedModel("tiny-chat")];
    const roles = ["teller", "critic"].map((name) => ({ name, model: real, maxTokens: 32, contextSize: 1024 }));
    const runner = new SessionRunner({
      experiment: experiment({ roles, protocol: { kind: "roundtable", rounds: 2, stopWhen: "rounds", vote: false }, swaps: [{ atRound: 2, role: "critic", model: chat }] }),
      store,
      registry,
    });
    const out = await runner.run();
    assert.equal(out.status, "completed", out.error ?? "");
    const [swap] = store.listSwaps(runner.sessionId).filter((s) => s.event.kind === "scheduled");
    assert.ok(swap, "the scheduled swap is recorded");
    const e = swap.event;
    assert.equal(e.outcome, "ok", e.error ?? "");
    assert.equal(e.prefetched, true, "the new model was staged while the previous turn generated");
    assert.ok(e.tokensEvaluated < e.tokensReingested / 2, `the commit evaluated ${e.tokensEvaluated} of ${e.tokensReingested} tokens`);
    assert.ok(e.visibleGapMs !== null && e.visibleGapMs >= 0, "the critic's first token after the swap was timed");
    assert.ok(e.predictedMs !== null && e.coldMs !== null && e.coldMs >= e.predictedMs, "the prediction and the cold cost it avoided are recorded");
  });
});
