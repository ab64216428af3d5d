import { test } from "node:test";
import assert from "node:assert/strict";
import type { Experiment } from "../../../shared/experiment.js";
import { realTestModel } from "../../../models/test/testModels.js";
import { abstentionStore } from "../store/abstentionStore.js";
import { pairwiseStore } from "../store/pairwiseStore.js";
import { withSessionParts as withRegistry } from "../test/sessions.js";
import { SessionRunner } from "./SessionRunner.js";

test("ballots cut off by the token limit are abstentions, recorded and never counted as votes (real model)", async () => {
  await withRegistry(async ({ store, registry }) => {
    const model = await realTestModel();
    // x has room to fill its ballot; y and z are cut off after a few tokens, long before their ranking.
    const experiment: Experiment = {
      title: "abstentions", task: "Once upon a time", seed: 7, swaps: [], context: { policy: "drop-oldest" },
      roles: [
        { name: "x", model, maxTokens: 96, contextSize: 512 },
        { name: "y", model, maxTokens: 6, contextSize: 512 },
        { name: "z", model, maxTokens: 6, contextSize: 512 },
      ],
      protocol: { kind: "compare" },
    };
    const runner = new SessionRunner({ experiment, store, registry });
    const out = await runner.run();
    assert.equal(out.status, "completed", out.error ?? "");

    const ballots = out.messages.filter((m) => m.type === "vote" && m.provenance);
    assert.equal(ballots.length, 3, "every voter answered its ballot");
    const abstentions = abstentionStore(store).list(runner.sessionId);
    assert.deepEqual(abstentions.map((a) => a.voter).sort(), ["y", "z"]);
    for (const a of abstentions) {
      assert.equal(a.kind, "unfilled");
      assert.equal(a.messageId, ballots.find((b) => b.from === a.voter)?.id, "the abstention points at the ballot it read");
    }
    // Only x's ballot is counted: one vote per candidate it ranked, none from y or z.
    const votes = store.listVotes(runner.sessionId);
    assert.deepEqual([...new Set(votes.map((v) => v.voter))], ["x"]);
    assert.equal(votes.length, 2);
    // x's ranking of y's and z's answers is one model-sourced arena outcome… unless both are one model file,
    // as here (all three roles run stories260K): then it says nothing about one model against another.
    assert.equal(pairwiseStore(store).list({ sessionId: runner.sessionId }).length, 0);
    const result = out.messages.find((m) => m.from === "system" && m.content.startsWith("Vote result"));
    assert.ok(result);
    assert.match(result.content, /Not counted: .*y \(unfilled: the ballot named no candidate/);
    assert.match(result.content, /, 1 ballots/);
  });
});

test("both orders: every voter answers twice, and a vote counts only when the two rankings agree (real model)", async () => {
  await withRegistry(async ({ store, registry }) => {
    const model = await realTestModel();
    const experiment: Experiment = {
      title: "both orders", task: "Once upon a time", seed: 11, swaps: [], context: { policy: "drop-oldest" },
      roles: ["x", "y", "z"].map((name) => ({ name, model, maxTokens: 96, contextSize: 512 })),
      protocol: { kind: "compare", bothOrders: true },
    };
    const runner = new SessionRunner({ experiment, store, registry });
    const out = await runner.run();
    assert.equal(out.status, "completed", out.error ?? "");
    const ballots = out.messages.filter((m) => m.type === "vote" && m.provenance);
    assert.equal(ballots.length, 6, "two ballots per voter");
    const votes = store.listVotes(runner.sessionId);
    const abstentions = abstentionStore(store).list(runner.sessionId);
    for (const voter of ["x", "y", "z"]) {
      const mine = ballots.filter((b) => b.from === voter);
      const counted = votes.filter((v) => v.voter === voter);
      const skipped = abstentions.filter((a) => a.voter === voter);
      assert.equal(counted.length > 0, skipped.length === 0, `${voter} either voted or abstained`);
      if (counted.length > 0) {
        // Counted: both answers ranked the candidates the same way (the last place may be implied).
        assert.equal(mine[0]!.referencesTo[0], mine[1]!.referencesTo[0]);
        assert.equal(counted.find((v) => v.rank === 1)?.targetMessageId, mine[0]!.referencesTo[0]);
      } else {
        assert.ok(["orders-disagree", "unfilled", "unparsable"].includes(skipped[0]!.kind));
      }
    }
  });
});
