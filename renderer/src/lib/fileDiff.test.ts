import { test } from "node:test";
import assert from "node:assert/strict";
import { diffStats, lineDiff } from "./fileDiff.js";

test("an artifact against the attachment it revises, line by line", () => {
  const d = lineDiff("a\nb\nc\n", "a\nB\nc\nd\n");
  assert.deepEqual(d, [
    { kind: "same", text: "a" },
    { kind: "del", text: "b" },
    { kind: "add", text: "B" },
    { kind: "same", text: "c" },
    { kind: "add", text: "d" },
  ]);
  assert.deepEqual(diffStats(d), { added: 2, removed: 1 });
});

test("a new file is all additions", () => {
  assert.deepEqual(lineDiff(null, "x\ny"), [
    { kind: "add", text: "x" },
    { kind: "add", text: "y" },
  ]);
});
