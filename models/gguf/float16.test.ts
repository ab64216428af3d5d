import { test } from "node:test";
import assert from "node:assert/strict";
import { float16BitsToNumber, float32ToFloat16Bits, float32ToFloat16Into } from "./float16.js";

test("exactly representable values round-trip through binary16", () => {
  for (const v of [0, 1, -2, 0.5, 0.125, 65504, -65504, 1000.5, 2 ** -14, 2 ** -24, 3 * 2 ** -20]) {
    assert.equal(float16BitsToNumber(float32ToFloat16Bits(v)), v, `value ${v}`);
  }
  assert.equal(float32ToFloat16Bits(1), 0x3c00);
  assert.equal(float32ToFloat16Bits(-2), 0xc000);
  assert.equal(float32ToFloat16Bits(-0), 0x8000);
});

test("out-of-range values saturate to infinity or flush to zero, NaN stays NaN", () => {
  assert.equal(float32ToFloat16Bits(1e6), 0x7c00);
  assert.equal(float32ToFloat16Bits(-1e6), 0xfc00);
  assert.equal(float32ToFloat16Bits(Infinity), 0x7c00);
  assert.equal(float32ToFloat16Bits(1e-9), 0);
  assert.ok(Number.isNaN(float16BitsToNumber(float32ToFloat16Bits(NaN))));
});

test("bulk conversion matches the scalar one and stays within half precision", () => {
  const src = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 3);
  const dst = new Uint16Array(src.length);
  float32ToFloat16Into(src, dst);
  for (let i = 0; i < src.length; i++) {
    assert.equal(dst[i], float32ToFloat16Bits(src[i] as number));
    assert.ok(Math.abs(float16BitsToNumber(dst[i] as number) - (src[i] as number)) <= 3 * 2 ** -10);
  }
});
