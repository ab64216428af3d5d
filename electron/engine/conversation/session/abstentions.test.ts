import { test } from "node:test";
import assert from "node:assert/strict";
import type { Experiment } from "../../../../shared/experiment.js";
import { realTestModel, scriptedModel } from "../../../../models/test/testModels.js";
import { withSessionParts as withRegistry } from "../../test/sessions.js";
import { SessionRunner } from "./SessionRunner.js";

test("a token limit never costs a ballot its ranking, and a grammar holds every local ballot to a full one (real model)", async () => {
  await withRegistry(async ({ store, registry }) => {
    const model = await realTestModel();
    // y is cut off after a few tokens: its rationale is kept and its ranking comes from the label
    // step. z's model would say a ballot that ranks nobody, but the ballot's grammar allows only a
    // full ranking. (Ballots that rank too few, from backends without grammars, are abstentions:
    // conversation/protocols/ballotReading.test.ts.)
    const nobody = await scriptedModel(['{"type":"vote","referencesTo":[],"content":"I rank none.","confidence":0.5}', '{"type":"answer","content":"An answer.","referencesTo":[],"confidence":0.5}']);
    const experiment: Experiment = {
      title: "abstentions", task: "Once upon a time", seed: 7, swaps: [], context: { policy: "drop-oldest" },
      roles: [
        { name: "x", model, maxTokens: 96, contextSize: 512 },
        { name: "y", model, maxTokens: 6, contextSize: 512 },
        { name: "z", model: nobody, maxTokens: 96, contextSize: 512 },
      ],
      protocol: { kind: "compare" },
    };
    const runner = new SessionRunner({ experiment, store, registry });
    const out = await runner.run();
    assert.equal(out.status, "completed", out.error ?? "");

    const ballots = out.messages.filter((m) => m.type === "vote" && m.provenance);
    assert.equal(ballots.length, 3, "every voter answered its ballot");
    assert.deepEqual(store.abstentions.list(runner.sessionId), []);
    for (const b of ballots) assert.equal(b.referencesTo.length, 2, `${b.from} ranked both candidates: ${JSON.stringify(b)}`);
    const y = ballots.find((b) => b.from === "y")!;
    assert.ok(y.content.length > 0, "y's cut-off rationale is kept");
    const votes = store.listVotes(runner.sessionId);
    assert.deepEqual([...new Set(votes.map((v) => v.voter))].sort(), ["x", "y", "z"]);
    assert.equal(votes.length, 6);
    const result = out.messages.find((m) => m.from === "system" && m.content.startsWith("Vote result"));
    assert.ok(result);
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
    const abstentions = store.abstentions.list(runner.sessionId);
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
