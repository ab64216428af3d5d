import { test } from "node:test";
import assert from "node:assert/strict";
import { compileUserPattern, patternProblem, requireUserPattern, schemaRegExp } from "./userPattern.js";
import { REDOS_CORPUS } from "./test/redosCorpus.js";

const evil = `${"a".repeat(40)}!`;

test("ReDoS patterns run in linear time on the user-pattern engine (a backtracking engine would not finish)", { timeout: 120_000 }, () => {
  for (const source of REDOS_CORPUS) {
    const p = requireUserPattern(source, "extract");
    assert.equal(p.test(evil), false, source);
    assert.equal(p.test(`${"a".repeat(200_000)}!`), false, source);
    assert.equal(p.lastMatch(evil + "x".repeat(1000)), null, source);
  }
});

test("patterns RE2 cannot run are refused with the reason, naming the field", () => {
  assert.match(patternProblem("(?=a)b") ?? "", /lookaround and backreferences are not supported/);
  assert.match(patternProblem("(a)\\1") ?? "", /lookaround and backreferences are not supported/);
  assert.match(patternProblem("(") ?? "", /missing closing \)/);
  assert.match(patternProblem("x".repeat(3000)) ?? "", /at most 2000/);
  assert.throws(() => requireUserPattern("(?<=a)b", "protocol.routes[0].pattern"), /^Error: protocol\.routes\[0\]\.pattern: not a pattern this engine runs/);
  assert.throws(() => schemaRegExp("(?!x)"), /not one this engine runs/);
});

test("matches: the last match and its groups, case-insensitive unless asked, JavaScript's \\u escapes", () => {
  const p = requireUserPattern("answer:\\s*(\\d+)", "extract");
  assert.deepEqual(p.lastMatch("Answer: 3, then ANSWER: 42."), { text: "ANSWER: 42", groups: ["42"] });
  assert.equal(compileUserPattern("abc", { caseSensitive: true }).ok && requireUserPattern("abc", "x", { caseSensitive: true }).test("ABC"), false);
  assert.equal(requireUserPattern("caf\\u00e9", "extract").test("Café"), true);
  assert.equal(requireUserPattern("\\\\u00e9", "extract").test("\\u00e9"), true, "an escaped backslash stays a backslash");
  // An empty match advances: the scan ends, and the last one is at the end.
  assert.deepEqual(requireUserPattern("x*", "extract").lastMatch("ab"), { text: "", groups: [] });
  assert.deepEqual(requireUserPattern("(a)|(b)", "extract").lastMatch("a"), { text: "a", groups: ["a", undefined] });
});
