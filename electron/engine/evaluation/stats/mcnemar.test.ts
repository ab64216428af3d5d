import { test } from "node:test";
import assert from "node:assert/strict";
import { discordantPairs, mcnemarExactP } from "./mcnemar.js";

const close = (a: number, b: number, eps = 1e-12) => assert.ok(Math.abs(a - b) <= eps, `${a} vs ${b}`);

test("exact McNemar p against hand-computed binomial tails", () => {
  // b=1, c=5: n=6, P(X<=1) = (1 + 6) / 64, doubled.
  close(mcnemarExactP({ b: 1, c: 5 }), 14 / 64);
  // b=0, c=10: P(X<=0) = 1/1024, doubled.
  close(mcnemarExactP({ b: 0, c: 10 }), 2 / 1024);
  // Symmetric in b and c.
  close(mcnemarExactP({ b: 10, c: 0 }), 2 / 1024);
  // b=c: the doubled tail exceeds 1 and is capped.
  assert.equal(mcnemarExactP({ b: 3, c: 3 }), 1);
  // b=2, c=8: P(X<=2) = (1 + 10 + 45) / 1024.
  close(mcnemarExactP({ b: 2, c: 8 }), (2 * 56) / 1024);
  assert.equal(mcnemarExactP({ b: 0, c: 0 }), 1);
  // Large n stays finite and tiny rather than overflowing.
  const p = mcnemarExactP({ b: 400, c: 600 });
  assert.ok(p > 0 && p < 1e-9, String(p));
});

test("discordant pairs are counted per task; bad input is refused", () => {
  assert.deepEqual(discordantPairs([true, true, false, false, true], [false, true, true, false, false]), { b: 2, c: 1 });
  assert.throws(() => discordantPairs([true], []), /differ in length/);
  assert.throws(() => mcnemarExactP({ b: -1, c: 2 }), /non-negative integer/);
  assert.throws(() => mcnemarExactP({ b: 1.5, c: 2 }), /non-negative integer/);
});
