import { test } from "node:test";
import assert from "node:assert/strict";
import { ggmlTensorBytes, ggmlTypeName, isKnownGgmlType } from "./ggmlTypes.js";

test("tensor byte sizes follow ggml's block layouts", () => {
  assert.equal(ggmlTensorBytes(0, [64, 512]), 64 * 512 * 4);
  assert.equal(ggmlTensorBytes(1, [3]), 6);
  assert.equal(ggmlTensorBytes(30, [10, 2]), 40);
  assert.equal(ggmlTensorBytes(2, [4096, 4096]), (4096 / 32) * 18 * 4096); // Q4_0
  assert.equal(ggmlTensorBytes(8, [64, 2]), 2 * 34 * 2); // Q8_0
  assert.equal(ggmlTensorBytes(12, [4096, 11008]), 16 * 144 * 11008); // Q4_K: 4.5 bits per weight
  assert.equal(ggmlTensorBytes(14, [256]), 210); // Q6_K
  assert.equal(ggmlTensorBytes(23, [512, 3]), 2 * 136 * 3); // IQ4_XS
});

test("rows that are not whole blocks and unknown types have no size", () => {
  assert.equal(ggmlTensorBytes(12, [100, 4]), null);
  assert.equal(ggmlTensorBytes(4, [32]), null, "Q4_2 was removed from ggml");
  assert.equal(ggmlTensorBytes(999, [1]), null);
  assert.equal(isKnownGgmlType(999), false);
  assert.equal(ggmlTypeName(12), "Q4_K");
  assert.equal(ggmlTypeName(999), "type999");
});
