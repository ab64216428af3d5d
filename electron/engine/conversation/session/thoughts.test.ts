/**
 * A reasoning model on the committee, end to end on a scripted Qwen 3-template GGUF: its thought is
 * stored apart from its content, hidden from its peers' models unless its role shares thoughts, and
 * exported the way each training format carries thoughts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { realTestModel, scriptedModel } from "../../../../models/test/testModels.js";
import type { ExperimentRole } from "../../../../shared/experiment.js";
import { experiment, withSessionParts, type SessionParts } from "../../test/sessions.js";
import { exportSession } from "../../data/export/exportSession.js";
import { parseJsonl } from "../../data/export/formatValidators.js";
import { shareGptErrors, trlPreferenceErrors } from "../../data/export/test/formatErrors.js";
import { SessionRunner } from "./SessionRunner.js";

const THOUGHT = "A queue keeps arrival order, which the task needs.";
const TURN = { type: "proposal", content: "Use a queue.", referencesTo: [], confidence: 0.8 };
const SCRIPT = `<think>\n${THOUGHT}\n</think>\n\n${JSON.stringify(TURN)}`;

async function run(parts: SessionParts, thinking?: ExperimentRole["thinking"]) {
  const thinker = await scriptedModel(SCRIPT, { template: "qwen3" });
  const teller = await realTestModel();
  const runner = new SessionRunner({
    experiment: experiment({
      task: "Queue or stack for a print spooler?",
      roles: [
        { name: "thinker", model: thinker, maxTokens: 64, ...(thinking ? { thinking } : {}) },
        { name: "teller", model: teller, maxTokens: 24 },
      ],
      protocol: { kind: "roundtable", rounds: 1, vote: false, stopWhen: "rounds" },
    }),
    store: parts.store,
    registry: parts.registry,
  });
  const out = await runner.run();
  assert.equal(out.status, "completed", out.error ?? "");
  // What the teller's model was actually given at its last turn.
  const tellerSaw = parts.registry.getHistory({ sessionId: runner.sessionId, role: "teller" }).map((t) => t.content).join("\n");
  return { runner, out, tellerSaw };
}

test("the thought is stored apart, hidden from peers, and exported per format", async () => {
  await withSessionParts(async (parts) => {
    const { runner, out, tellerSaw } = await run(parts);
    const proposal = out.messages.find((m) => m.from === "thinker" && m.type === "proposal");
    assert.ok(proposal, "the thinker proposed");
    // A complete typed-turn JSON is taken exactly, with no repair; the thought is kept beside it.
    assert.deepEqual([proposal.content, proposal.referencesTo, proposal.confidence, proposal.repairs], [TURN.content, [], TURN.confidence, []]);
    assert.equal(proposal.thought?.text, THOUGHT);
    assert.ok(proposal.thought!.tokens > 0);
    assert.equal(proposal.raw, undefined, "nothing repaired, so no raw output is kept");
    const stored = parts.store.listMessages(runner.sessionId, { limit: 100 }).messages.find((m) => m.id === proposal.id);
    assert.deepEqual(stored?.thought, proposal.thought);
    // The teller's model saw the thinker's content, never its thought.
    assert.match(tellerSaw, /Use a queue\./);
    assert.doesNotMatch(tellerSaw, /arrival order/);

    // Exports: each format's convention, and the report says what it did.
    const teller = out.messages.find((m) => m.from === "teller" && m.type === "proposal")!;
    parts.store.recordRating({ sessionId: runner.sessionId, messageId: proposal.id, score: 1 });
    parts.store.recordRating({ sessionId: runner.sessionId, messageId: teller.id, score: 0 });
    const file = (name: string) => path.join(parts.dir, name);

    const openai = await exportSession(parts.store, runner.sessionId, { format: "openai", out: file("o.jsonl") });
    assert.equal(openai.thoughts.handling, "dropped");
    assert.ok(openai.thoughts.withThought >= 1 && openai.thoughts.dropped === openai.thoughts.withThought);
    assert.ok(openai.notes.some((n) => /dropped/.test(n) && /OpenAI chat/.test(n)), openai.notes.join("; "));
    assert.doesNotMatch(readFileSync(openai.path, "utf8"), /arrival order/);

    const sharegpt = await exportSession(parts.store, runner.sessionId, { format: "sharegpt", out: file("s.jsonl") });
    assert.equal(sharegpt.thoughts.handling, "think-tags");
    const records = parseJsonl(readFileSync(sharegpt.path, "utf8")) as { conversations: { from: string; value: string }[] }[];
    const trained = records.map((r) => r.conversations.at(-1)!.value);
    assert.ok(trained.includes(`<think>\n${THOUGHT}\n</think>\n\n${TURN.content}`), trained.join(" | "));
    for (const r of records) assert.deepEqual(shareGptErrors(r), []);

    const alpaca = await exportSession(parts.store, runner.sessionId, { format: "alpaca", out: file("a.jsonl") });
    const outputs = (parseJsonl(readFileSync(alpaca.path, "utf8")) as { output: string }[]).map((r) => r.output);
    assert.ok(outputs.some((o) => o.startsWith(`<think>\n${THOUGHT}\n</think>`)));

    const dpo = await exportSession(parts.store, runner.sessionId, { format: "dpo", out: file("d.jsonl") });
    assert.equal(dpo.thoughts.handling, "thinking-key");
    const pairs = parseJsonl(readFileSync(dpo.path, "utf8")) as { chosen: { content: string; thinking?: string }[] }[];
    assert.equal(pairs.length, 1);
    assert.deepEqual(pairs[0]!.chosen, [{ role: "assistant", content: TURN.content, thinking: THOUGHT }]);
    assert.deepEqual(trlPreferenceErrors(pairs[0]!), []);
    assert.equal(dpo.validation.valid, dpo.validation.examples);

    const json = await exportSession(parts.store, runner.sessionId, { format: "json", out: file("j.json") });
    assert.equal(json.thoughts.handling, "kept");
    assert.equal(json.validation.valid, json.validation.examples);
    assert.match(readFileSync(json.path, "utf8"), /arrival order/);
  });
});

test("with thinking.share its peers' models see the thought", async () => {
  await withSessionParts(async (parts) => {
    const { tellerSaw } = await run(parts, { share: true });
    assert.match(tellerSaw, new RegExp(`proposal \\(thought: ${THOUGHT.replace(/[.]/g, "\\.")}\\): Use a queue\\.`));
  });
});
