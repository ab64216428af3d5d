/** How Ollama's one generated-token count is split between a thought and its answer. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { splitEvalCount } from "./OllamaBackend.js";

test("eval_count is kept exact and split by the texts' share of characters", () => {
  assert.deepEqual(splitEvalCount(30, "x".repeat(200), "y".repeat(100)), { thought: 20, content: 10 });
  const { thought, content } = splitEvalCount(7, "a long thought about queues", "ok");
  assert.equal(thought! + content!, 7);
  assert.ok(content! >= 1, "a non-empty answer keeps at least one token");
});

test("without a thought the whole count is the answer's; without a count neither is known", () => {
  assert.deepEqual(splitEvalCount(12, "  ", "an answer"), { thought: null, content: 12 });
  assert.deepEqual(splitEvalCount(5, "thinking only", ""), { thought: 5, content: 0 });
  assert.deepEqual(splitEvalCount(null, "thought", "answer"), { thought: null, content: null });
});
