/**
 * The residency planner on given committees: seat costs, turn orders and budgets stated in the
 * test, walked with an unmeasured perf model (its default speeds), so each plan follows from the
 * input alone.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { ModelIdentity } from "../../../../shared/slots.js";
import { PerfModel } from "../slots/perfModel.js";
import { costOf, nextUse, planResidency, type PlanInput, type SeatCost } from "./planResidency.js";
import type { PlannedTurn } from "./turnSequence.js";

const MB = 1_000_000;

function identity(file: string): ModelIdentity {
  return { path: `/models/${file}.gguf`, fileName: `${file}.gguf`, name: file, sizeBytes: 100 * MB, fingerprint: `fp1:${file}`, architecture: "llama", parameterCount: 50_000_000, quantization: "F16", trainContextSize: 2048, vocabSize: 32000, hasChatTemplate: true };
}

/** A seat of 100 MB weights, 10 MB context and a 20 MB process: 130 MB alone. */
function seat(role: string, file = role): SeatCost {
  return { role, identity: identity(file), weightsBytes: 100 * MB, contextBytes: 10 * MB, processBytes: 20 * MB, turnTokens: 50 };
}

function turns(...order: string[]): PlannedTurn[] {
  return order.map((s, i) => ({ speakers: s.split("+"), round: i + 1, swaps: [], phase: "speak" }));
}

function input(seats: SeatCost[], order: PlannedTurn[], availableBytes: number, extra: Partial<PlanInput> = {}): PlanInput {
  return { sessionId: "s1", seats, turns: order, availableBytes, budgetBytes: availableBytes, reservedBytes: 0, resident: [], from: 0, swapTargets: new Map(), perf: new PerfModel(), ...extra };
}

test("seats on one file pay its weights and process once, each its own context", () => {
  assert.equal(costOf([seat("a")]), 130 * MB);
  assert.equal(costOf([seat("a", "f"), seat("b", "f")]), 140 * MB);
  assert.equal(costOf([seat("a"), seat("b")]), 260 * MB);
});

test("nextUse finds the next turn a role speaks in, or Infinity", () => {
  const order = turns("a", "b", "a+c");
  assert.equal(nextUse(order, "a", 0), 0);
  assert.equal(nextUse(order, "a", 1), 2);
  assert.equal(nextUse(order, "c", 0), 2);
  assert.equal(nextUse(order, "b", 2), Infinity);
});

test("a committee that fits loads each seat once and stays resident", () => {
  const plan = planResidency(input([seat("a"), seat("b")], turns("a", "b", "a", "b"), 1000 * MB));
  assert.equal(plan.refused, null);
  assert.equal(plan.fitsAll, true);
  assert.deepEqual(plan.loads.map((l) => [l.beforeTurn, l.role, l.kind, l.parks]), [
    [0, "a", "first-load", []],
    [1, "b", "first-load", []],
  ]);
  assert.deepEqual(plan.phases.at(-1), { fromTurn: 1, toTurn: 3, resident: ["a", "b"] });
  assert.ok(plan.loads[1]!.prefetchable, "b's load fits beside a's turn, so it can be prefetched");
  assert.ok(!plan.loads[0]!.prefetchable, "nothing precedes the first turn");
});

test("when the speakers do not fit, the seat needed furthest in the future is parked (Belady)", () => {
  // Room for two seats; c's turn must park a or b: a speaks again at turn 3, b only at turn 4.
  const plan = planResidency(input([seat("a"), seat("b"), seat("c")], turns("a", "b", "c", "a", "b"), 270 * MB));
  assert.equal(plan.fitsAll, false);
  const beforeC = plan.loads.find((l) => l.beforeTurn === 2);
  assert.deepEqual(beforeC && { role: beforeC.role, parks: beforeC.parks }, { role: "c", parks: ["b"] });
  const rotations = plan.loads.filter((l) => l.kind === "rotation").map((l) => [l.beforeTurn, l.role]);
  assert.deepEqual(rotations, [[4, "b"]], "a stayed resident; only b comes back");
  assert.ok(plan.predictedTotalMs >= plan.predictedVisibleMs, "a prefetch hides time, it never adds any");
});

test("seats sharing a file co-reside where separate files would not", () => {
  const separate = planResidency(input([seat("a"), seat("b")], turns("a", "b", "a", "b"), 200 * MB));
  const shared = planResidency(input([seat("a", "f"), seat("b", "f")], turns("a", "b", "a", "b"), 200 * MB));
  assert.ok(separate.loads.some((l) => l.kind === "rotation"), "two 130 MB seats cannot share 200 MB");
  assert.deepEqual(shared.loads.map((l) => l.kind), ["first-load", "first-load"]);
  assert.deepEqual(shared.seats.map((s) => s.sharesWith), [["b"], ["a"]]);
});

test("a seat that alone exceeds the budget refuses the plan before anything is loaded", () => {
  const plan = planResidency(input([seat("a"), seat("big")], turns("a", "big"), 120 * MB));
  assert.match(plan.refused ?? "", /a \(role a\) alone needs more than the 120 MB available/);
  assert.deepEqual(plan.loads, []);
  assert.deepEqual(plan.phases, []);
});

test("a running session plans from its current turn with what is resident now", () => {
  const plan = planResidency(input([seat("a"), seat("b")], turns("a", "b", "a", "b"), 1000 * MB, { resident: ["a", "b"], from: 2 }));
  assert.deepEqual(plan.loads, []);
  assert.deepEqual(plan.speakers, [["a"], ["b"]]);
  assert.deepEqual(plan.seats.map((s) => s.resident), [true, true]);
});

test("a scheduled swap of a resident seat is a planned load of the target model", () => {
  const order = turns("a", "b", "a", "b");
  order[2] = { ...order[2]!, swaps: [{ atRound: 3, role: "a", model: "next" }] };
  const plan = planResidency(input([seat("a"), seat("b")], order, 1000 * MB, { swapTargets: new Map([["a", seat("a", "next")]]) }));
  const swap = plan.loads.find((l) => l.kind === "scheduled");
  assert.deepEqual(swap && { beforeTurn: swap.beforeTurn, role: swap.role, modelName: swap.modelName }, { beforeTurn: 2, role: "a", modelName: "next" });
  assert.ok(swap!.predictedMs > 0);
});

test("the horizon caps the walked turns", () => {
  const plan = planResidency(input([seat("a")], turns(...Array.from({ length: 10 }, () => "a")), 1000 * MB, { horizon: 4 }));
  assert.equal(plan.speakers.length, 4);
});
