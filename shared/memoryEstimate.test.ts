import assert from "node:assert/strict";
import { test } from "node:test";
import { estimateTotalBytes, seatShare } from "./memoryEstimate.js";

test("an estimate counts weights, KV cache and process; sharing seats split the weights and process", () => {
  const e = { weightsBytes: 1_000, contextBytes: 300, processBytes: 600 };
  assert.equal(estimateTotalBytes(e), 1_900);
  assert.deepEqual(seatShare(e, 2), { weightsBytes: 500, contextBytes: 300, processBytes: 300 });
  assert.equal(estimateTotalBytes(seatShare(e, 1)), estimateTotalBytes(e));
  assert.equal(estimateTotalBytes(seatShare(e, 0)), estimateTotalBytes(e));
});
