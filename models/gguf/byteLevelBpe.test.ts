import { test } from "node:test";
import assert from "node:assert/strict";
import { BYTE_CHARS, toByteLevel } from "./byteLevelBpe.js";

test("every byte has its own printable character, GPT-2's table", () => {
  assert.equal(new Set(BYTE_CHARS).size, 256);
  assert.equal(BYTE_CHARS[0x41], "A");
  assert.equal(BYTE_CHARS[0x20], "Ġ");
  assert.equal(BYTE_CHARS[0x0a], "Ċ");
});

test("text is spelled byte by byte, multi-byte characters as several", () => {
  assert.equal(toByteLevel("a b\n"), "aĠbĊ");
  assert.equal(toByteLevel("é"), "Ã©");
  assert.equal([...toByteLevel("日")].length, 3);
});
