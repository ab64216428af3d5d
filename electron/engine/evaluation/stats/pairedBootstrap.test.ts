import { test } from "node:test";
import assert from "node:assert/strict";
import { pairedBootstrapDelta } from "./pairedBootstrap.js";
import { percentileInterval, quantileSorted } from "./quantile.js";

test("quantiles interpolate between order statistics (type 7)", () => {
  assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantileSorted([10, 20, 30, 40, 50], 0.25), 20);
  assert.equal(quantileSorted([0, 10], 0.025), 0.25);
  assert.deepEqual(percentileInterval([5, 1, 3, 2, 4], 0.5), [2, 4]);
  assert.ok(Number.isNaN(quantileSorted([], 0.5)));
});

test("paired bootstrap: degenerate cases have exact intervals", () => {
  const same = [true, false, true, true];
  assert.deepEqual(pairedBootstrapDelta(same, same, { seed: 1 })?.ci, [0, 0]);
  const all = pairedBootstrapDelta([true, true, true], [false, false, false], { seed: 1 });
  assert.equal(all?.delta, 1);
  assert.deepEqual(all?.ci, [1, 1]);
  assert.equal(pairedBootstrapDelta([], []), null);
  assert.throws(() => pairedBootstrapDelta([true], [true, false]), /differ in length/);
});

test("paired bootstrap: matches the normal-theory interval on a hand-computed case, and is seeded", () => {
  // 100 tasks, the committee right and the baseline wrong on 20, equal on the rest: the per-task
  // difference is 1 twenty times and 0 eighty times, so delta = 0.2 and its standard error is
  // sqrt(0.2 · 0.8 / 100) = 0.04: the interval is about 0.2 ± 1.96 · 0.04 = [0.12, 0.28].
  const first = Array.from({ length: 100 }, (_, i) => i < 60);
  const second = Array.from({ length: 100 }, (_, i) => i >= 20 && i < 60);
  const r = pairedBootstrapDelta(first, second, { seed: 7, resamples: 4000 });
  assert.ok(r);
  assert.ok(Math.abs(r.delta - 0.2) < 1e-12);
  assert.ok(Math.abs(r.ci[0] - 0.12) <= 0.02, `lo ${r.ci[0]}`);
  assert.ok(Math.abs(r.ci[1] - 0.28) <= 0.02, `hi ${r.ci[1]}`);
  assert.deepEqual(pairedBootstrapDelta(first, second, { seed: 7, resamples: 4000 }), r);
  assert.notDeepEqual(pairedBootstrapDelta(first, second, { seed: 8, resamples: 4000 })?.ci, r.ci);
});
