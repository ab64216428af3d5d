/**
 * The session status machine on a real SQLite file: `waiting` is stored (migration 18), the table
 * refuses what it does not list, a change is told once, and an experiment's human seats are checked.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import type { SessionInfo } from "../../../../shared/conversation.js";
import { Experiment, experimentErrors, humanRoles, modelRoles } from "../../../../shared/experiment.js";
import { tempStore } from "../../data/store/test/testSupport.js";
import { SESSION_TRANSITIONS, SessionStatusMachine, SessionTransitionError, canMoveSession, moveSession } from "./sessionTransitions.js";

test("a running session waits, goes on, and ends; finished sessions go nowhere", () => {
  const t = tempStore();
  try {
    const s = t.store.createSession({ title: "t", task: "x", protocolKind: "roundtable", experiment: {} });
    const told: SessionInfo[] = [];
    const machine = new SessionStatusMachine(t.store, s.id, (x) => told.push(x));
    assert.equal(machine.moveTo("waiting").status, "waiting");
    assert.equal(t.store.getSession(s.id)!.status, "waiting", "stored");
    machine.moveTo("waiting");
    assert.equal(told.length, 1, "no event when nothing changed");
    assert.throws(() => machine.moveTo("paused"), (e: unknown) => e instanceof SessionTransitionError && /cannot go from waiting to paused/.test(e.message));
    machine.moveTo("running");
    machine.moveTo("completed");
    assert.deepEqual(told.map((x) => x.status), ["waiting", "running", "completed"]);
    assert.throws(() => moveSession(t.store, s.id, "running"), SessionTransitionError);
    for (const end of ["completed", "aborted", "failed"] as const) assert.deepEqual(SESSION_TRANSITIONS[end], []);
    assert.equal(canMoveSession("interrupted", "waiting"), false, "a resumed session runs before it can wait again");
  } finally {
    t.cleanup();
  }
});

test("human seats: no model, no backend, and at least one role with a model", () => {
  const parse = (roles: unknown[]) => Experiment.parse({ task: "t", roles, protocol: { kind: "roundtable" } });
  const ok = parse([{ name: "a", model: "m.gguf" }, { name: "you", human: true }]);
  assert.deepEqual(experimentErrors(ok), []);
  assert.deepEqual([modelRoles(ok).map((r) => r.name), humanRoles(ok)], [["a"], ["you"]]);
  assert.deepEqual(experimentErrors(parse([{ name: "a", model: "m.gguf" }, { name: "you", human: true, model: "m.gguf" }])), [{ path: "roles[1].model", message: "'you' is a human seat: it has no model" }]);
  assert.deepEqual(experimentErrors(parse([{ name: "a" }, { name: "you", human: true }])), [{ path: "roles[0].model", message: "a model reference is required (or `human: true` for a seat of your own)" }]);
  assert.deepEqual(experimentErrors(parse([{ name: "you", human: true }])), [{ path: "roles", message: "at least one role needs a model" }]);
  const swapped = Experiment.parse({ task: "t", roles: [{ name: "a", model: "m.gguf" }, { name: "you", human: true }], protocol: { kind: "roundtable" }, swaps: [{ atRound: 2, role: "you", model: "m.gguf" }] });
  assert.deepEqual(experimentErrors(swapped), [{ path: "swaps[0].role", message: "'you' is a human seat: it has no model to swap" }]);
});
