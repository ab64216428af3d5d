import assert from "node:assert/strict";
import { test } from "node:test";
import { checkDraft, defaultDraft } from "./experimentDraft.js";
import { issueVisibility } from "./issueVisibility.js";

test("a blank experiment shows no error in red until its field is touched or the draft is revealed", () => {
  const { errors } = checkDraft(defaultDraft("/models/a.gguf"));
  assert.ok(errors.some((e) => e.path === "task"), "the blank draft lacks its task");
  const untouched = issueVisibility(errors, [], false);
  assert.deepEqual(untouched.shown, []);
  assert.equal(untouched.pending.length, errors.length);

  const touched = issueVisibility(errors, ["task"], false);
  assert.deepEqual(touched.shown.map((e) => e.path), ["task"]);
  assert.ok(!touched.pending.some((e) => e.path === "task"));

  assert.deepEqual(issueVisibility(errors, [], true).shown, errors);
});

test("touching a group shows the errors of the fields inside it, not of its neighbours", () => {
  const errors = [
    { path: "roles[0].temperature", message: "too big" },
    { path: "roles[1].model", message: "required" },
    { path: "roles[10].model", message: "required" },
  ];
  assert.deepEqual(issueVisibility(errors, ["roles[0]"], false).shown.map((e) => e.path), ["roles[0].temperature"]);
  assert.deepEqual(issueVisibility(errors, ["roles[1]"], false).shown.map((e) => e.path), ["roles[1].model"]);
});
