import { test } from "node:test";
import assert from "node:assert/strict";
import { Experiment, experimentErrors } from "../../../../shared/experiment.js";
import { planFor } from "./definitions.js";
import type { Step } from "./plan.js";

const base = {
  task: "Fix the file.",
  roles: [
    { name: "coder", model: "generated:tiny-chat" },
    { name: "reviewer", model: "generated:tiny-chat" },
  ],
};

const flat = (steps: readonly Step[]): Step[] => steps.flatMap((s) => [s, ...("body" in s ? flat(s.body) : []), ...(s.op === "loop" ? flat(s.onFail) : [])]);

test("a validate loop with a command validator checks the latest answer and tells the corrector", () => {
  const e = Experiment.parse({ ...base, protocol: { kind: "validate", validator: { command: ["tsc", "-p", "."] }, corrector: "reviewer" } });
  assert.deepEqual(experimentErrors(e), []);
  const plan = planFor(e);
  const command = flat(plan.steps).filter((s) => s.op === "command");
  assert.deepEqual(command, [{ op: "command", phase: "check", check: "validator", of: ["produce", "correct"], to: ["reviewer"] }]);
  assert.ok(!flat(plan.steps).some((s) => s.op === "speak" && s.phase === "check"), "no model validates");
  assert.match(plan.summary, /the command check checks/);
});

test("a roundtable with checkProposals checks every proposal of the round; it needs a command check", () => {
  const e = Experiment.parse({ ...base, protocol: { kind: "roundtable", checkProposals: true }, check: { kind: "command", run: ["npm", "test"] } });
  assert.deepEqual(experimentErrors(e), []);
  const command = flat(planFor(e).steps).filter((s) => s.op === "command");
  assert.deepEqual(command, [{ op: "command", phase: "proposal-check", check: "experiment", of: ["propose", "revise"], each: true, to: ["coder", "reviewer"] }]);

  const without = Experiment.parse({ ...base, protocol: { kind: "roundtable", checkProposals: true } });
  assert.deepEqual(experimentErrors(without).map((i) => i.path), ["protocol.checkProposals"]);
});

test("attachment paths and command argv are validated with their field paths", () => {
  const bad = Experiment.safeParse({ ...base, protocol: { kind: "pipeline" }, attachments: [{ path: "../escape.ts", content: "x" }], check: { kind: "command", run: [] } });
  assert.equal(bad.success, false);
  const paths = bad.error!.issues.map((i) => i.path.join("."));
  assert.ok(paths.includes("check.run"), paths.join(", "));
  assert.ok(paths.some((p) => p.startsWith("attachments.0")), paths.join(", "));
});
