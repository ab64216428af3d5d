/**
 * float32 → IEEE 754 binary16 conversion by table lookup (van der Zijp's method): Node 22 has no
 * Float16Array, and a per-element branchy conversion would dominate the write time of F16 models.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const baseTable = new Uint16Array(512);
const shiftTable = new Uint8Array(512);

for (let i = 0; i < 256; i++) {
  const e = i - 127;
  if (e < -24) {
    // Too small for a subnormal half: flush to signed zero.
    baseTable[i] = 0x0000; baseTable[i | 0x100] = 0x8000;
    shiftTable[i] = 24; shiftTable[i | 0x100] = 24;
  } else if (e < -14) {
    baseTable[i] = 0x0400 >> (-e - 14); baseTable[i | 0x100] = (0x0400 >> (-e - 14)) | 0x8000;
    shiftTable[i] = -e - 1; shiftTable[i | 0x100] = -e - 1;
  } else if (e <= 15) {
    baseTable[i] = (e + 15) << 10; baseTable[i | 0x100] = ((e + 15) << 10) | 0x8000;
    shiftTable[i] = 13; shiftTable[i | 0x100] = 13;
  } else if (e < 128) {
    // Overflow: infinity.
    baseTable[i] = 0x7c00; baseTable[i | 0x100] = 0xfc00;
    shiftTable[i] = 24; shiftTable[i | 0x100] = 24;
  } else {
    // Infinity and NaN keep their class (NaN keeps payload bits via the 13-bit shift).
    baseTable[i] = 0x7c00; baseTable[i | 0x100] = 0xfc00;
    shiftTable[i] = 13; shiftTable[i | 0x100] = 13;
  }
}

/** Convert one float32 value to its binary16 bit pattern (truncating rounding). */
export function float32ToFloat16Bits(value: number): number {
  f32[0] = value;
  const bits = u32[0] ?? 0;
  const idx = bits >>> 23;
  return (baseTable[idx] ?? 0) + ((bits & 0x007fffff) >>> (shiftTable[idx] ?? 0));
}

/** Convert `src` into `dst` (which must be at least as long) as binary16 bit patterns. */
export function float32ToFloat16Into(src: Float32Array, dst: Uint16Array): void {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i] as number;
    const idx = b >>> 23;
    dst[i] = (baseTable[idx] as number) + ((b & 0x007fffff) >>> (shiftTable[idx] as number));
  }
}

/** Decode a binary16 bit pattern to a number (for tests and inspection). */
export function float16BitsToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const frac = h & 0x03ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
