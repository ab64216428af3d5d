import { test } from "node:test";
import assert from "node:assert/strict";
import { dequantize, quantizedBytes, quantizeQ4_0Into, quantizeQ8_0Into, randomBlocksInto } from "./blockQuant.js";
import { float16BitsToNumber } from "./float16.js";
import { mulberry32 } from "../../shared/prng.js";

const block = (f: (j: number) => number) => Float32Array.from({ length: 32 }, (_, j) => f(j));

test("Q4_0 lays a block out as ggml does: F16 scale max/-8, element j low nibble, j+16 high nibble", () => {
  // The extreme is -1 at j = 0, so d = -1/-8 = 0.125 and q = x/d + 8.
  const x = block((j) => (j === 0 ? -1 : j === 16 ? 0.875 : 0));
  const out = new Uint8Array(quantizedBytes("Q4_0", 32));
  quantizeQ4_0Into(x, out);
  assert.equal(out.length, 18);
  assert.equal(float16BitsToNumber(out[0]! | (out[1]! << 8)), 0.125);
  assert.equal(out[2]! & 0x0f, 0, "x = -1 → q = 0 (low nibble of byte 0)");
  assert.equal(out[2]! >> 4, 15, "x = 0.875 at j = 16 → q = 15 (high nibble of byte 0)");
  assert.equal(out[3], 0x88, "zeros → q = 8 in both nibbles");
});

test("Q8_0 lays a block out as ggml does: F16 scale amax/127, then signed bytes rounded half away from zero", () => {
  const x = block((j) => (j === 0 ? 127 : j === 1 ? -2.5 : j === 2 ? 2.5 : 0));
  const out = new Uint8Array(quantizedBytes("Q8_0", 32));
  quantizeQ8_0Into(x, out);
  assert.equal(out.length, 34);
  assert.equal(float16BitsToNumber(out[0]! | (out[1]! << 8)), 1);
  assert.equal(out[2], 127);
  assert.equal((out[3]! << 24) >> 24, -3);
  assert.equal(out[4], 3);
});

test("quantized blocks decode to the input within a step of each block's scale (half a step where nothing clips)", () => {
  const rng = mulberry32(9);
  const x = Float32Array.from({ length: 32 * 64 }, () => 2 * rng() - 1);
  // Q4_0 maps the block's extreme to -8 and clips its opposite at +7: up to a whole step there.
  for (const [type, steps, tolerance] of [["Q4_0", 8, 1.01], ["Q8_0", 127, 0.51]] as const) {
    const out = new Uint8Array(quantizedBytes(type, x.length));
    (type === "Q4_0" ? quantizeQ4_0Into : quantizeQ8_0Into)(x, out);
    const back = dequantize(type, out, x.length, float16BitsToNumber);
    for (let b = 0; b < 64; b++) {
      const slice = x.subarray(b * 32, b * 32 + 32);
      const amax = Math.max(...slice.map(Math.abs));
      for (let j = 0; j < 32; j++) {
        const err = Math.abs(back[b * 32 + j]! - slice[j]!);
        assert.ok(err <= (amax / steps) * tolerance + 1e-3, `${type} block ${b} element ${j}: error ${err} against step ${amax / steps}`);
      }
    }
  }
});

test("random blocks carry the scale uniform weights quantize to, and Q8_0 never holds -128", () => {
  let a = 1;
  const next = () => (a = (Math.imul(a, 1664525) + 1013904223) >>> 0);
  const q4 = new Uint8Array(quantizedBytes("Q4_0", 32 * 100));
  randomBlocksInto("Q4_0", q4, 0.5, next);
  const q8 = new Uint8Array(quantizedBytes("Q8_0", 32 * 100));
  randomBlocksInto("Q8_0", q8, 0.5, next);
  for (let b = 0; b < 100; b++) {
    assert.equal(Math.abs(float16BitsToNumber(q4[b * 18]! | (q4[b * 18 + 1]! << 8))), 0.0625);
    assert.ok(Math.abs(Math.abs(float16BitsToNumber(q8[b * 34]! | (q8[b * 34 + 1]! << 8))) - 0.5 / 127) < 1e-5);
    for (let j = 2; j < 34; j++) assert.notEqual(q8[b * 34 + j], 0x80);
  }
  const back = dequantize("Q4_0", q4, 3200, float16BitsToNumber);
  assert.ok(back.every((v) => Math.abs(v) <= 0.5 + 1e-6), "every weight within the amplitude");
});

test("a quantized tensor must be whole blocks", () => {
  assert.throws(() => quantizedBytes("Q4_0", 33), /whole blocks of 32/);
});
