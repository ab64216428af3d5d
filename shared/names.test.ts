import { test } from "node:test";
import assert from "node:assert/strict";
import { distinctTitle, modelName, modelNameText, sessionTitle, titleSlug } from "./names.js";

test("a model is named by its file first, with a different internal name as the detail", () => {
  assert.deepEqual(modelName({ fileName: "stories260K.gguf", name: "llama" }), { label: "stories260K.gguf", detail: 'internal name "llama"' });
  assert.equal(modelNameText({ fileName: "stories260K.gguf", name: "llama" }), 'stories260K.gguf (internal name "llama")');
  // Two files with one internal name stay apart.
  assert.notEqual(modelNameText({ fileName: "a.gguf", name: "llama" }), modelNameText({ fileName: "b.gguf", name: "llama" }));
  // No detail when the internal name only repeats the file name.
  assert.deepEqual(modelName({ fileName: "Qwen3-0.6B.gguf", name: "qwen3-0.6b" }), { label: "Qwen3-0.6B.gguf", detail: null });
  assert.deepEqual(modelName({ path: "C:\\models\\x.gguf" }), { label: "x.gguf", detail: null });
  assert.deepEqual(modelName({ name: "llama" }), { label: "llama", detail: null }, "older records without a file name keep theirs");
  assert.deepEqual(modelName({}), { label: "unknown model", detail: null });
});

test("sessions are named by title, then task, and give file names and distinct titles", () => {
  assert.equal(sessionTitle({ id: "0f3a9b1c-aaaa", title: "Stories", task: "t" }), "Stories");
  assert.equal(sessionTitle({ id: "0f3a9b1c-aaaa", title: " ", task: "Tell a\nstory" }), "Tell a story");
  assert.equal(sessionTitle({ id: "0f3a9b1c-aaaa" }), "session 0f3a9b1c");
  assert.equal(titleSlug("Stories committee with a mid-run swap!"), "stories-committee-with-a-mid-run-swap");
  assert.equal(titleSlug("Café — über"), "cafe-uber");
  assert.equal(titleSlug("???"), "session");
  assert.equal(distinctTitle("Stories", ["Other"]), "Stories");
  assert.equal(distinctTitle("Stories", ["Stories"]), "Stories (run 2)");
  assert.equal(distinctTitle("Stories (run 2)", ["Stories", "Stories (run 2)"]), "Stories (run 3)");
});
