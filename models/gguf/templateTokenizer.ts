/**
 * Copy the tokenizer of an existing GGUF file. node-llama-cpp's reader returns untyped JS values, so
 * the GGUF type of each key is restored from llama.cpp's key conventions, with a value-based fallback.
 */
import { readGgufFileInfo } from "node-llama-cpp";
import type { GgufKv, GgufNumericType, GgufValue } from "./ggufWriter.js";
import type { TokenizerSpec } from "./tokenizerSpec.js";

type Untyped = string | number | bigint | boolean | Untyped[] | { [key: string]: Untyped };

const HANDLED = new Set(["tokenizer.ggml.model", "tokenizer.ggml.tokens", "tokenizer.ggml.scores", "tokenizer.ggml.token_type", "tokenizer.chat_template"]);

function numericTypeFor(key: string, values: readonly number[]): GgufNumericType {
  if (key.endsWith(".scores")) return "f32";
  if (key.endsWith(".token_type")) return "i32";
  if (values.some((v) => !Number.isInteger(v))) return "f32";
  return values.some((v) => v < 0) ? "i32" : "u32";
}

function typed(key: string, value: Untyped): GgufValue | null {
  if (typeof value === "string") return { type: "string", value };
  if (typeof value === "boolean") return { type: "bool", value };
  if (typeof value === "bigint") return { type: value < 0n ? "i64" : "u64", value };
  if (typeof value === "number") {
    // Token ids are u32 in llama.cpp's files, including the 0xFFFFFFFF "none" marker.
    if (key.endsWith("_token_id") || key.endsWith("_count")) return { type: "u32", value };
    return { type: numericTypeFor(key, [value]), value };
  }
  if (Array.isArray(value)) {
    if (value.every((v): v is string => typeof v === "string")) return { type: "array", itemType: "string", values: value };
    if (value.every((v): v is boolean => typeof v === "boolean")) return { type: "array", itemType: "bool", values: value };
    if (value.every((v): v is number => typeof v === "number")) {
      const isBytes = key.endsWith("precompiled_charsmap");
      return { type: "array", itemType: isBytes ? "u8" : numericTypeFor(key, value), values: value };
    }
  }
  return null;
}

function flatten(prefix: string, node: Untyped, out: [string, Untyped][]): void {
  if (node !== null && typeof node === "object" && !Array.isArray(node)) {
    for (const [k, v] of Object.entries(node)) flatten(`${prefix}.${k}`, v, out);
  } else out.push([prefix, node]);
}

/** Read every `tokenizer.*` key of `templatePath` (header only) into a {@link TokenizerSpec}. */
export async function readTemplateTokenizer(templatePath: string): Promise<TokenizerSpec> {
  const info = await readGgufFileInfo(templatePath, { readTensorInfo: false, logWarnings: false });
  const entries: [string, Untyped][] = [];
  flatten("tokenizer", info.metadata.tokenizer as unknown as Untyped, entries);
  const byKey = new Map(entries);

  const tokens = byKey.get("tokenizer.ggml.tokens");
  const model = byKey.get("tokenizer.ggml.model");
  if (!Array.isArray(tokens) || typeof model !== "string") {
    throw new Error(`template ${templatePath} has no tokenizer.ggml.model / tokenizer.ggml.tokens to copy`);
  }
  const scores = byKey.get("tokenizer.ggml.scores");
  const types = byKey.get("tokenizer.ggml.token_type");
  const template = byKey.get("tokenizer.chat_template");

  const extra: GgufKv[] = [];
  for (const [key, value] of entries) {
    if (HANDLED.has(key)) continue;
    const t = typed(key, value);
    if (t) extra.push([key, t]);
  }
  return {
    model,
    tokens: tokens.map(String),
    scores: Array.isArray(scores) ? scores.map(Number) : null,
    // Normal (1) for every token when the template has no types, which is what llama.cpp assumes.
    tokenTypes: Array.isArray(types) ? types.map(Number) : tokens.map(() => 1),
    chatTemplate: typeof template === "string" ? template : null,
    extra,
  };
}
