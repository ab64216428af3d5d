import { test } from "node:test";
import assert from "node:assert/strict";
import type { Experiment } from "../../../../shared/experiment.js";
import { scriptedModel } from "../../../../models/test/testModels.js";
import { withSessionParts } from "../../test/sessions.js";
import { SessionRunner } from "./SessionRunner.js";

/** A role's turns, one per kind of step: the engine's grammar picks the first its step allows. */
function turns(name: string) {
  return {
    proposal: `{"type":"proposal","content":"${name}: use a queue.\\n\`\`\`ts\\nconst q: number[] = [];\\n\`\`\`","referencesTo":[],"confidence":0.8}`,
    // Listed before the consensus turn so that the chair's synthesis (consensus or answer) takes it.
    answer: `{"type":"answer","content":"${name} sums up: a queue it is.","referencesTo":[],"confidence":1}`,
    consensus: `{"type":"consensus","content":"${name} agrees.","referencesTo":[],"confidence":0.9}`,
    vote: `{"type":"vote","referencesTo":["A"],"content":"${name} ranks A first: it is simple.","confidence":0.7}`,
  };
}

test("a roundtable of two scripted models says exactly what the scripts say, votes included, with no repairs", async () => {
  await withSessionParts(async ({ store, registry }) => {
    const scripts = { a: turns("a"), b: turns("b") };
    const models = { a: await scriptedModel(Object.values(scripts.a)), b: await scriptedModel(Object.values(scripts.b)) };
    const experiment: Experiment = {
      title: "scripted roundtable", task: "How should the jobs be ordered?", seed: 5, swaps: [], context: { policy: "drop-oldest" },
      roles: (["a", "b"] as const).map((name) => ({ name, model: models[name], maxTokens: 200, contextSize: 2048, temperature: 1 })),
      protocol: { kind: "roundtable", rounds: 1 },
    };
    const runner = new SessionRunner({ experiment, store, registry });
    const out = await runner.run();
    assert.equal(out.status, "completed", out.error ?? "");

    const spoken = out.messages.filter((m) => m.provenance);
    for (const m of spoken) assert.deepEqual(m.repairs, [], `${m.from}'s ${m.type} needed no repair`);
    const said = spoken.map((m) => `${m.from}:${m.type}`);
    assert.deepEqual(said, ["a:proposal", "b:proposal", "a:consensus", "b:consensus", "a:vote", "b:vote", "a:answer"]);
    for (const m of spoken) {
      const script = JSON.parse(scripts[m.from as "a" | "b"][m.type as "proposal"]) as { content: string; confidence: number };
      assert.equal(m.content, script.content);
      assert.equal(m.confidence, script.confidence);
    }

    // Each ballot ranks its one candidate, the other member's proposal, and both are counted.
    const proposals = new Map(spoken.filter((m) => m.type === "proposal").map((m) => [m.from, m.id]));
    const votes = store.listVotes(runner.sessionId);
    assert.deepEqual(
      votes.map((v) => [v.voter, v.targetMessageId, v.rank, v.rationale]),
      [
        ["a", proposals.get("b"), 1, "a ranks A first: it is simple."],
        ["b", proposals.get("a"), 1, "b ranks A first: it is simple."],
      ],
    );
    const tally = out.messages.find((m) => m.from === "system" && m.content.startsWith("Vote result"));
    assert.ok(tally, "the tally is posted");
    const label = (from: string) => `m${out.messages.find((m) => m.id === proposals.get(from))!.seq}`;
    assert.equal(
      tally.content,
      `Vote result (round 2):\n1. ${label("a")} by a (Conclave Scripted ChatML): 1.00 points, 1 ballots\n2. ${label("b")} by b (Conclave Scripted ChatML): 1.00 points, 1 ballots`,
    );
  });
});

test("a validation loop on scripted models passes or fails exactly as the validator's script says", async () => {
  await withSessionParts(async ({ store, registry }) => {
    // The producer's revision comes first, so a correction step (revision or answer) takes it, while
    // the first answer (answer or proposal) can only be the answer.
    const producer = await scriptedModel([
      '{"type":"revision","content":"Fixed: 2+2=4.","referencesTo":[],"confidence":0.9}',
      '{"type":"answer","content":"2+2=5.","referencesTo":[],"confidence":0.6}',
    ]);
    const passes = await scriptedModel('{"type":"consensus","content":"Correct.","referencesTo":[],"confidence":1}');
    const fails = await scriptedModel('{"type":"critique","content":"Wrong sum.","referencesTo":[],"confidence":0.9}');
    const run = async (validator: string) => {
      const experiment: Experiment = {
        title: "scripted validation", task: "What is 2+2?", seed: 2, swaps: [], context: { policy: "drop-oldest" },
        roles: [
          { name: "maker", model: producer, maxTokens: 120, contextSize: 1024, temperature: 1 },
          { name: "checker", model: validator, maxTokens: 120, contextSize: 1024, temperature: 1 },
        ],
        protocol: { kind: "validate", maxAttempts: 2 },
      };
      const out = await new SessionRunner({ experiment, store, registry }).run();
      assert.equal(out.status, "completed", out.error ?? "");
      const spoken = out.messages.filter((m) => m.provenance);
      for (const m of spoken) assert.deepEqual(m.repairs, []);
      return spoken.map((m) => `${m.from}:${m.type}:${m.content}`);
    };
    assert.deepEqual(await run(passes), ["maker:answer:2+2=5.", "checker:consensus:Correct."]);
    assert.deepEqual(await run(fails), [
      "maker:answer:2+2=5.",
      "checker:critique:Wrong sum.",
      "maker:revision:Fixed: 2+2=4.",
      "checker:critique:Wrong sum.",
      "maker:revision:Fixed: 2+2=4.",
    ]);
  });
});
