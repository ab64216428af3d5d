import { test } from "node:test";
import assert from "node:assert/strict";
import { meanPassAtK, passAtK } from "./passAtK.js";

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} ≉ ${b}`);

test("pass@k against hand-computed cases", () => {
  // n=5, c=2, k=1: 1 − C(3,1)/C(5,1) = 1 − 3/5.
  close(passAtK(5, 2, 1), 0.4);
  // n=5, c=2, k=2: 1 − C(3,2)/C(5,2) = 1 − 3/10.
  close(passAtK(5, 2, 2), 0.7);
  // n=5, c=2, k=3: 1 − C(3,3)/C(5,3) = 1 − 1/10.
  close(passAtK(5, 2, 3), 0.9);
  // Fewer failures than k: some drawn sample must pass.
  close(passAtK(5, 2, 4), 1);
  // n=10, c=1, k=5: 1 − C(9,5)/C(10,5) = 1 − 126/252.
  close(passAtK(10, 1, 5), 0.5);
  close(passAtK(4, 0, 2), 0);
  close(passAtK(4, 4, 1), 1);
  // pass@1 is the pass rate.
  close(passAtK(200, 37, 1), 37 / 200);
});

test("the run's pass@k averages tasks, for k up to the smallest sample count", () => {
  const r = meanPassAtK([{ n: 3, c: 1 }, { n: 4, c: 0 }]);
  // Task 1: pass@1 = 1/3, pass@2 = 1 − C(2,2)/C(3,2) = 2/3, pass@3 = 1; task 2 passes never.
  assert.deepEqual(Object.keys(r!), ["1", "2", "3"]);
  close(r!["1"]!, 1 / 6);
  close(r!["2"]!, 1 / 3);
  close(r!["3"]!, 1 / 2);
  assert.equal(meanPassAtK([]), null);
});

test("bad counts are refused", () => {
  assert.throws(() => passAtK(3, 4, 1), RangeError);
  assert.throws(() => passAtK(3, 1, 0), RangeError);
  assert.throws(() => passAtK(3, 1, 4), RangeError);
});
