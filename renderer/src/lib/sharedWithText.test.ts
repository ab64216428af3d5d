/** Naming the seats a model process is shared with, without repeating a role. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { sharedWithText } from "./sharedWithText.js";

test("each sharing seat is said once, and another session's same-named role is told apart", () => {
  assert.equal(sharedWithText([{ sessionId: "s1", role: "critic" }], "s1"), "model file shared with critic");
  assert.equal(sharedWithText([{ sessionId: "s1", role: "critic" }, { sessionId: "s2", role: "critic" }], "s1"), "model file shared with critic, critic of another session");
  assert.equal(sharedWithText([{ sessionId: "s2", role: "critic" }, { sessionId: "s3", role: "critic" }, { sessionId: null, role: "x" }], "s1"), "model file shared with x (lab), critic of another session");
  assert.equal(sharedWithText([{ sessionId: "s2", role: "a" }, { sessionId: "s3", role: "b" }], "s1"), "model file shared with 2 seats of other sessions");
});
