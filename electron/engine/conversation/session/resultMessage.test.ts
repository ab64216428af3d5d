/**
 * Every protocol marks its result message: run each kind on the real model and check the stored
 * result is the message its rule names (the chair's synthesis, the debate's verdict or vote winner,
 * the last pipeline step, the merge, the last answer of a validation loop, the routed answer, the
 * compare vote's winner); and the vote-winner rule itself on hand-made tallies.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { Message, ProtocolKind, Vote } from "../../../../shared/conversation.js";
import type { ProtocolSpec } from "../../../../shared/experiment.js";
import { realTestModel } from "../../../../models/test/testModels.js";
import { experiment, withSessionParts } from "../../test/sessions.js";
import { pickResult } from "./resultMessage.js";
import { SessionRunner } from "./SessionRunner.js";

const msg = (id: string, from: string, seq: number): Message => ({
  id, sessionId: "s", seq, from, to: "all", type: "answer", content: id, referencesTo: [], confidence: null, provenance: null, usage: null, createdAt: 0, round: 1, repairs: [], routing: null,
});
const vote = (voter: string, target: string, score: number): Vote => ({
  sessionId: "s", voter, targetMessageId: target, score, rank: null, rankOf: null, round: 2, rationale: "", messageId: null, createdAt: 0,
});

test("the vote winner has the most points; a tie goes to the earlier role and says so; no counted ballot is no result", () => {
  const log = [
    { phase: "answer", message: msg("a1", "a", 1) },
    { phase: "answer", message: msg("b1", "b", 2) },
    { phase: "answer", message: msg("c1", "c", 3) },
  ];
  const win = pickResult("compare", log, [vote("a", "b1", 1), vote("c", "b1", 0.5), vote("b", "c1", 1)]);
  assert.equal(win.message?.id, "b1");
  assert.match(win.basis, /^vote winner with 1\.50 points over 3 ballots$/);
  const tie = pickResult("compare", log, [vote("a", "c1", 1), vote("c", "b1", 1)]);
  assert.equal(tie.message?.id, "b1");
  assert.match(tie.basis, /vote tie at 1\.00 points over 2 ballots, broken by role order \(b before c\)/);
  const none = pickResult("compare", log, []);
  assert.equal(none.message, null);
  assert.match(none.basis, /no ballot counted/);
  // Votes on messages that are not candidates (an earlier round's) do not count.
  assert.equal(pickResult("compare", log, [vote("a", "old", 1)]).message, null);
  // A debate with a judge ends with the verdict, whatever the vote says.
  const verdict = pickResult("debate", [...log, { phase: "verdict", message: msg("v", "judge", 4) }], [vote("a", "b1", 1)]);
  assert.deepEqual([verdict.message?.id, verdict.basis], ["v", "verdict by judge"]);
  // A validation loop's result is the last answer, not the validator's check.
  const loop = pickResult("validate", [{ phase: "produce", message: msg("p", "a", 1) }, { phase: "check", message: msg("k", "b", 2) }], []);
  assert.equal(loop.message?.id, "p");
});

interface Case {
  kind: ProtocolKind;
  protocol: Omit<ProtocolSpec, "kind">;
  roles: string[];
  /** The speaker and step of the expected result (null: a vote winner, or no result when no ballot counted). */
  expect: { from: string; basis: RegExp } | null;
}

const CASES: Case[] = [
  { kind: "roundtable", protocol: { rounds: 1, chair: "b" }, roles: ["a", "b"], expect: { from: "b", basis: /^synthesis by b$/ } },
  { kind: "debate", protocol: { rounds: 1, chair: "judge" }, roles: ["a", "b", "judge"], expect: { from: "judge", basis: /^verdict by judge$/ } },
  { kind: "debate", protocol: { rounds: 1 }, roles: ["a", "b"], expect: null },
  { kind: "pipeline", protocol: { steps: ["a", "b", "c"] }, roles: ["a", "b", "c"], expect: { from: "c", basis: /^validate by c$/ } },
  { kind: "parallel", protocol: { chair: "m" }, roles: ["m", "a", "b"], expect: { from: "m", basis: /^merge by m$/ } },
  { kind: "validate", protocol: { maxAttempts: 1 }, roles: ["p", "v"], expect: { from: "p", basis: /^(produce|correct|best-effort) by p$/ } },
  { kind: "route", protocol: { routes: [{ pattern: "robot", role: "b" }] }, roles: ["a", "b"], expect: { from: "b", basis: /^answer by b$/ } },
  { kind: "compare", protocol: {}, roles: ["a", "b"], expect: null },
];

test("every protocol kind records its result message on the session", async () => {
  const model = await realTestModel();
  await withSessionParts(async ({ store, registry }) => {
    for (const c of CASES) {
      const e = experiment({ roles: c.roles.map((name) => ({ name, model, maxTokens: 24 })), protocol: { kind: c.kind, ...c.protocol } });
      const runner = new SessionRunner({ experiment: e, store, registry });
      const out = await runner.run();
      assert.equal(out.status, "completed", `${c.kind}: ${out.error ?? ""}`);
      const result = store.results.get(runner.sessionId);
      assert.ok(result, `${c.kind}: a result is recorded`);
      const message = result.messageId ? out.messages.find((m) => m.id === result.messageId) : undefined;
      if (c.expect) {
        assert.ok(message, `${c.kind}: the result is one of the session's messages`);
        assert.equal(message.from, c.expect.from, `${c.kind}: result from ${message.from} (${result.basis})`);
        assert.match(result.basis, c.expect.basis);
        assert.equal(result.seq, message.seq);
        // Nothing the rule's speaker said after the result: it is that step's last word.
        assert.ok(!out.messages.some((m) => m.from === c.expect!.from && m.seq > message.seq && m.type !== "vote"), `${c.kind}: the latest such message`);
      } else {
        // A vote decides: the winner is a counted candidate, or there is none when every ballot was an abstention.
        const votes = store.listVotes(runner.sessionId);
        const targets = new Set(votes.map((v) => v.targetMessageId));
        if (message) {
          assert.match(result.basis, /^vote (winner|tie)/);
          assert.ok(targets.has(message.id), `${c.kind}: the winner got votes`);
          assert.ok(c.roles.includes(message.from));
        } else {
          assert.equal(votes.length, 0, `${c.kind}: no result although ballots counted (${result.basis})`);
          assert.match(result.basis, /no ballot counted/);
        }
      }
    }
  });
});
