/** The predicted turn order of real protocol plans: who speaks, in which round, with which swaps. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { planFor } from "../../conversation/protocols/definitions.js";
import { experiment } from "../../test/sessions.js";
import { predictTurns } from "./turnSequence.js";

const roles = (...names: string[]) => names.map((name) => ({ name, model: "stories" }));
const speakers = (turns: ReturnType<typeof predictTurns>) => turns.map((t) => t.speakers.join("+"));

test("a pipeline is one turn per step, in order, one round each", () => {
  const e = experiment({ roles: roles("gen", "enrich", "check"), protocol: { kind: "pipeline" } });
  const turns = predictTurns(e, planFor(e));
  assert.deepEqual(speakers(turns), ["gen", "enrich", "check"]);
  assert.deepEqual(turns.map((t) => t.round), [1, 2, 3]);
  assert.deepEqual(turns.map((t) => t.phase), ["generate", "enrich", "validate"]);
});

test("a roundtable runs every round in full, then the vote and the chair's synthesis", () => {
  const e = experiment({ roles: roles("a", "b"), protocol: { kind: "roundtable", rounds: 2, stopWhen: "rounds" } });
  const turns = predictTurns(e, planFor(e));
  assert.deepEqual(speakers(turns), ["a", "b", "a", "b", "a", "b", "a", "b", "a", "b", "a"]);
  assert.deepEqual(turns.map((t) => t.phase), ["propose", "propose", "critique", "critique", "revise", "revise", "critique", "critique", "vote", "vote", "synthesis"]);
  assert.deepEqual(turns.map((t) => t.round), [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3]);
});

test("a scheduled swap rides on the first turn of its round, and only there", () => {
  const e = experiment({ roles: roles("a", "b"), protocol: { kind: "debate", rounds: 3, vote: false }, swaps: [{ atRound: 2, role: "b", model: "other" }] });
  const turns = predictTurns(e, planFor(e));
  const withSwaps = turns.flatMap((t, i) => (t.swaps.length > 0 ? [{ i, round: t.round, roles: t.swaps.map((s) => s.role) }] : []));
  assert.deepEqual(withSwaps, [{ i: 2, round: 2, roles: ["b"] }]);
});

test("the state role opens every round, and a human seat is left out", () => {
  const e = experiment({
    roles: [...roles("a", "b", "keeper"), { name: "you", human: true }],
    protocol: { kind: "debate", rounds: 2, vote: false },
    state: { role: "keeper", fields: { score: { type: "number", min: 0, max: 10 } } },
  });
  const turns = predictTurns(e, planFor(e));
  assert.ok(turns.every((t) => !t.speakers.includes("you")), "a human seat takes no turn in the residency sequence");
  const rounds = [...new Set(turns.map((t) => t.round))];
  for (const r of rounds) assert.equal(turns.find((t) => t.round === r)?.phase, "state", `round ${r} does not open with the state stage`);
});

test("a concurrent step is one turn with every speaker", () => {
  const e = experiment({ roles: roles("merger", "x", "y"), protocol: { kind: "parallel" } });
  const turns = predictTurns(e, planFor(e));
  assert.ok(turns.some((t) => t.speakers.length > 1), `no group turn in ${speakers(turns).join(", ")}`);
  assert.equal(turns.at(-1)?.speakers.join("+"), "merger");
});
