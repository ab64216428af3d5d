import { test } from "node:test";
import assert from "node:assert/strict";
import { mulberry32 } from "../../../../shared/prng.js";
import { logFactorial, poissonSampler } from "./poisson.js";

test("log k! matches the exact sum, across the table and the series", () => {
  let exact = 0;
  for (let k = 1; k <= 200; k++) {
    exact += Math.log(k);
    assert.ok(Math.abs(logFactorial(k) - exact) < 1e-9 * Math.max(1, exact), `k=${k}`);
  }
  assert.equal(logFactorial(0), 0);
});

test("Poisson draws have the right mean and variance on both sides of the method switch, and are seeded", () => {
  for (const lam of [0.5, 3, 9.5, 10, 27, 80, 1000]) {
    const draw = poissonSampler(mulberry32(42));
    const n = 40_000;
    let sum = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const k = draw(lam);
      assert.ok(Number.isInteger(k) && k >= 0);
      sum += k;
      sq += k * k;
    }
    const mean = sum / n;
    const variance = sq / n - mean * mean;
    // Standard error of the mean is sqrt(λ/n); allow 5 of them.
    assert.ok(Math.abs(mean - lam) < 5 * Math.sqrt(lam / n), `λ=${lam}: mean ${mean}`);
    assert.ok(Math.abs(variance / lam - 1) < 0.05, `λ=${lam}: variance ${variance}`);
  }
  const a = poissonSampler(mulberry32(7));
  const b = poissonSampler(mulberry32(7));
  assert.deepEqual([a(5), a(50), a(500)], [b(5), b(50), b(500)]);
  assert.equal(poissonSampler(Math.random)(0), 0);
  assert.throws(() => poissonSampler(Math.random)(-1), /non-negative/);
});
