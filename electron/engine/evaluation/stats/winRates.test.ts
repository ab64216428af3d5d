import { test } from "node:test";
import assert from "node:assert/strict";
import { countOutcomes } from "./outcomeCounts.js";
import { winRateMatrix } from "./winRates.js";

test("win rates count ties as half and leave unplayed pairs empty", () => {
  const c = countOutcomes(3, [
    { a: 0, b: 1, winner: "a" },
    { a: 1, b: 0, winner: "b" },
    { a: 0, b: 1, winner: "b" },
    { a: 0, b: 1, winner: "tie" },
  ]);
  // Model 0 vs 1: 2 wins, 1 loss, 1 tie → (2 + 0.5) / 4.
  assert.deepEqual(winRateMatrix(c), [
    [null, 0.625, null],
    [0.375, null, null],
    [null, null, null],
  ]);
});
