import { test } from "node:test";
import assert from "node:assert/strict";
import { brierScore, expectedCalibrationError } from "./calibration.js";

const close = (a: number | null, b: number) => assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${a} vs ${b}`);

test("Brier score by hand", () => {
  // (0.9-1)² + (0.8-0)² + (0.5-1)² + (0.2-0)² = 0.01 + 0.64 + 0.25 + 0.04 = 0.94 → / 4 = 0.235
  close(brierScore([
    { confidence: 0.9, correct: true },
    { confidence: 0.8, correct: false },
    { confidence: 0.5, correct: true },
    { confidence: 0.2, correct: false },
  ]), 0.235);
  assert.equal(brierScore([]), null);
  assert.throws(() => brierScore([{ confidence: 1.2, correct: true }]), /outside 0\.\.1/);
});

test("ECE over equal-width bins by hand", () => {
  const points = [
    // bin [0.9, 1.0] (1.0 belongs to the last bin): confidences 0.95 and 1.0, one right → acc 0.5, conf 0.975
    { confidence: 0.95, correct: true },
    { confidence: 1, correct: false },
    // bin [0.3, 0.4): 0.3 and 0.35, both right → acc 1, conf 0.325
    { confidence: 0.3, correct: true },
    { confidence: 0.35, correct: true },
  ];
  // ECE = 2/4 · |0.5 − 0.975| + 2/4 · |1 − 0.325| = 0.2375 + 0.3375 = 0.575
  close(expectedCalibrationError(points), 0.575);
  // Two bins: [0, 0.5) holds the two low ones, [0.5, 1] the two high ones — same figure here.
  close(expectedCalibrationError(points, 2), 0.575);
  // One bin: |3/4 − 0.65| = 0.1
  close(expectedCalibrationError(points, 1), 0.1);
  // Perfectly calibrated: 0.5 confidence, half right.
  close(expectedCalibrationError([{ confidence: 0.5, correct: true }, { confidence: 0.5, correct: false }]), 0);
  assert.equal(expectedCalibrationError([]), null);
  assert.throws(() => expectedCalibrationError(points, 0), /positive integer/);
});
