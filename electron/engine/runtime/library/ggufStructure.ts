/**
 * A bounded walk over a GGUF header. node-llama-cpp's reader trusts the counts and lengths it reads
 * (and pads a short file with zeros), so a corrupt or cut header could make it allocate gigabytes or
 * loop for ages. This walk checks every count and length against the bytes the file actually has
 * before anything else parses it, and records what validation needs: keys, tensors, data offset.
 */
import type { FileHandle } from "node:fs/promises";
import { basename } from "node:path";
import { ModelFileError } from "./ModelFileError.js";

/** A metadata key as seen by the walk: its GGUF type and, for scalars and short strings, its value. */
export interface GgufKeySummary {
  type: number;
  value?: string | number | bigint | boolean;
  /** Element type and length, for arrays. */
  arrayType?: number;
  count?: number;
}

export interface GgufTensorEntry {
  name: string;
  dims: number[];
  type: number;
  /** Offset inside the data section. */
  offset: number;
}

/** The structure of a GGUF file's header. */
export interface GgufStructure {
  version: number;
  sizeBytes: number;
  keys: Map<string, GgufKeySummary>;
  tensors: GgufTensorEntry[];
  alignment: number;
  /** Where the tensor data section starts. */
  dataOffset: number;
}

const T = { u8: 0, i8: 1, u16: 2, i16: 3, u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9, u64: 10, i64: 11, f64: 12 } as const;
const FIXED_SIZE: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
// Bounds well past any real model's (the largest have a few thousand tensors, a few dozen keys,
// vocabularies of ~260k tokens, ~1M merges and chat templates of tens of KiB), so that a hostile
// header cannot make any later reader loop or allocate for long.
const MAX_KEY_BYTES = 1 << 16;
const MAX_STRING_BYTES = 16 << 20;
const MAX_ARRAY_STRING_BYTES = 1 << 16;
const MAX_STORED_STRING = 1 << 20;
const MAX_TENSORS = 1 << 16;
const MAX_KEYS = 1 << 16;
const MAX_ARRAY_LENGTH = 1 << 24;
const MAX_NESTED_ARRAY_LENGTH = 1 << 16;
const MAX_DIMS = 4;
const WINDOW = 1 << 20;

class CutShort extends Error {}
class Corrupt extends Error {}

/** Sequential reader over a file handle that refuses to read past the end of the file. */
class BoundedReader {
  pos = 0;
  private buf = Buffer.alloc(0);
  private bufStart = 0;

  constructor(private readonly file: FileHandle, readonly size: number) {}

  get remaining(): number { return this.size - this.pos; }

  private async ensure(n: number): Promise<Buffer> {
    if (n > this.remaining) throw new CutShort(`needs ${n} bytes at offset ${this.pos}, the file has ${this.remaining} left`);
    const rel = this.pos - this.bufStart;
    if (rel >= 0 && rel + n <= this.buf.length) return this.buf;
    const length = Math.min(Math.max(n, WINDOW), this.remaining);
    const next = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await this.file.read(next, got, length - got, this.pos + got);
      if (bytesRead === 0) throw new CutShort(`the file ended early at offset ${this.pos + got}`);
      got += bytesRead;
    }
    this.buf = next;
    this.bufStart = this.pos;
    return this.buf;
  }

  async bytes(n: number): Promise<Buffer> {
    const b = await this.ensure(n);
    const at = this.pos - this.bufStart;
    this.pos += n;
    return b.subarray(at, at + n);
  }
  async u32(): Promise<number> { return (await this.bytes(4)).readUInt32LE(0); }
  async u64(): Promise<bigint> { return (await this.bytes(8)).readBigUInt64LE(0); }
  skip(n: number): void {
    if (n > this.remaining) throw new CutShort(`needs ${n} bytes at offset ${this.pos}, the file has ${this.remaining} left`);
    this.pos += n;
  }
  /** A u64 count or length that must fit the rest of the file at `minBytesEach` bytes per item. */
  async count(what: string, minBytesEach: number, max: number): Promise<number> {
    const n = await this.u64();
    if (n > BigInt(max)) throw new Corrupt(`${what} ${n} is beyond any real model's (at most ${max})`);
    const count = Number(n);
    if (count * minBytesEach > this.remaining) throw new CutShort(`${what} ${count} does not fit in the ${this.remaining} bytes left`);
    return count;
  }
  async string(what: string, maxBytes: number): Promise<string> {
    const n = await this.count(`${what} length`, 1, maxBytes);
    return (await this.bytes(n)).toString("utf8");
  }
}

async function scalar(r: BoundedReader, type: number): Promise<string | number | bigint | boolean> {
  switch (type) {
    case T.u8: return (await r.bytes(1)).readUInt8(0);
    case T.i8: return (await r.bytes(1)).readInt8(0);
    case T.u16: return (await r.bytes(2)).readUInt16LE(0);
    case T.i16: return (await r.bytes(2)).readInt16LE(0);
    case T.u32: return r.u32();
    case T.i32: return (await r.bytes(4)).readInt32LE(0);
    case T.f32: return (await r.bytes(4)).readFloatLE(0);
    case T.bool: return (await r.bytes(1)).readUInt8(0) !== 0;
    case T.u64: return r.u64();
    case T.i64: return (await r.bytes(8)).readBigInt64LE(0);
    case T.f64: return (await r.bytes(8)).readDoubleLE(0);
    default: throw new Corrupt(`unknown value type ${type}`);
  }
}

