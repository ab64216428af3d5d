/**
 * Low-level GGUF v3 writer: typed key/value pairs, tensor entries, and tensor data streamed to disk
 * in fixed-size chunks, so multi-hundred-MB files are written in constant memory.
 */
import { open } from "node:fs/promises";
import { float32ToFloat16Into } from "./float16.js";
import { quantizeQ4_0Into, quantizeQ8_0Into, quantizedBytes, QUANT_BLOCK_ELEMENTS } from "./blockQuant.js";

/** Numeric GGUF value types by their GGUF name. */
export type GgufNumericType = "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "f32" | "f64";

/** A typed GGUF metadata value; the type is explicit because JS numbers do not say u32 vs f32. */
export type GgufValue =
  | { type: GgufNumericType; value: number }
  | { type: "u64" | "i64"; value: bigint }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "array"; itemType: "string"; values: readonly string[] }
  | { type: "array"; itemType: "bool"; values: readonly boolean[] }
  | { type: "array"; itemType: GgufNumericType; values: ArrayLike<number> };

/** One metadata entry, in file order. */
export type GgufKv = readonly [key: string, value: GgufValue];

/** Tensor storage types this writer produces (Q4_0 and Q8_0 need a first dimension of whole 32-element blocks). */
export type GgufTensorType = "F32" | "F16" | "Q4_0" | "Q8_0";

/** A tensor to write: its data comes from `fill`, called for consecutive chunks of elements. */
export interface GgufTensorSpec {
  name: string;
  /** ggml order: ne0 first (the contiguous dimension). */
  dims: readonly number[];
  type: GgufTensorType;
  /** Fill `out` with the elements starting at `firstElement`; called in increasing order. */
  fill: (out: Float32Array, firstElement: number) => void;
  /**
   * For Q4_0/Q8_0 only: writes the quantized blocks of the elements starting at `firstElement`
   * straight into `out`, instead of `fill` plus quantization (random multi-GB files, see
   * blockQuant.ts's `randomBlocksInto`).
   */
  fillBlocks?: (out: Uint8Array, firstElement: number) => void;
}

/** What {@link writeGguf} wrote. */
export interface GgufWriteResult {
  bytesWritten: number;
  /** Offset of the tensor data section from the start of the file. */
  dataOffset: number;
}

const VALUE_TYPE_ID: Record<GgufNumericType | "u64" | "i64" | "bool" | "string" | "array", number> = {
  u8: 0, i8: 1, u16: 2, i16: 3, u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9, u64: 10, i64: 11, f64: 12,
};
const GGML_TYPE_ID: Record<GgufTensorType, number> = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 8 };
/** A whole number of quantization blocks, so chunks of a tensor never split a block. */
const CHUNK_ELEMENTS = 1 << 20;

/** Bytes a tensor of `dims` takes in `type`. */
export function tensorBytes(type: GgufTensorType, dims: readonly number[]): number {
  const n = elementCount(dims);
  if (type === "F32") return n * 4;
  if (type === "F16") return n * 2;
  if ((dims[0] ?? 0) % QUANT_BLOCK_ELEMENTS !== 0) {
    throw new RangeError(`${type} rows are whole blocks of ${QUANT_BLOCK_ELEMENTS}: the first dimension ${dims[0]} is not a multiple of ${QUANT_BLOCK_ELEMENTS}`);
  }
  return quantizedBytes(type, n);
}

/** Growable little-endian byte builder for the (small) header section. */
class ByteBuilder {
  private buf = Buffer.alloc(1 << 16);
  length = 0;

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = Buffer.alloc(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  u32(v: number): void { this.ensure(4); this.buf.writeUInt32LE(v, this.length); this.length += 4; }
  u64(v: number | bigint): void { this.ensure(8); this.buf.writeBigUInt64LE(BigInt(v), this.length); this.length += 8; }

  numeric(type: GgufNumericType, v: number): void {
    this.ensure(8);
    const b = this.buf, o = this.length;
    switch (type) {
      case "u8": b.writeUInt8(v, o); this.length += 1; break;
      case "i8": b.writeInt8(v, o); this.length += 1; break;
      case "u16": b.writeUInt16LE(v, o); this.length += 2; break;
      case "i16": b.writeInt16LE(v, o); this.length += 2; break;
      case "u32": b.writeUInt32LE(v, o); this.length += 4; break;
      case "i32": b.writeInt32LE(v, o); this.length += 4; break;
      case "f32": b.writeFloatLE(v, o); this.length += 4; break;
      case "f64": b.writeDoubleLE(v, o); this.length += 8; break;
    }
  }

  string(s: string): void {
    const bytes = Buffer.from(s, "utf8");
    this.u64(bytes.length);
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.length);
    this.length += bytes.length;
  }

