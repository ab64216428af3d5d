import { test } from "node:test";
import assert from "node:assert/strict";
import { CheckSpec, type TaskItem } from "../../../../shared/experiment.js";
import { checkerFor, compileSchemaCheck, firstJson, lastNumber } from "./checkers.js";
import { extractAnswer } from "./extractAnswer.js";

const task = (reference?: string | number): TaskItem => ({ id: "t", prompt: "p", ...(reference === undefined ? {} : { reference }) });
const check = (spec: unknown) => checkerFor(CheckSpec.parse(spec))!;

test("answer extraction: last match, first group, else whole match; null when absent", () => {
  assert.equal(extractAnswer("The answer is 12. Wait, the answer is 42.", "answer is (\\d+)"), "42");
  assert.equal(extractAnswer("#### 7", "####\\s*\\d+"), "#### 7");
  assert.equal(extractAnswer("no number", "(\\d+)"), null);
  assert.equal(extractAnswer("  plain  "), "plain");
  assert.equal(extractAnswer("   "), null);
});

test("exact: case, whitespace and one trailing full stop do not matter unless asked", () => {
  assert.equal(check("exact")("  Paris. ", task("paris")).correct, true);
  assert.equal(check("exact")("Lyon", task("paris")).correct, false);
  assert.equal(check({ kind: "exact", caseSensitive: true })("paris", task("Paris")).correct, false);
  assert.match(check("exact")("x", task()).detail, /no reference/);
  assert.equal(check("exact")(null, task("x")).correct, false);
});

test("regex: the check's pattern, else the reference as a pattern", () => {
  assert.equal(check({ kind: "regex", pattern: "^blue|green$" })("Blue", task()).correct, true);
  assert.equal(check("regex")("forty-two", task("forty[- ]two")).correct, true);
  assert.equal(check("regex")("43", task("^42$")).correct, false);
});

test("numeric: the last number within an absolute or relative tolerance", () => {
  assert.equal(lastNumber("about 1,234.5 apples, or -3"), -3);
  assert.equal(lastNumber("1,234.5 apples"), 1234.5);
  assert.equal(lastNumber("none"), null);
  assert.equal(check("numeric")("so 6 × 7 = 42", task(42)).correct, true);
  assert.equal(check("numeric")("42.0", task("42")).correct, true);
  assert.equal(check({ kind: "numeric", tolerance: 0.5 })("42.4", task(42)).correct, true);
  assert.equal(check({ kind: "numeric", tolerance: 0.5 })("42.6", task(42)).correct, false);
  assert.equal(check({ kind: "numeric", tolerance: 0.01, relative: true })("1009", task(1000)).correct, true);
  assert.equal(check({ kind: "numeric", tolerance: 0.01, relative: true })("1011", task(1000)).correct, false);
  assert.match(check("numeric")("no digits", task(1)).detail, /no number/);
});

test("json-schema: parses the answer (or the first JSON block in it) and validates", () => {
  const c = check({ kind: "json-schema", schema: { type: "object", required: ["name"], properties: { name: { type: "string" }, age: { type: "integer" } } } });
  assert.equal(c('{"name":"Ada","age":36}', task()).correct, true);
  assert.equal(c('Here you go: {"name":"Ada"} — done', task()).correct, true);
  const wrong = c('{"age":"old"}', task());
  assert.equal(wrong.correct, false);
  assert.match(wrong.detail, /name|integer/);
  assert.equal(c("not json", task()).correct, false);
  assert.deepEqual(firstJson("[1,2]"), { ok: true, value: [1, 2] });
  assert.throws(() => check({ kind: "json-schema", schema: { type: "no-such-type" } }), /not a valid JSON Schema/);
});

test("judge has no model-free checker: the runner grades with a model", () => {
  assert.equal(checkerFor(CheckSpec.parse({ kind: "judge", judge: "critic" })), null);
});

test("hostile patterns cost linear time: extract, a regex check, a reference read as a pattern, a json-schema pattern", { timeout: 120_000 }, () => {
  const evil = `${"a".repeat(40)}b`;
  const task = { id: "t", prompt: "p", reference: "^(a+)+$" };
  assert.equal(extractAnswer(evil, "^(a+)+$"), null);
  assert.equal(extractAnswer(`x ${evil} answer: 7`, "answer: (\\d+)"), "7");
  assert.equal(checkerFor(CheckSpec.parse({ kind: "regex", pattern: "^(a+)+$" }))!(evil, task).correct, false);
  assert.equal(checkerFor(CheckSpec.parse({ kind: "regex" }))!(evil, task).correct, false);
  const lookahead = checkerFor(CheckSpec.parse({ kind: "regex" }))!(evil, { ...task, reference: "(?=a)" });
  assert.match(lookahead.detail, /reference is not a pattern this engine runs/);
  const schema = checkerFor(CheckSpec.parse({ kind: "json-schema", schema: { type: "object", properties: { s: { type: "string", pattern: "^(a+)+$" } } } }))!;
  assert.equal(schema(JSON.stringify({ s: evil }), task).correct, false);
  assert.equal(schema(JSON.stringify({ s: "aaa" }), task).correct, true);
});

test("a json-schema check is bounded before ajv compiles it: a 200,000-string enum is refused, naming check.schema", { timeout: 120_000 }, () => {
  const big = Array.from({ length: 200_000 }, (_, i) => `v${i}`);
  assert.throws(() => compileSchemaCheck({ enum: big }), /^Error: check\.schema\.enum: an enum of 200000 values/);
  assert.throws(() => compileSchemaCheck({ $ref: "#" }), /check\.schema\.\$ref: .*recurse forever/);
});
