import { test } from "node:test";
import assert from "node:assert/strict";
import { differenceStdDev, separationEstimate } from "./separation.js";

test("separation: hand-computed votes needed", () => {
  // Gap 20 with standard error 20 after 100 votes: n_new = 100 · (1.96 · 20 / 20)² ≈ 384.1, so 285 more.
  const e = separationEstimate(20, 20, 100);
  assert.equal(e.separated, false);
  assert.equal(e.moreVotes, 285);
  // Already 2.5 standard errors apart.
  assert.equal(separationEstimate(50, 20, 100).moreVotes, 0);
  assert.equal(separationEstimate(50, 20, 100).separated, true);
  // No gap: no number of votes separates them.
  assert.equal(separationEstimate(0, 10, 100).moreVotes, null);
});

test("difference standard deviation of paired samples", () => {
  // Differences 1, 3, 5 → mean 3, sample variance (4 + 0 + 4) / 2 = 4 → sd 2.
  assert.equal(differenceStdDev([2, 5, 9], [1, 2, 4]), 2);
  assert.throws(() => differenceStdDev([1], [1, 2]), /differ in length/);
});
