import { test } from "node:test";
import assert from "node:assert/strict";
import type { Message } from "../../../../shared/conversation.js";
import { ballotFor, tally, votesFromRanking } from "./voting.js";
import { seededShuffle } from "./seededRandom.js";
import { complexityScore, routeTask } from "./router.js";

const msg = (seq: number, from: string, content = `answer of ${from}`): Message => ({
  id: `id-${seq}`, sessionId: "s", seq, from, to: "all", type: "answer", content, referencesTo: [], confidence: null,
  provenance: null, usage: null, createdAt: 0, round: 1, repairs: [], routing: null,
});

test("a voter never sees or ranks its own message", () => {
  const candidates = [msg(1, "a"), msg(2, "b"), msg(3, "c")];
  for (const voter of ["a", "b", "c"]) {
    const ballot = ballotFor(voter, candidates, `42:${voter}`, true, "Rank.");
    assert.ok(ballot);
    assert.equal(ballot.candidates.length, 2);
    assert.ok(ballot.candidates.every((c) => c.message.from !== voter));
    assert.doesNotMatch(ballot.text, new RegExp(`answer of ${voter}`));
    // Blind: no author names.
    assert.doesNotMatch(ballot.text, /\((a|b|c)\)/);
  }
  assert.equal(ballotFor("a", [msg(1, "a")], "k", false, "Rank."), null);
  // Even a ranking that names the voter's own message records no self-vote.
  const votes = votesFromRanking("s", "a", [msg(1, "a"), msg(2, "b")], 1, "", "v");
  assert.deepEqual(votes.map((v) => v.targetMessageId), ["id-2"]);
});

test("ballot order is shuffled by seed: stable for a seed, different across seeds", () => {
  const items = Array.from({ length: 8 }, (_, i) => i);
  assert.deepEqual(seededShuffle(items, "42:a:1"), seededShuffle(items, "42:a:1"));
  const orders = new Set(Array.from({ length: 10 }, (_, s) => seededShuffle(items, `${s}:a:1`).join()));
  assert.ok(orders.size > 5);
});

test("tally sums rank scores", () => {
  const c = [msg(1, "a"), msg(2, "b"), msg(3, "c")];
  const votes = [
    ...votesFromRanking("s", "a", [c[1]!, c[2]!], 1, "", "v1"),
    ...votesFromRanking("s", "c", [c[1]!, c[0]!], 1, "", "v2"),
  ];
  const rows = tally(c, votes);
  assert.equal(rows[0]!.message.from, "b");
  assert.equal(rows[0]!.points, 2);
});

test("router: rules first, then complexity bands", () => {
  const bands = [{ upTo: 0.3, role: "fast" }, { upTo: 1, role: "strong" }];
  assert.equal(routeTask("write a poem", [{ pattern: "poem", role: "poet" }], bands, "fast").role, "poet");
  assert.equal(routeTask("hi", [], bands, "x").role, "fast");
  const hard = "Explain why 3*7+2=23 and prove it step by step? Why? How?";
  assert.ok(complexityScore(hard) > 0.3);
  assert.equal(routeTask(hard, [], bands, "x").role, "strong");
});
