/**
 * Generate llama-architecture GGUF models of chosen dimensions (weights random or closed-form, F32
 * or F16) for tests and benchmarks. Tensor names, shapes and required keys follow
 * /work/shared/models/README.md ("Writing a loadable llama-architecture GGUF").
 */
import { writeGguf, type GgufKv, type GgufTensorSpec, type GgufTensorType } from "./ggufWriter.js";
import { randomBlocksInto } from "./blockQuant.js";
import { builtinTokenizer } from "./builtinTokenizer.js";
import { readTemplateTokenizer } from "./templateTokenizer.js";
import { hashString, mulberry32 } from "../../shared/prng.js";
import { CHATML_TEMPLATE, tokenizerKvs, withChatMlTokens, type TokenizerSpec } from "./tokenizerSpec.js";

/** Dimensions and content of a generated llama model. */
export interface LlamaGgufOptions {
  /** Vocab size of the built-in tokenizer; ignored with `tokenizerTemplate` (the template decides). Default 512. */
  vocabSize?: number;
  /** Embedding width. */
  dim: number;
  layers: number;
  heads: number;
  /** Key/value heads (grouped-query attention); must divide `heads`. Default `heads`. */
  kvHeads?: number;
  /** Feed-forward hidden width. */
  ff: number;
  /** Trained context length written to the header. Default 2048. */
  contextLength?: number;
  /** Storage type of the matrices (Q4_0/Q8_0: ggml's block quantization); norms are always F32. Default "F32". */
  tensorType?: GgufTensorType;
  /** "random": seeded uniform weights; "pattern": a closed-form deterministic pattern (no PRNG). Default "random". */
  weights?: "random" | "pattern";
  /** Seed for random weights. Default 1. */
  seed?: number;
  /** GGUF whose `tokenizer.*` keys are copied; null/absent for the built-in tokenizer. */
  tokenizerTemplate?: string | null;
  /**
   * true: a ChatML template (adding `<|im_start|>`/`<|im_end|>` control tokens when missing);
   * a string: that Jinja template; false: none; absent: keep the template file's (none for built-in).
   */
  chatTemplate?: boolean | string;
  /** Omit `output.weight` so llama.cpp reuses the token embedding. Default false. */
  tieEmbeddings?: boolean;
  /** `general.name`. Default "conclave-generated". */
  name?: string;
  /** `general.architecture`; anything but "llama" makes a file llama.cpp refuses (for error tests). */
  architecture?: string;
  /** Keys to leave out (for error tests). Missing feed_forward_length or head_count aborts llama.cpp. */
  omitKeys?: readonly string[];
  /** Numeric keys whose written value replaces the real one, header only (for error tests). */
  overrideKeys?: Readonly<Record<string, number>>;
}

/** `general.file_type` (llama_ftype) for each matrix storage type. */
const FILE_TYPE: Readonly<Record<GgufTensorType, number>> = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 7 };

/** Options with every default applied. */
export type ResolvedLlamaGgufOptions = Required<Omit<LlamaGgufOptions, "tokenizerTemplate" | "chatTemplate" | "omitKeys" | "overrideKeys">> & {
  tokenizerTemplate: string | null;
  chatTemplate: boolean | string | null;
  omitKeys: readonly string[];
  overrideKeys: Readonly<Record<string, number>>;
};

/** What {@link writeLlamaGguf} wrote. */
export interface LlamaGgufResult {
  path: string;
  parameterCount: number;
  vocabSize: number;
  tensorCount: number;
  bytesWritten: number;
  dataOffset: number;
}

