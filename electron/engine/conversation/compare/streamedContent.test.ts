import { test } from "node:test";
import assert from "node:assert/strict";
import { streamedContent } from "./streamedContent.js";

test("the content of a typed turn is shown as it streams, escapes decoded", () => {
  assert.equal(streamedContent('{"type":"answer","con'), "");
  assert.equal(streamedContent('{"type":"answer","content":"Once up'), "Once up");
  assert.equal(streamedContent('{"type":"answer","content":"a \\"b\\"\\nc\\u0041","referencesTo":[]'), 'a "b"\ncA');
  // A half-arrived escape is held back rather than shown wrong.
  assert.equal(streamedContent('{"content":"x\\'), "x");
  assert.equal(streamedContent('{"content":"x\\u00'), "x");
});

test("a plain answer streams as written", () => {
  assert.equal(streamedContent("  Once upon a time"), "Once upon a time");
});
