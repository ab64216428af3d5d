import { test } from "node:test";
import assert from "node:assert/strict";
import { SearchQueryError, anyOf, contentWords, parseTerms, userQuery } from "./ftsQuery.js";

test("user input becomes quoted terms: words, phrases, prefixes; nothing else is syntax", () => {
  assert.deepEqual(parseTerms('brave "little robot" robo* -x NEAR( "open'), [
    { text: "brave", prefix: false },
    { text: "little robot", prefix: false },
    { text: "robo", prefix: true },
    { text: "-x", prefix: false },
    { text: "NEAR(", prefix: false },
    { text: "open", prefix: false },
  ]);
  const q = userQuery('say "it\'s" NOT*  ( )');
  assert.equal(q.match, '"say" AND "it\'s" AND "NOT"*');
  assert.equal(q.candidates, '"say" AND "it" AND "s" AND "NOT"*', "phrases split into their words");
  assert.equal(userQuery("a b").candidates, userQuery("a b").match);
  assert.equal(userQuery('foo-ba*').candidates, '"foo" AND "ba"*', "the prefix stays on the last word");
  assert.throws(() => userQuery(' "" ** ( ) - '), SearchQueryError);
  assert.equal(anyOf(['a"b', "c"]), '"a""b" OR "c"');
});

test("content words of a task: lower-cased, folded, no stop words, counted", () => {
  const w = contentWords("The Café and the CAFÉ: a plan, a plan for Zoë's café.");
  assert.deepEqual(w.words, ["cafe", "plan", "zoe"]);
  assert.deepEqual([...w.counts], [["cafe", 3], ["plan", 2], ["zoe", 1]]);
  assert.equal(w.length, 13);
});