  bool(v: boolean): void { this.ensure(1); this.buf.writeUInt8(v ? 1 : 0, this.length); this.length += 1; }
  pad(alignment: number): void {
    const padding = (alignment - (this.length % alignment)) % alignment;
    this.ensure(padding);
    this.buf.fill(0, this.length, this.length + padding);
    this.length += padding;
  }
  bytes(): Buffer { return this.buf.subarray(0, this.length); }
}

function writeValue(b: ByteBuilder, value: GgufValue): void {
  switch (value.type) {
    case "u64": b.u64(value.value); return;
    case "i64": b.u64(BigInt.asUintN(64, value.value)); return;
    case "bool": b.bool(value.value); return;
    case "string": b.string(value.value); return;
    case "array": {
      b.u32(VALUE_TYPE_ID[value.itemType]);
      b.u64(value.values.length);
      if (value.itemType === "string") for (const s of value.values as readonly string[]) b.string(s);
      else if (value.itemType === "bool") for (const v of value.values as readonly boolean[]) b.bool(v);
      else for (let i = 0; i < value.values.length; i++) b.numeric(value.itemType, (value.values as ArrayLike<number>)[i] ?? 0);
      return;
    }
    default: b.numeric(value.type, value.value);
  }
}

/** Element count of a tensor with the given ggml dims. */
export function elementCount(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}

/**
 * Write a GGUF v3 file. The header is built in memory; tensor data is produced chunk by chunk
 * through each tensor's `fill`, so memory use does not grow with the model size.
 * `general.alignment` is honoured when present among `kv` (default 32).
 */
export async function writeGguf(
  path: string,
  { kv, tensors }: { kv: readonly GgufKv[]; tensors: readonly GgufTensorSpec[] },
): Promise<GgufWriteResult> {
  const alignEntry = kv.find(([k]) => k === "general.alignment")?.[1];
  const alignment = alignEntry && alignEntry.type === "u32" ? alignEntry.value : 32;

  const header = new ByteBuilder();
  header.numeric("u8", 0x47); header.numeric("u8", 0x47); header.numeric("u8", 0x55); header.numeric("u8", 0x46); // "GGUF"
  header.u32(3);
  header.u64(tensors.length);
  header.u64(kv.length);
  for (const [key, value] of kv) {
    header.string(key);
    header.u32(VALUE_TYPE_ID[value.type]);
    writeValue(header, value);
  }
  let offset = 0;
  for (const t of tensors) {
    header.string(t.name);
    header.u32(t.dims.length);
    for (const d of t.dims) header.u64(d);
    header.u32(GGML_TYPE_ID[t.type]);
    header.u64(offset);
    offset = alignUp(offset + tensorBytes(t.type, t.dims), alignment);
  }
  header.pad(alignment);
  const dataOffset = header.length;

  const file = await open(path, "w");
  try {
    let position = 0;
    const write = async (bytes: Uint8Array): Promise<void> => {
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await file.write(bytes, done, bytes.length - done, position + done);
        done += bytesWritten;
      }
      position += bytes.length;
    };
    await write(header.bytes());

    const floats = new Float32Array(CHUNK_ELEMENTS);
    const halves = new Uint16Array(CHUNK_ELEMENTS);
    const blocks = new Uint8Array(quantizedBytes("Q8_0", CHUNK_ELEMENTS));
    const zeros = new Uint8Array(alignment);
    for (const [index, t] of tensors.entries()) {
      const total = elementCount(t.dims);
      for (let first = 0; first < total; first += CHUNK_ELEMENTS) {
        const n = Math.min(CHUNK_ELEMENTS, total - first);
        const chunk = floats.subarray(0, n);
        if (!t.fillBlocks) t.fill(chunk, first);
        if (t.type === "F32") await write(new Uint8Array(chunk.buffer, chunk.byteOffset, n * 4));
        else if (t.type === "F16") {
          float32ToFloat16Into(chunk, halves);
          await write(new Uint8Array(halves.buffer, 0, n * 2));
        } else {
          const out = blocks.subarray(0, quantizedBytes(t.type, n));
          if (t.fillBlocks) t.fillBlocks(out, first);
          else if (t.type === "Q4_0") quantizeQ4_0Into(chunk, out);
          else quantizeQ8_0Into(chunk, out);
          await write(out);
        }
      }
      // No padding after the last tensor: the file ends where its data ends, like llama.cpp's own files.
      const padding = index === tensors.length - 1 ? 0 : alignUp(position, alignment) - position;
      if (padding > 0) await write(zeros.subarray(0, padding));
    }
    return { bytesWritten: position, dataOffset };
  } finally {
    await file.close();
  }
}
