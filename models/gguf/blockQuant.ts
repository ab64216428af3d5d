/**
 * ggml's block quantizations Q4_0 and Q8_0, written the way ggml's reference quantizers
 * (`quantize_row_q4_0_ref`, `quantize_row_q8_0_ref`) write them, so llama.cpp reads generated
 * files exactly as it reads converted ones. A block is 32 consecutive elements of a row: an F16
 * scale `d`, then the elements as 4-bit (Q4_0: `x ≈ (q - 8)·d`, two to a byte, element j in the
 * low nibble and j+16 in the high one) or 8-bit signed (Q8_0: `x ≈ q·d`) integers.
 */
import { float32ToFloat16Bits } from "./float16.js";

/** Elements per block, for both types. */
export const QUANT_BLOCK_ELEMENTS = 32;

/** The block-quantized types this writer produces. */
export type BlockQuantType = "Q4_0" | "Q8_0";

/** Bytes of one block: the F16 scale plus the packed integers. */
export const QUANT_BLOCK_BYTES: Readonly<Record<BlockQuantType, number>> = { Q4_0: 2 + 16, Q8_0: 2 + 32 };

/** Bytes `elements` take in `type`; `elements` must be whole blocks. */
export function quantizedBytes(type: BlockQuantType, elements: number): number {
  if (elements % QUANT_BLOCK_ELEMENTS !== 0) throw new RangeError(`${type} needs whole blocks of ${QUANT_BLOCK_ELEMENTS} elements, got ${elements}`);
  return (elements / QUANT_BLOCK_ELEMENTS) * QUANT_BLOCK_BYTES[type];
}

/** Quantizes `src` (whole blocks) to Q4_0 into `dst`, which needs {@link quantizedBytes} bytes. */
export function quantizeQ4_0Into(src: Float32Array, dst: Uint8Array): void {
  const blocks = src.length / QUANT_BLOCK_ELEMENTS;
  for (let b = 0; b < blocks; b++) {
    const x = b * QUANT_BLOCK_ELEMENTS;
    let amax = 0;
    let max = 0;
    for (let j = 0; j < QUANT_BLOCK_ELEMENTS; j++) {
      const v = src[x + j]!;
      if (amax < Math.abs(v)) {
        amax = Math.abs(v);
        max = v;
      }
    }
    const d = max / -8;
    const id = d !== 0 ? 1 / d : 0;
    const o = b * 18;
    const h = float32ToFloat16Bits(d);
    dst[o] = h & 0xff;
    dst[o + 1] = h >>> 8;
    for (let j = 0; j < 16; j++) {
      // (int8_t)(x + 8.5f) truncates toward zero; the values are >= 0 here, so | 0 does the same.
      const q0 = Math.min(15, (src[x + j]! * id + 8.5) | 0);
      const q1 = Math.min(15, (src[x + 16 + j]! * id + 8.5) | 0);
      dst[o + 2 + j] = q0 | (q1 << 4);
    }
  }
}

/** Quantizes `src` (whole blocks) to Q8_0 into `dst`, which needs {@link quantizedBytes} bytes. */
export function quantizeQ8_0Into(src: Float32Array, dst: Uint8Array): void {
  const blocks = src.length / QUANT_BLOCK_ELEMENTS;
  for (let b = 0; b < blocks; b++) {
    const x = b * QUANT_BLOCK_ELEMENTS;
    let amax = 0;
    for (let j = 0; j < QUANT_BLOCK_ELEMENTS; j++) amax = Math.max(amax, Math.abs(src[x + j]!));
    const d = amax / 127;
    const id = d !== 0 ? 1 / d : 0;
    const o = b * 34;
    const h = float32ToFloat16Bits(d);
    dst[o] = h & 0xff;
    dst[o + 1] = h >>> 8;
    // roundf rounds half away from zero; Math.round rounds half up, so mirror it for negatives.
    for (let j = 0; j < QUANT_BLOCK_ELEMENTS; j++) {
      const v = src[x + j]! * id;
      dst[o + 2 + j] = (v < 0 ? -Math.round(-v) : Math.round(v)) & 0xff;
    }
  }
}

/**
 * Fills `dst` with random blocks that are what quantizing uniform weights in [-amplitude, amplitude]
 * gives, without making the floats: for such weights a block's largest magnitude is close to
 * `amplitude`, so the scale is `amplitude/8` (Q4_0, with the extreme's sign) or `amplitude/127`
 * (Q8_0), and the integers are uniform. One 32-bit draw gives four bytes, which makes a 4 GB file a
 * matter of seconds of CPU rather than minutes. `next` is a seeded 32-bit generator.
 */
export function randomBlocksInto(type: BlockQuantType, dst: Uint8Array, amplitude: number, next: () => number): void {
  const size = QUANT_BLOCK_BYTES[type];
  const plus = float32ToFloat16Bits(type === "Q4_0" ? -amplitude / 8 : amplitude / 127);
  const minus = float32ToFloat16Bits(type === "Q4_0" ? amplitude / 8 : -amplitude / 127);
  const words = new Uint32Array(dst.buffer, dst.byteOffset, Math.floor(dst.length / 4));
  for (let i = 0; i < words.length; i++) words[i] = next();
  for (let i = words.length * 4; i < dst.length; i++) dst[i] = next() & 0xff;
  for (let o = 0; o < dst.length; o += size) {
    const h = dst[o]! & 1 ? plus : minus;
    dst[o] = h & 0xff;
    dst[o + 1] = h >>> 8;
    // ggml's Q8_0 never writes -128 (|q| <= 127 after rounding).
    if (type === "Q8_0") for (let j = o + 2; j < o + size; j++) if (dst[j] === 0x80) dst[j] = 0x81;
  }
}

/** Decodes one Q4_0 or Q8_0 buffer back to floats (tests check the round trip against ggml's rule). */
export function dequantize(type: BlockQuantType, src: Uint8Array, elements: number, f16ToNumber: (bits: number) => number): Float32Array {
  const out = new Float32Array(elements);
  const size = QUANT_BLOCK_BYTES[type];
  for (let b = 0; b < elements / QUANT_BLOCK_ELEMENTS; b++) {
    const o = b * size;
    const d = f16ToNumber(src[o]! | (src[o + 1]! << 8));
    for (let j = 0; j < QUANT_BLOCK_ELEMENTS; j++) {
      const x = b * QUANT_BLOCK_ELEMENTS + j;
      if (type === "Q8_0") out[x] = ((src[o + 2 + j]! << 24) >> 24) * d;
      else out[x] = (((j < 16 ? src[o + 2 + j]! : src[o + 2 + j - 16]! >> 4) & 0x0f) - 8) * d;
    }
  }
  return out;
}
