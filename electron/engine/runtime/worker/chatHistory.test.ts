import { test } from "node:test";
import assert from "node:assert/strict";
import { toChatHistory } from "./chatHistory.js";

test("other speakers become named user turns and consecutive user turns merge", () => {
  const { history, prompt } = toChatHistory([
    { role: "system", content: "You are the critic." },
    { role: "user", content: "Task: name a colour." },
    { role: "assistant", content: "Blue." },
    { role: "user", name: "analyzer", content: "I propose red." },
    { role: "user", name: "writer", content: "Green reads better." },
  ]);
  assert.deepEqual(history, [
    { type: "system", text: "You are the critic." },
    { type: "user", text: "Task: name a colour." },
    { type: "model", response: ["Blue."] },
  ]);
  assert.equal(prompt, "[analyzer]: I propose red.\n\n[writer]: Green reads better.");
});

test("a history that ends with the role's own turn has an empty prompt", () => {
  const { history, prompt } = toChatHistory([
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Hello" },
  ]);
  assert.equal(history.length, 2);
  assert.equal(prompt, "");
});
