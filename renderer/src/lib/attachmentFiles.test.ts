import { test } from "node:test";
import assert from "node:assert/strict";
import { attachmentsFrom, mergeAttachments, MAX_ATTACHMENT_BYTES } from "./attachmentFiles.js";

const bytes = (s: string) => new TextEncoder().encode(s);

test("picked files become text attachments; binary and oversized ones are refused by name", () => {
  const r = attachmentsFrom([
    { path: "src/List.tsx", bytes: bytes("export {};\n") },
    { path: "logo.png", bytes: new Uint8Array([0x89, 0x50, 0, 1]) },
    { path: "huge.txt", bytes: new Uint8Array(MAX_ATTACHMENT_BYTES + 1).fill(65) },
    { path: "latin1.txt", bytes: new Uint8Array([0x63, 0x61, 0x66, 0xe9]) },
  ]);
  assert.deepEqual(r.attachments, [{ path: "src/List.tsx", content: "export {};\n" }]);
  assert.deepEqual(r.refused.map((x) => x.path), ["logo.png", "huge.txt", "latin1.txt"]);
  assert.match(r.refused[1]!.reason, /too large/);
});

test("a file dropped again replaces the earlier one at its path", () => {
  assert.deepEqual(mergeAttachments([{ path: "a", content: "1" }, { path: "b", content: "2" }], [{ path: "a", content: "3" }]), [{ path: "a", content: "3" }, { path: "b", content: "2" }]);
});