async function skipArray(r: BoundedReader, key: string, depth: number): Promise<{ arrayType: number; count: number }> {
  const arrayType = await r.u32();
  if (arrayType > T.f64) throw new Corrupt(`key "${key}" has an array of unknown type ${arrayType}`);
  const fixed = FIXED_SIZE[arrayType];
  if (fixed !== undefined) {
    const count = await r.count(`array length of "${key}"`, fixed, MAX_ARRAY_LENGTH);
    r.skip(count * fixed);
    return { arrayType, count };
  }
  if (arrayType === T.string) {
    const count = await r.count(`array length of "${key}"`, 8, MAX_ARRAY_LENGTH);
    for (let i = 0; i < count; i++) r.skip(await r.count(`string length in "${key}"`, 1, MAX_ARRAY_STRING_BYTES));
    return { arrayType, count };
  }
  if (depth >= 4) throw new Corrupt(`key "${key}" nests arrays too deeply`);
  const count = await r.count(`array length of "${key}"`, 12, MAX_NESTED_ARRAY_LENGTH);
  for (let i = 0; i < count; i++) await skipArray(r, key, depth + 1);
  return { arrayType, count };
}

/**
 * Walk the header of the GGUF file at `path`, bounded by the file's real size.
 * Throws {@link ModelFileError} with `not-gguf`, `unsupported-version`, `corrupt` or `truncated`
 * (header cut off); does not check tensor data length (see `validateGguf`).
 */
export async function readGgufStructure(path: string, file: FileHandle, sizeBytes: number): Promise<GgufStructure> {
  const name = basename(path);
  const r = new BoundedReader(file, sizeBytes);
  if (sizeBytes < 4) throw new ModelFileError("not-gguf", path, `${name} is not a GGUF model file: ${sizeBytes === 0 ? "the file is empty" : `it is only ${sizeBytes} bytes long`}.`);
  const magic = await r.bytes(4);
  if (magic.toString("latin1") !== "GGUF") {
    throw new ModelFileError("not-gguf", path, `${name} is not a GGUF model file: it does not start with the "GGUF" signature.`);
  }
  try {
    const version = await r.u32();
    if (version !== 2 && version !== 3) {
      throw new ModelFileError("unsupported-version", path, `${name} is GGUF version ${version}; only versions 2 and 3 can be read.`);
    }
    const tensorCount = await r.count("tensor count", 24, MAX_TENSORS);
    const kvCount = await r.count("key count", 13, MAX_KEYS);
    const keys = new Map<string, GgufKeySummary>();
    for (let i = 0; i < kvCount; i++) {
      const key = await r.string("key", MAX_KEY_BYTES);
      const type = await r.u32();
      if (type === T.string) {
        const length = await r.count(`string length of "${key}"`, 1, MAX_STRING_BYTES);
        if (length <= MAX_STORED_STRING) keys.set(key, { type, value: (await r.bytes(length)).toString("utf8") });
        else { r.skip(length); keys.set(key, { type }); }
      } else if (type === T.array) keys.set(key, { type, ...(await skipArray(r, key, 0)) });
      else if (type <= T.f64) keys.set(key, { type, value: await scalar(r, type) });
      else throw new Corrupt(`key "${key}" has unknown value type ${type}`);
    }
    const tensors: GgufTensorEntry[] = [];
    for (let i = 0; i < tensorCount; i++) {
      const tensorName = await r.string("tensor name", MAX_KEY_BYTES);
      const nDims = await r.u32();
      if (nDims < 1 || nDims > MAX_DIMS) throw new Corrupt(`tensor "${tensorName}" has ${nDims} dimensions`);
      const dims: number[] = [];
      for (let d = 0; d < nDims; d++) {
        const dim = await r.u64();
        if (dim > BigInt(Number.MAX_SAFE_INTEGER)) throw new Corrupt(`tensor "${tensorName}" has an impossible dimension ${dim}`);
        dims.push(Number(dim));
      }
      const type = await r.u32();
      const offset = await r.u64();
      if (offset > BigInt(Number.MAX_SAFE_INTEGER)) throw new Corrupt(`tensor "${tensorName}" has an impossible offset ${offset}`);
      tensors.push({ name: tensorName, dims, type, offset: Number(offset) });
    }
    const alignValue = keys.get("general.alignment")?.value;
    const alignment = typeof alignValue === "number" && alignValue > 0 && (alignValue & (alignValue - 1)) === 0 ? alignValue : 32;
    const dataOffset = Math.ceil(r.pos / alignment) * alignment;
    return { version, sizeBytes, keys, tensors, alignment, dataOffset };
  } catch (error) {
    if (error instanceof CutShort) {
      throw new ModelFileError("truncated", path, `${name} is cut off inside its header (${error.message}); the download or copy is incomplete.`, { cause: error });
    }
    if (error instanceof Corrupt) {
      throw new ModelFileError("corrupt", path, `${name} has a damaged GGUF header: ${error.message}.`, { cause: error });
    }
    throw error;
  }
}
