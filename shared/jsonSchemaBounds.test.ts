import { test } from "node:test";
import assert from "node:assert/strict";
import { jsonSchemaIssues, SCHEMA_LIMITS } from "./jsonSchemaBounds.js";
import { checkExperimentInput } from "./experimentInput.js";

const experiment = (schema: unknown) => ({
  task: "t",
  roles: [{ name: "a", model: "m.gguf" }],
  protocol: { kind: "pipeline" },
  tasks: [{ id: "1", prompt: "p" }],
  check: { kind: "json-schema", schema },
});
const issues = (input: unknown): string[] => {
  const r = checkExperimentInput(input);
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
};

test("a huge enum, deep nesting and a $ref cycle are refused before the run, naming check.schema", { timeout: 120_000 }, () => {
  const big = Array.from({ length: 200_000 }, (_, i) => `v${i}`);
  assert.deepEqual(issues(experiment({ enum: big })), [`check.schema.enum: an enum of 200000 values; at most ${SCHEMA_LIMITS.enumSize} are allowed`]);
  let deep: Record<string, unknown> = { type: "string" };
  for (let i = 0; i < 100_000; i++) deep = { items: deep };
  const d = issues(experiment(deep));
  assert.equal(d.length, 1);
  assert.match(d[0]!, /^check\.schema\.items\.items.*: nested more than 100 levels deep$/);
  let moderate: Record<string, unknown> = { type: "string" };
  for (let i = 0; i < 80; i++) moderate = { items: moderate };
  assert.match(issues(experiment(moderate)).join(), /check\.schema\.items.*: the schema is nested more than 64 deep/);
  assert.deepEqual(issues(experiment({ $ref: "#" })), ["check.schema.$ref: this $ref leads back to itself without descending into the value, so validating any answer would recurse forever"]);
  assert.match(issues(experiment({ $defs: { a: { allOf: [{ $ref: "#/$defs/b" }] }, b: { anyOf: [{ $ref: "#/$defs/a" }] } }, $ref: "#/$defs/a" })).join(), /recurse forever/);
  assert.match(issues(experiment({ $ref: "https://example.com/s.json" })).join(), /check\.schema\.\$ref: .* points nowhere/);
  assert.match(issues(experiment({ properties: { a: { type: "string", pattern: "^(a+)+(?=b)" } } })).join(), /check\.schema\.properties\.a\.pattern: not a pattern this engine runs/);
  assert.match(issues(experiment({ patternProperties: { "(?<=x)y": {} } })).join(), /check\.schema\.patternProperties\["\(\?<=x\)y"\]: not a pattern/);
});

test("ordinary schemas pass: recursion through properties and items, local $defs", () => {
  const tree = { $defs: { node: { type: "object", properties: { value: { type: "number" }, children: { type: "array", items: { $ref: "#/$defs/node" } } } } }, $ref: "#/$defs/node" };
  assert.deepEqual(jsonSchemaIssues(tree), []);
  assert.deepEqual(jsonSchemaIssues({ type: "object", required: ["a"], properties: { a: { enum: ["x", "y"], pattern: "^[a-z]+$" } } }), []);
  assert.deepEqual(issues(experiment({ type: "object", properties: { answer: { type: "integer" } } })), []);
});
