/**
 * Two sessions at once with the same role names on different models: each turn comes from its own
 * session's seat, never from the other session's model, and nobody records a swap it did not make.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { generatedModel, realTestModel } from "../../../../models/test/testModels.js";
import { inspectGguf } from "../../runtime/library/inspectGguf.js";
import { SessionRunner } from "./SessionRunner.js";
import { experiment, withSessionParts } from "../../test/sessions.js";

test("concurrent sessions with identical role names each speak with their own models", async () => {
  await withSessionParts(async ({ store, registry }) => {
    const [a, b] = [await realTestModel(), await generatedModel("tiny-chat")];
    const [fa, fb] = [(await inspectGguf(a)).fingerprint, (await inspectGguf(b)).fingerprint];
    const make = (model: string, seed: number) =>
      new SessionRunner({
        experiment: experiment({
          seed,
          roles: ["teller", "critic"].map((name) => ({ name, model, maxTokens: 24, contextSize: 512 })),
          protocol: { kind: "debate", rounds: 2, vote: false },
        }),
        store,
        registry,
      });
    const [ra, rb] = [make(a, 1), make(b, 2)];
    const [oa, ob] = await Promise.all([ra.run(), rb.run()]);
    assert.equal(oa.status, "completed", oa.error ?? "");
    assert.equal(ob.status, "completed", ob.error ?? "");
    const turnsA = oa.messages.filter((m) => m.provenance);
    const turnsB = ob.messages.filter((m) => m.provenance);
    assert.ok(turnsA.length >= 4 && turnsB.length >= 4);
    for (const m of turnsA) assert.equal(m.provenance!.fingerprint, fa, `session A's ${m.from} spoke with session A's model`);
    for (const m of turnsB) assert.equal(m.provenance!.fingerprint, fb, `session B's ${m.from} spoke with session B's model`);
    for (const out of [oa, ob]) assert.ok(!out.messages.some((m) => /Manual swap/.test(m.content)), "no phantom swaps");
    assert.equal(store.listSwaps(ra.sessionId).length + store.listSwaps(rb.sessionId).length, 0);
  });
});
