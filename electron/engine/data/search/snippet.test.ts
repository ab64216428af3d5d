import { test } from "node:test";
import assert from "node:assert/strict";
import { parseTerms } from "./ftsQuery.js";
import { snippet } from "./snippet.js";
import { sessionSearch } from "./sessionSearch.js";
import { modelDraft, tempStore } from "../store/test/testSupport.js";

const marked = (text: string, query: string, words?: number) =>
  snippet(text, parseTerms(query), words)
    .map((p) => (p.hit ? `[${p.text}]` : p.text))
    .join("");

test("words are marked the way the index matches them: stems, folded case and accents, phrases, prefixes", () => {
  assert.equal(marked("Stories of the STORY teller.", "story"), "[Stories] of the [STORY] teller.");
  assert.equal(marked("Le café et les cafés", "cafe"), "Le [café] et les [cafés]");
  assert.equal(marked("the little robot met a robot", '"little robot"'), "the [little robot] met a robot");
  assert.equal(marked("robots and robotics and a rob", "robo*"), "[robots] and [robotics] and a rob");
  assert.equal(marked("nothing here", "zebra"), "nothing here");
  assert.equal(marked("", "zebra"), "");
});

test("a long text is cut around the most matches, with ellipses where it was cut", () => {
  const words = Array.from({ length: 60 }, (_, i) => `w${i}`);
  words[30] = "lighthouse";
  words[33] = "keeper";
  assert.equal(marked(words.join(" "), "lighthouse keeper", 8), "…w26 w27 w28 w29 [lighthouse] w31 w32 [keeper]…");
  assert.equal(marked("lighthouse w1 w2 w3 w4 w5 w6 w7 w8 w9", "lighthouse", 4), "[lighthouse] w1 w2 w3…");
});

test("every row FTS5 matches gets a marked snippet (a real index as the referee)", () => {
  const t = tempStore();
  try {
    const s = t.store.createSession({ title: "x", task: "y", protocolKind: "debate", experiment: {} });
    const texts = [
      "The runners were running; a runner ran.",
      "Generously agreed, the committee's conditional relational formalization.",
      "Naïve cafés in Zoë's town: ROBOTS, robotics and the robot-maker.",
      "Hopping, hissing, falling, failing and filing — happiness in the sky.",
    ];
    for (const text of texts) t.store.appendMessage(modelDraft(s.id, "critic", "critique", text));
    const search = sessionSearch(t.store);
    for (const query of ["run", "running runner", "agree", "committee", "conditional", "formalize", "naive cafe", "zoe", "robot", "robo*", "robot-maker", "hop", "hiss", "fall", "fail", "file", "happy", "sky"]) {
      const r = search.search({ query, kinds: ["message"] });
      assert.ok(r.hits.length > 0, query);
      for (const hit of r.hits) assert.ok(hit.snippet.some((p) => p.hit), `${query}: ${JSON.stringify(hit.snippet)}`);
    }
  } finally {
    t.cleanup();
  }
});

test("a message holding a word 200,000 times (among 400,000 words): the snippet costs the matches shown, the search answers (quadratic before)", { timeout: 300_000 }, () => {
  const text = Array.from({ length: 400_000 }, (_, i) => (i % 2 === 0 ? "lighthouse" : "keeper")).join(" ");
  const parts = snippet(text, parseTerms("lighthouse"));
  assert.ok(parts.filter((p) => p.hit).length >= 1);
  assert.equal(parts.at(-1)!.text.endsWith("…"), true, "cut after the shown passage");
  assert.ok(parts.map((p) => p.text).join("").length < 400);
  const t = tempStore();
  try {
    const s = t.store.createSession({ title: "x", task: "y", protocolKind: "debate", experiment: {} });
    t.store.appendMessage(modelDraft(s.id, "critic", "critique", text));
    const r = sessionSearch(t.store).search({ query: "lighthouse keeper", kinds: ["message"] });
    assert.equal(r.hits.length, 1);
    assert.ok(r.hits[0]!.snippet.some((p) => p.hit));
  } finally {
    t.cleanup();
  }
});

test("a NUL or another control character in a query separates words instead of breaking FTS5", () => {
  const t = tempStore();
  try {
    const s = t.store.createSession({ title: "x", task: "y", protocolKind: "debate", experiment: {} });
    t.store.appendMessage(modelDraft(s.id, "critic", "critique", "the brave robot"));
    const search = sessionSearch(t.store);
    for (const query of ["robot\u0000", "brave\u0000robot", '"brave\u0000robot"', "robo*\u0000", "\u0007robot\u001b"]) {
      const r = search.search({ query, kinds: ["message"] });
      assert.equal(r.hits.length, 1, JSON.stringify(query));
    }
    assert.throws(() => search.search({ query: "\u0000\u0000" }), /no words to search for/);
  } finally {
    t.cleanup();
  }
});
