import { test } from "node:test";
import assert from "node:assert/strict";
import { parseTypedTurn, typedTurnSchema, type TurnShape } from "./typedTurn.js";

const shape: TurnShape = { types: ["critique", "consensus"], refs: new Map([["m3", "id-3"], ["m5", "id-5"]]) };

test("a valid turn needs no repair", () => {
  const t = parseTypedTurn('{"type":"consensus","content":"Agreed.","referencesTo":["m5"],"confidence":0.8}', shape, true);
  assert.deepEqual([t.type, t.content, t.referencesTo, t.confidence, t.repairs], ["consensus", "Agreed.", ["id-5"], 0.8, []]);
});

test("invalid values are repaired and every repair recorded", () => {
  const t = parseTypedTurn('{"type":"proposal","content":"x","referencesTo":["m3","m9","m3"],"confidence":1.7}', shape, false);
  assert.equal(t.type, "critique");
  assert.equal(t.confidence, 1);
  assert.deepEqual(t.referencesTo, ["id-3"]);
  assert.equal(t.repairs.length, 4, t.repairs.join("\n"));
  assert.match(t.repairs.join("\n"), /proposal.*not allowed/);
  assert.match(t.repairs.join("\n"), /m9.*names no message/);
  assert.match(t.repairs.join("\n"), /1\.7.*clamped to 1/);
  assert.equal(parseTypedTurn('{"type":"critique","content":"x","referencesTo":[],"confidence":-2}', shape, true).confidence, 0);
  assert.match(parseTypedTurn('{"type":"critique","content":"x","referencesTo":[],"confidence":"high"}', shape, true).repairs.join(), /not a number/);
});

test("JSON cut off by the token limit keeps its complete fields", () => {
  const t = parseTypedTurn('{ "type": "consensus", "content": "The cat was happ', shape, true);
  assert.equal(t.type, "consensus");
  assert.equal(t.content, "The cat was happ");
  assert.equal(t.confidence, null);
  assert.match(t.repairs[0]!, /cut off/);
});

test("plain text falls back to parsing (backends without a grammar)", () => {
  const t = parseTypedTurn("consensus: I agree with m3. confidence: 0.9", shape, false);
  assert.equal(t.type, "consensus");
  assert.equal(t.confidence, 0.9);
  assert.deepEqual(t.referencesTo, ["id-3"]);
  assert.match(t.repairs[0]!, /not JSON/);
});

test("ballots: a partial ranking is kept as written, never completed in the order shown", () => {
  const ballot: TurnShape = { types: ["vote"], refs: new Map([["A", "x"], ["B", "y"], ["C", "z"]]), exactRefs: 3 };
  const t = parseTypedTurn('{"type":"vote","content":"B is best","referencesTo":["B","B"],"confidence":0.5}', ballot, false);
  assert.deepEqual(t.labels, ["B"]);
  assert.deepEqual(t.referencesTo, ["y"]);
  assert.ok(t.repairs.some((r) => /left out A, C; the ballot is incomplete/.test(r)));
  const cut = parseTypedTurn('{"type":"vote","content":"I think', ballot, true);
  assert.deepEqual(cut.labels, []);
});

test("the schema restricts types and references to what exists", () => {
  const s = typedTurnSchema(shape) as { properties: Record<string, Record<string, unknown>> };
  assert.deepEqual(s.properties.type, { enum: ["critique", "consensus"] });
  assert.deepEqual((s.properties.referencesTo!.items as { enum: string[] }).enum, ["m3", "m5"]);
  assert.deepEqual(Object.keys(s.properties), ["type", "content", "referencesTo", "confidence"]);
  // A ballot asks for its ranking before its rationale.
  const ballot = typedTurnSchema({ types: ["vote"], refs: new Map([["A", "x"], ["B", "y"]]), exactRefs: 2 }) as { properties: Record<string, unknown>; required: string[] };
  assert.deepEqual(Object.keys(ballot.properties), ["type", "referencesTo", "content", "confidence"]);
  assert.deepEqual(ballot.required, ["type", "referencesTo", "content", "confidence"]);
});
