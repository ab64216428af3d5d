import { test } from "node:test";
import assert from "node:assert/strict";
import type { Message } from "../../../../shared/conversation.js";
import { EvalResults } from "../../../../shared/evalResults.js";
import { conformity } from "./conformity.js";
import { computeResults, type TaskOutcome } from "./results.js";

const answer = (correct: boolean | null, tokens = 10) => ({ answer: correct === null ? null : String(correct), correct, tokens, messageId: null });
let seq = 0;
const msg = (from: string, content: string, type: Message["type"] = "proposal"): Message => ({
  id: `m${++seq}`, sessionId: "s", seq, from, to: "all", type, content, referencesTo: [], confidence: null,
  provenance: null, usage: null, createdAt: 0, round: 1, repairs: [], routing: null,
});

test("results: accuracy, paired delta with its bootstrap interval, McNemar on discordant tasks, tokens", () => {
  // 10 tasks: committee right on 7, baseline on 4; committee-only right on 4 tasks (b), baseline-only on 1 (c).
  const pattern: [boolean, boolean][] = [[true, true], [true, true], [true, true], [true, false], [true, false], [true, false], [true, false], [false, true], [false, false], [false, false]];
  const tasks: TaskOutcome[] = pattern.map(([c, b], i) => ({ id: `t${i}`, sessionId: `s${i}`, committee: answer(c, 100), baseline: answer(b, 95), conformity: null }));
  tasks.push({ id: "unchecked", sessionId: null, committee: answer(null, 50), baseline: answer(null, 50), conformity: null });
  const r = computeResults({ title: "x", check: "exact", baselineKind: "self-consistency", tasks, bootstrap: { seed: 3 } });
  assert.deepEqual(EvalResults.parse(r), r, "the shared schema accepts it");
  assert.equal(r.committee.accuracy, 0.7);
  assert.equal(r.committee.checked, 10);
  assert.equal(r.baseline?.accuracy, 0.4);
  assert.ok(Math.abs((r.delta ?? 0) - 0.3) < 1e-12);
  assert.deepEqual(r.mcnemar && [r.mcnemar.b, r.mcnemar.c], [4, 1]);
  // n = 5 discordant, P(X ≤ 1) = 6/32, doubled = 0.375.
  assert.equal(r.mcnemar?.p, 0.375);
  assert.ok(r.ci95 && r.ci95[0] <= 0.3 && 0.3 <= r.ci95[1] && r.ci95[0] < r.ci95[1]);
  assert.deepEqual(r.tokens, { committee: 1050, baseline: 1000 });
  assert.equal(r.conformity, null);
});

test("results without a baseline or checker still report the committee", () => {
  const r = computeResults({ title: "x", check: null, baselineKind: null, tasks: [{ id: "a", sessionId: "s", committee: answer(null, 5), baseline: null, conformity: null }] });
  assert.equal(r.committee.accuracy, null);
  assert.equal(r.baseline, null);
  assert.equal(r.delta, null);
  assert.equal(r.mcnemar, null);
  assert.equal(r.tokens.baseline, null);
});

test("conformity: flips after seeing peers, and the oracle gap", () => {
  const isCorrect = (a: string) => a === "42";
  const messages = [
    msg("user", "What is 6 × 7?", "question"),
    msg("a", "I say 42"),
    msg("b", "I say 48"),
    msg("a", "b convinced me: 48", "revision"), // a: right → wrong after seeing b
    msg("b", "hmm, 42 then", "revision"), // b: wrong → right
    msg("b", "my vote", "vote"), // not an answer
    msg("c", "no number here"), // nothing extracted
    msg("a", "48", "answer"), // a repeats itself: no flip
  ];
  const counts = conformity({ messages, resultCorrect: false, isCorrect, extract: "(\\d+)" });
  assert.deepEqual(counts, { flipsToWrong: 1, flipsToRight: 1, oracleGap: 1 });
  // A change with no peer in between is no conformity flip; a right result has no gap.
  const alone = conformity({ messages: [msg("a", "42"), msg("a", "48", "revision")], resultCorrect: true, isCorrect, extract: "(\\d+)" });
  assert.deepEqual(alone, { flipsToWrong: 0, flipsToRight: 0, oracleGap: 0 });

  const r = computeResults({
    title: "c", check: "numeric", baselineKind: null,
    tasks: [
      { id: "1", sessionId: "s1", committee: answer(false), baseline: null, conformity: counts },
      { id: "2", sessionId: "s2", committee: answer(true), baseline: null, conformity: alone },
    ],
    calibration: [
      { model: { fingerprint: "fp:a", name: "a" }, confidence: 0.9, correct: true },
      { model: { fingerprint: "fp:a", name: "a" }, confidence: 0.8, correct: false },
      { model: { fingerprint: "fp:b", name: "b" }, confidence: 0.5, correct: true },
    ],
  });
  assert.deepEqual(r.conformity, { flipsToWrong: 1, flipsToRight: 1, oracleGap: 1, sessions: 2 });
  // Model a: Brier ((0.1)² + (0.8)²) / 2 = 0.325; bins [0.8, 0.9) and [0.9, 1]: ½·|0 − 0.8| + ½·|1 − 0.9| = 0.45.
  const a = r.calibration.find((c) => c.model.name === "a")!;
  assert.ok(Math.abs(a.brier - 0.325) < 1e-12 && Math.abs(a.ece - 0.45) < 1e-12 && a.n === 2, JSON.stringify(a));
  assert.equal(r.calibration.find((c) => c.model.name === "b")?.brier, 0.25);
});