/** Apply defaults and check that the dimensions make a well-formed model. */
export function resolveLlamaGgufOptions(options: LlamaGgufOptions): ResolvedLlamaGgufOptions {
  const r: ResolvedLlamaGgufOptions = {
    vocabSize: options.vocabSize ?? 512,
    dim: options.dim,
    layers: options.layers,
    heads: options.heads,
    kvHeads: options.kvHeads ?? options.heads,
    ff: options.ff,
    contextLength: options.contextLength ?? 2048,
    tensorType: options.tensorType ?? "F32",
    weights: options.weights ?? "random",
    seed: options.seed ?? 1,
    tokenizerTemplate: options.tokenizerTemplate ?? null,
    chatTemplate: options.chatTemplate ?? null,
    tieEmbeddings: options.tieEmbeddings ?? false,
    name: options.name ?? "conclave-generated",
    architecture: options.architecture ?? "llama",
    omitKeys: options.omitKeys ?? [],
    overrideKeys: options.overrideKeys ?? {},
  };
  for (const key of ["vocabSize", "dim", "layers", "heads", "kvHeads", "ff", "contextLength"] as const) {
    if (!Number.isInteger(r[key]) || r[key] < 1) throw new RangeError(`${key} must be a positive integer, got ${r[key]}`);
  }
  if (r.dim % r.heads !== 0) throw new RangeError(`dim ${r.dim} is not divisible by heads ${r.heads}`);
  if ((r.dim / r.heads) % 2 !== 0) throw new RangeError(`head dimension ${r.dim / r.heads} must be even (RoPE rotates pairs)`);
  if (r.heads % r.kvHeads !== 0) throw new RangeError(`heads ${r.heads} is not divisible by kvHeads ${r.kvHeads}`);
  if ((r.tensorType === "Q4_0" || r.tensorType === "Q8_0") && (r.dim % 32 !== 0 || r.ff % 32 !== 0)) {
    throw new RangeError(`${r.tensorType} quantizes rows in blocks of 32: dim ${r.dim} and ff ${r.ff} must be multiples of 32`);
  }
  return r;
}

type Dims = Pick<ResolvedLlamaGgufOptions, "vocabSize" | "dim" | "layers" | "heads" | "kvHeads" | "ff" | "tieEmbeddings">;

/** The tensors of a llama model as [name, ggml dims, isNorm]. */
export function llamaTensorShapes(d: Dims): [name: string, dims: number[], isNorm: boolean][] {
  const headDim = d.dim / d.heads;
  const q = d.heads * headDim;
  const kv = d.kvHeads * headDim;
  const shapes: [string, number[], boolean][] = [
    ["token_embd.weight", [d.dim, d.vocabSize], false],
    ["output_norm.weight", [d.dim], true],
  ];
  if (!d.tieEmbeddings) shapes.push(["output.weight", [d.dim, d.vocabSize], false]);
  for (let i = 0; i < d.layers; i++) {
    shapes.push(
      [`blk.${i}.attn_norm.weight`, [d.dim], true],
      [`blk.${i}.attn_q.weight`, [d.dim, q], false],
      [`blk.${i}.attn_k.weight`, [d.dim, kv], false],
      [`blk.${i}.attn_v.weight`, [d.dim, kv], false],
      [`blk.${i}.attn_output.weight`, [q, d.dim], false],
      [`blk.${i}.ffn_norm.weight`, [d.dim], true],
      [`blk.${i}.ffn_gate.weight`, [d.dim, d.ff], false],
      [`blk.${i}.ffn_up.weight`, [d.dim, d.ff], false],
      [`blk.${i}.ffn_down.weight`, [d.ff, d.dim], false],
    );
  }
  return shapes;
}

/** Parameter count of a llama model with these dimensions (the sum of its tensors' elements). */
export function llamaParameterCount(d: Dims): number {
  return llamaTensorShapes(d).reduce((sum, [, dims]) => sum + dims.reduce((a, b) => a * b, 1), 0);
}

function weightFill(r: ResolvedLlamaGgufOptions, name: string, dims: number[], isNorm: boolean): GgufTensorSpec["fill"] {
  if (isNorm) return (out) => out.fill(1);
  // Embeddings are normalised by RMS norm downstream; matrices get 1/sqrt(fan-in) so activations stay O(1).
  const std = name === "token_embd.weight" ? 1 : 1 / Math.sqrt(dims[0] ?? 1);
  const amplitude = std * Math.sqrt(3);
  const seed = hashString(name, r.seed >>> 0);
  if (r.weights === "pattern") {
    const phase = seed / 4294967296;
    return (out, first) => {
      for (let i = 0; i < out.length; i++) {
        const x = (first + i) * 0.6180339887 + phase;
        out[i] = amplitude * (2 * (x - Math.floor(x)) - 1);
      }
    };
  }
  const rng = mulberry32(seed);
  return (out) => {
    for (let i = 0; i < out.length; i++) out[i] = amplitude * (2 * rng() - 1);
  };
}

/**
 * Random quantized matrices are written as random blocks (blockQuant.ts's `randomBlocksInto`), not
 * drawn as floats and quantized: the same distribution, at a fraction of the CPU, so a 7B Q4_0
 * file is disk-bound. Pattern weights and float types go through `fill`.
 */
