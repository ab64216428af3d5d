import { test } from "node:test";
import assert from "node:assert/strict";
import { tempStore, testProvenance } from "../../data/store/test/testSupport.js";
import { learnedRoute, learnModelWeights } from "./learnedRouting.js";

test("the router learns from recorded sessions: the model whose messages won votes gets the task", () => {
  const { store, cleanup } = tempStore();
  try {
    const past = store.createSession({ title: "past", task: "t", protocolKind: "compare", experiment: {} });
    const say = (from: string, fingerprint: string) =>
      store.appendMessage({
        sessionId: past.id, from, to: "all", type: "answer", content: `${from} answers`,
        provenance: { ...testProvenance, fingerprint },
        usage: { promptTokens: 10, completionTokens: 20, ttftMs: 50, tokensPerSec: 100 },
      });
    for (let i = 0; i < 3; i++) {
      const good = say("alpha", "fp1:good");
      const bad = say("beta", "fp1:bad");
      store.recordVote({ sessionId: past.id, voter: "judge", targetMessageId: good.id, score: 1 });
      store.recordVote({ sessionId: past.id, voter: "judge", targetMessageId: bad.id, score: 0 });
    }
    const now = store.createSession({ title: "now", task: "t", protocolKind: "route", experiment: {} });
    const learned = learnModelWeights(store, now.id);
    assert.equal(learned.outcomes("fp1:good"), 3);

    // Different role names this time: what counts is the model behind the role.
    const decision = learnedRoute(learned, [
      { name: "fast", fingerprint: "fp1:bad" },
      { name: "careful", fingerprint: "fp1:good" },
    ]);
    assert.equal(decision?.role, "careful");
    assert.match(decision?.reason ?? "", /learned from recorded outcomes/);
    assert.equal(learnedRoute(learned, [{ name: "new", fingerprint: "fp1:unseen" }]), null, "no opinion without outcomes");
  } finally {
    cleanup();
  }
});
