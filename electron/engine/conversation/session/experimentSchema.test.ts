import { test } from "node:test";
import assert from "node:assert/strict";
import { Experiment, experimentErrors, experimentWarnings, fieldPath } from "../../../../shared/experiment.js";

const ISSUE_EXAMPLE = {
  title: "string",
  task: "the prompt the committee works on",
  seed: 42,
  roles: [{ name: "analyzer", model: "path/to/model.gguf", system: "optional system prompt", temperature: 0.7, maxTokens: 128 }],
  protocol: { kind: "roundtable", rounds: 2, chair: "analyzer" },
  swaps: [{ atRound: 2, role: "critic", model: "path/to/other.gguf" }],
};

test("the issue's experiment example is accepted exactly as written", () => {
  const e = Experiment.parse(ISSUE_EXAMPLE);
  assert.equal(e.protocol.kind, "roundtable");
  assert.deepEqual(experimentErrors(e), []);
  // It swaps a role it never declares: a warning (the swap is skipped), not an error.
  assert.deepEqual(experimentWarnings(e).map((w) => w.path), ["swaps[0].role"]);
});

test("every protocol kind is accepted", () => {
  for (const kind of ["roundtable", "debate", "pipeline", "parallel", "validate", "route", "compare"]) {
    const e = Experiment.parse({ ...ISSUE_EXAMPLE, roles: [...ISSUE_EXAMPLE.roles, { name: "critic", model: "x.gguf" }], protocol: { kind } });
    assert.deepEqual(experimentErrors(e), [], kind);
  }
});

test("cross-references are checked with field paths", () => {
  const e = Experiment.parse({ ...ISSUE_EXAMPLE, protocol: { kind: "roundtable", chair: "nobody" } });
  assert.deepEqual(experimentErrors(e).map((i) => i.path), ["protocol.chair"]);
  assert.equal(fieldPath(["roles", 0, "model"]), "roles[0].model");
});

test("a role whose maxTokens leaves too little room for the typed format is warned about, except in compare", () => {
  const base = { task: "t", roles: [{ name: "a", model: "m.gguf", maxTokens: 32 }, { name: "b", model: "m.gguf", maxTokens: 128 }], protocol: { kind: "roundtable" as const } };
  const warnings = experimentWarnings(Experiment.parse(base));
  assert.deepEqual(warnings.map((w) => w.path), ["roles[0].maxTokens"]);
  assert.match(warnings[0]!.message, /too little room for the typed format.*content is kept/);
  assert.deepEqual(experimentWarnings(Experiment.parse({ ...base, protocol: { kind: "compare" } })), []);
});
