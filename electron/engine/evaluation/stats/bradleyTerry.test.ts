import { test } from "node:test";
import assert from "node:assert/strict";
import { fitBradleyTerry, toElo } from "./bradleyTerry.js";
import { winProbability } from "./test/winProbability.js";
import { countOutcomes, records, scoreMatrix, type IndexedOutcome } from "./outcomeCounts.js";

const games = (a: number, b: number, winner: IndexedOutcome["winner"], times: number): IndexedOutcome[] =>
  Array.from({ length: times }, () => ({ a, b, winner }));
const close = (a: number, b: number, eps: number) => assert.ok(Math.abs(a - b) <= eps, `${a} vs ${b}`);

test("two models, 3 wins to 1: the MLE gap is ln 3, i.e. 400·log10(3) ≈ 190.85 Elo points", () => {
  const c = countOutcomes(2, [...games(0, 1, "a", 3), ...games(0, 1, "b", 1)]);
  const theta = fitBradleyTerry(c, { prior: 1e-9 });
  close(theta[0]! - theta[1]!, Math.log(3), 1e-6);
  const [r0, r1] = toElo(theta);
  close(r0! - r1!, 400 * Math.log10(3), 1e-4);
  close(r0! + r1!, 2000, 1e-9);
  // And the fitted ratings reproduce the observed 3:1 odds.
  close(winProbability(r0!, r1!), 0.75, 1e-6);
});

test("ties count half a win each way", () => {
  // 2 wins, 2 losses, 4 ties: perfectly even.
  const even = countOutcomes(2, [...games(0, 1, "a", 2), ...games(0, 1, "b", 2), ...games(0, 1, "tie", 4)]);
  close(fitBradleyTerry(even, { prior: 1e-9 })[0]!, fitBradleyTerry(even, { prior: 1e-9 })[1]!, 1e-9);
  // 1 win and 2 ties ("both bad" is a tie too): scores 2 against 1, gap ln 2.
  const c = countOutcomes(2, [...games(0, 1, "a", 1), ...games(1, 0, "tie", 1), ...games(0, 1, "both-bad", 1)]);
  assert.deepEqual(records(c), [{ wins: 1, losses: 0, ties: 2 }, { wins: 0, losses: 1, ties: 2 }]);
  const t = fitBradleyTerry(c, { prior: 1e-9 });
  close(t[0]! - t[1]!, Math.log(2), 1e-6);
});

test("a known round-robin: the fitted model reproduces every model's total score", () => {
  // A beats B 3-1, B beats C 3-1, A beats C 4-0: the likelihood equations say each model's expected
  // score equals its observed score (the prior's pull is negligible at 1e-9).
  const outcomes = [
    ...games(0, 1, "a", 3), ...games(0, 1, "b", 1),
    ...games(1, 2, "a", 3), ...games(1, 2, "b", 1),
    ...games(0, 2, "a", 4),
  ];
  const c = countOutcomes(3, outcomes);
  const theta = fitBradleyTerry(c, { prior: 1e-9 });
  const s = scoreMatrix(c);
  for (let i = 0; i < 3; i++) {
    let observed = 0;
    let expected = 0;
    for (let j = 0; j < 3; j++) {
      if (i === j) continue;
      const n = s[i * 3 + j]! + s[j * 3 + i]!;
      observed += s[i * 3 + j]!;
      expected += n / (1 + Math.exp(theta[j]! - theta[i]!));
    }
    close(expected, observed, 1e-6);
  }
  assert.ok(theta[0]! > theta[1]! && theta[1]! > theta[2]!);
});

test("an undefeated model stays finite under the prior; a model without games sits at the reference", () => {
  const c = countOutcomes(3, games(0, 1, "a", 5));
  const theta = fitBradleyTerry(c);
  assert.ok(theta.every(Number.isFinite));
  assert.ok(theta[0]! > 0 && theta[1]! < 0);
  close(theta[2]!, 0, 1e-9);
  // Strictly concave: the same answer from any start.
  const again = fitBradleyTerry(c, { start: Float64Array.from([3, -3, 1]) });
  for (let i = 0; i < 3; i++) close(again[i]!, theta[i]!, 1e-7);
  assert.throws(() => fitBradleyTerry(c, { prior: 0 }), /prior must be positive/);
});
