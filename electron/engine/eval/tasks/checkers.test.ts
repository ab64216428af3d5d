import { test } from "node:test";
import assert from "node:assert/strict";
import { CheckSpec, type TaskItem } from "../../../../shared/experiment.js";
import { checkerFor, firstJson, lastNumber } from "./checkers.js";
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