function randomBlockFill(r: ResolvedLlamaGgufOptions, name: string, dims: number[]): GgufTensorSpec["fillBlocks"] {
  if (r.weights !== "random" || (r.tensorType !== "Q4_0" && r.tensorType !== "Q8_0")) return undefined;
  const type = r.tensorType;
  const std = name === "token_embd.weight" ? 1 : 1 / Math.sqrt(dims[0] ?? 1);
  let a = hashString(name, r.seed >>> 0) >>> 0;
  // mulberry32's integer output.
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  return (out) => randomBlocksInto(type, out, std * Math.sqrt(3), next);
}

async function tokenizerFor(r: ResolvedLlamaGgufOptions): Promise<TokenizerSpec> {
  const wantsChatMl = r.chatTemplate === true;
  let spec = r.tokenizerTemplate
    ? await readTemplateTokenizer(r.tokenizerTemplate)
    : builtinTokenizer({ vocabSize: r.vocabSize, chatMl: wantsChatMl });
  if (wantsChatMl) spec = withChatMlTokens(spec);
  if (r.chatTemplate === true) spec = { ...spec, chatTemplate: CHATML_TEMPLATE };
  else if (r.chatTemplate === false) spec = { ...spec, chatTemplate: null };
  else if (typeof r.chatTemplate === "string") spec = { ...spec, chatTemplate: r.chatTemplate };
  return spec;
}

/**
 * Write a llama-architecture GGUF to `path`. Weights are produced in chunks while writing, so a
 * file of hundreds of MB needs only a few MB of memory. With a tokenizer template the vocab size
 * is the template's (plus ChatML tokens when `chatTemplate: true` adds them).
 */
export async function writeLlamaGguf(path: string, options: LlamaGgufOptions): Promise<LlamaGgufResult> {
  const r0 = resolveLlamaGgufOptions(options);
  const tokenizer = await tokenizerFor(r0);
  const r: ResolvedLlamaGgufOptions = { ...r0, vocabSize: tokenizer.tokens.length };
  const arch = r.architecture;
  const headDim = r.dim / r.heads;

  const kv: GgufKv[] = [
    ["general.architecture", { type: "string", value: arch }],
    ["general.name", { type: "string", value: r.name }],
    // llama_ftype: 0 = all F32, 1 = mostly F16, 2 = mostly Q4_0, 7 = mostly Q8_0.
    ["general.file_type", { type: "u32", value: FILE_TYPE[r.tensorType] }],
    [`${arch}.vocab_size`, { type: "u32", value: r.vocabSize }],
    [`${arch}.context_length`, { type: "u32", value: r.contextLength }],
    [`${arch}.embedding_length`, { type: "u32", value: r.dim }],
    [`${arch}.block_count`, { type: "u32", value: r.layers }],
    [`${arch}.feed_forward_length`, { type: "u32", value: r.ff }],
    [`${arch}.attention.head_count`, { type: "u32", value: r.heads }],
    [`${arch}.attention.head_count_kv`, { type: "u32", value: r.kvHeads }],
    [`${arch}.attention.layer_norm_rms_epsilon`, { type: "f32", value: 1e-5 }],
    [`${arch}.rope.dimension_count`, { type: "u32", value: headDim }],
    [`${arch}.rope.freq_base`, { type: "f32", value: 10000 }],
    ...tokenizerKvs(tokenizer),
  ];
  const omit = new Set(r.omitKeys);

  const tensors: GgufTensorSpec[] = llamaTensorShapes(r).map(([name, dims, isNorm]) => ({
    name,
    dims,
    type: isNorm ? "F32" : r.tensorType,
    fill: weightFill(r, name, dims, isNorm),
    fillBlocks: isNorm ? undefined : randomBlockFill(r, name, dims),
  }));
  const override = (entry: GgufKv): GgufKv => {
    const value = r.overrideKeys[entry[0]];
    if (value === undefined) return entry;
    return [entry[0], value <= 0xffffffff && Number.isInteger(value) && value >= 0 ? { type: "u32", value } : { type: "u64", value: BigInt(Math.round(value)) }];
  };
  const written = await writeGguf(path, { kv: kv.filter(([k]) => !omit.has(k)).map(override), tensors });
  return {
    path,
    parameterCount: llamaParameterCount(r),
    vocabSize: r.vocabSize,
    tensorCount: tensors.length,
    ...written,
  };
}
