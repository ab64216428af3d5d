import { test } from "node:test";
import assert from "node:assert/strict";
import { computeResults } from "../../../electron/engine/evaluation/tasks/results.js";
import { accuracyRows, calibrationEmpty, calibrationSummary, conformitySummary, deltaRow, deltaSummary, tokensSummary } from "./resultsSeries.js";

const answer = (correct: boolean, tokens: number) => ({ answer: correct ? "42" : "41", correct, tokens, messageId: null });

test("the Results view's series and summaries follow results.json", () => {
  const model = { fingerprint: "fp1:x", name: "stories" };
  const results = computeResults({
    title: "t",
    check: "numeric",
    baselineKind: "self-consistency",
    tasks: [
      { id: "a", sessionId: "s1", committee: answer(true, 100), baseline: answer(false, 104), conformity: { flipsToWrong: 1, flipsToRight: 0, oracleGap: 0 } },
      { id: "b", sessionId: "s2", committee: answer(true, 200), baseline: answer(true, 250), conformity: { flipsToWrong: 0, flipsToRight: 1, oracleGap: 1 } },
    ],
    calibration: [{ model, confidence: 0.9, correct: true }, { model, confidence: 0.8, correct: false }],
  });
  assert.deepEqual(accuracyRows(results).map((r) => [r.name, r.accuracy]), [["Committee", 100], ["Baseline (self-consistency)", 50]]);
  const d = deltaRow(results)!;
  assert.equal(d.delta, 50);
  assert.ok(d.interval[0] >= 0 && d.interval[1] >= 0, "error-bar offsets are distances from the delta");
  assert.match(deltaSummary(results), /^Accuracy delta \+50\.0 points, 95% interval .* McNemar p = 1\.000 \(committee alone right on 1, baseline alone on 0\)\.$/);
  assert.equal(tokensSummary(results), "300 tokens for the committee, 354 for the baseline; the baseline is within ±10% of the committee's budget on 1 of 2 tasks.");
  assert.match(calibrationSummary(results), /^stories: Brier 0\.\d+, ECE 0\.\d+ over 2 answers$/);
  assert.equal(conformitySummary(results), "1 answers flipped from right to wrong and 1 from wrong to right after members saw their peers; in 1 of 2 sessions a member had the right answer and the result was wrong.");
});

test("an empty calibration chart says why instead of drawing an empty frame", () => {
  const base = { title: "t", baselineKind: "self-consistency", calibration: [] };
  const checked = computeResults({ ...base, check: "numeric", tasks: [{ id: "a", sessionId: "s1", committee: answer(true, 100), baseline: answer(false, 104), conformity: null }] });
  assert.match(calibrationEmpty(checked) ?? "", /^Nothing to calibrate: no checked answer came with a stated confidence/);
  const unchecked = computeResults({ ...base, check: null, tasks: [{ id: "a", sessionId: "s1", committee: { ...answer(true, 100), correct: null }, baseline: null, conformity: null }] });
  assert.match(calibrationEmpty(unchecked) ?? "", /^Nothing to calibrate: no answer was checked\. Calibration needs a model-free check/);
  const model = { fingerprint: "fp1:x", name: "stories" };
  const withRows = computeResults({ ...base, check: "numeric", tasks: [], calibration: [{ model, confidence: 0.9, correct: true }] });
  assert.equal(calibrationEmpty(withRows), null);
});
