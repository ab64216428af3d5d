import assert from "node:assert/strict";
import { test } from "node:test";
import { plural, pluralNoun } from "./plural.js";

test("a count takes the singular for exactly one and the plural otherwise", () => {
  assert.equal(plural(1, "message"), "1 message");
  assert.equal(plural(0, "message"), "0 messages");
  assert.equal(plural(2, "outcome"), "2 outcomes");
  assert.equal(plural(1, "more vote"), "1 more vote");
  assert.equal(plural(1200, "vote"), "1,200 votes");
  assert.equal(plural(2, "person", "people"), "2 people");
});

test("nouns ending in a hiss take -es", () => {
  assert.deepEqual(["miss", "box", "match", "hit", "task"].map(pluralNoun), ["misses", "boxes", "matches", "hits", "tasks"]);
});
