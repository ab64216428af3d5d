/** The recycling rule on given measurements: what the budget counts for a reused process. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { RECYCLE_SLACK_BYTES, recycledBaseline } from "./recycledBaseline.js";

const MB = 1e6;

test("a process that came back below its start-up RSS is counted at its start-up RSS", () => {
  assert.equal(recycledBaseline(110 * MB, 104 * MB), 110 * MB);
});

test("a process that kept some memory within the slack is counted at what it measured", () => {
  assert.equal(recycledBaseline(110 * MB, 140 * MB), 140 * MB);
  assert.equal(recycledBaseline(110 * MB, 110 * MB + RECYCLE_SLACK_BYTES), 110 * MB + RECYCLE_SLACK_BYTES);
});

test("a process that kept more than the slack is not reused", () => {
  assert.equal(recycledBaseline(110 * MB, 110 * MB + RECYCLE_SLACK_BYTES + 1), null);
  assert.equal(recycledBaseline(110 * MB, Number.NaN), null);
});

test("a second reuse is decided from the start-up figure, not from the first reuse's count", () => {
  // The first reuse measured 150 MB; the second measured 120 MB. Both are counted from the start
  // figure, so the second count may be lower than the first: RSS is not monotonic.
  const first = recycledBaseline(110 * MB, 150 * MB);
  const second = recycledBaseline(110 * MB, 120 * MB);
  assert.equal(first, 150 * MB);
  assert.equal(second, 120 * MB);
});
