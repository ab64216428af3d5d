/** The chart shapes and the text alternatives read in place of the charts. */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { SessionMetrics } from "../../../shared/metrics.js";
import { histogramSummary, memoryRows, memorySummary, perRoleRows, speedSummary, swapMarks, swapSeqMarks, thoughtSummary, thoughtTotals } from "./metricsSeries.js";

const empty = Array.from({ length: 10 }, (_, i) => ({ from: i / 10, to: (i + 1) / 10, count: 0 }));
const metrics: SessionMetrics = {
  sessionId: "s",
  startedAt: 1_000_000,
  turns: [
    { seq: 3, at: 1_001_000, role: "teller", round: 1, tokensPerSec: 100, ttftMs: 20, completionTokens: 10 },
    { seq: 4, at: 1_002_000, role: "critic", round: 1, tokensPerSec: 300, ttftMs: null, completionTokens: 10 },
    { seq: 6, at: 1_003_000, role: "teller", round: 2, tokensPerSec: 200, ttftMs: 40, completionTokens: 10 },
  ],
  memory: [
    { at: 1_000_500, estimatedBytes: 0, measuredBytes: 0, budgetBytes: 16e9 },
    { at: 1_002_500, estimatedBytes: 30e6, measuredBytes: 455e6, budgetBytes: 16e9 },
  ],
  swaps: [{ at: 1_002_000, role: "critic", kind: "scheduled", from: "a", to: "b", outcome: "ok", round: 2 }],
  votes: { scores: empty, byRole: [], total: 0 },
  ratings: { scores: empty.map((b, i) => ({ ...b, count: i === 9 ? 2 : 0 })), total: 2 },
};

test("one row per turn with a column per role", () => {
  const { roles, rows } = perRoleRows(metrics.turns, "tokensPerSec");
  assert.deepEqual(roles, ["teller", "critic"]);
  assert.deepEqual(rows, [
    { seq: 3, teller: 100, critic: null },
    { seq: 4, teller: null, critic: 300 },
    { seq: 6, teller: 200, critic: null },
  ]);
});

test("summaries give the numbers the picture shows", () => {
  assert.equal(speedSummary(metrics.turns, "tokensPerSec"), "Mean per role: teller 150 tok/s over 2 turns; critic 300 tok/s over 1 turn.");
  assert.equal(speedSummary(metrics.turns, "ttftMs"), "Mean per role: teller 30.0 ms to the first token over 2 turns.");
  assert.equal(speedSummary([], "ttftMs"), "No model turns with timings yet.");
  assert.deepEqual(memoryRows(metrics).map((r) => [r.t, r.measuredMb, r.budgetMb]), [[0.5, 0, 16000], [2.5, 455, 16000]]);
  assert.deepEqual(swapMarks(metrics), [{ t: 2, label: "critic → b", ok: true }]);
  // The speed charts count messages: the swap at 2 s comes right after message 4, stored at that moment.
  assert.deepEqual(swapSeqMarks(metrics), [{ seq: 4.5, label: "critic → b", ok: true }]);
  assert.deepEqual(swapSeqMarks({ ...metrics, swaps: [{ ...metrics.swaps[0]!, at: 1_000_000 }] }).map((s) => s.seq), [2.5]);
  assert.equal(memorySummary(metrics), "2 samples over 2.5 s: measured peak 455 MB, last estimate 30.0 MB against a budget of 16,000 MB; 1 swap (critic → b at 2 s).");
  assert.equal(histogramSummary("votes", metrics.votes.scores, 0), "No votes yet.");
  assert.equal(histogramSummary("ratings", metrics.ratings.scores, 2), "2 ratings, 2 with a score; most common range 0.9–1.0 (2).");
});

test("thought tokens and time are told apart from answer tokens", () => {
  const turns = [...metrics.turns, { seq: 7, at: 1_004_000, role: "critic", round: 2, tokensPerSec: 250, ttftMs: 30, completionTokens: 12, thoughtTokens: 40, thoughtMs: 1500 }];
  assert.deepEqual(thoughtTotals(turns), [
    { role: "teller", answerTokens: 20, thoughtTokens: 0, thoughtMs: 0, thinkingTurns: 0 },
    { role: "critic", answerTokens: 22, thoughtTokens: 40, thoughtMs: 1500, thinkingTurns: 1 },
  ]);
  assert.equal(thoughtSummary(turns), "teller thought 0 tokens (0.0 s, 0 turns) beside 20 answer tokens; critic thought 40 tokens (1.5 s, 1 turn) beside 22 answer tokens.");
  assert.equal(thoughtSummary(metrics.turns), "No role thought before answering (no thought segments).");
});
