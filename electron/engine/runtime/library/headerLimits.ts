/**
 * Header values no real model has. The memory estimate and llama.cpp's loader trust the
 * architecture keys: a small file claiming 4,000,000,000 layers passes every structural check, yet
 * the estimate for it runs for minutes. Each bound is far above the largest published model's
 * value (about 130 layers, 128 heads, embeddings of 16k, vocabularies of 260k, contexts of 10M), so
 * a real file never meets one; a file that does is refused before anything reads it further.
 */
import { basename } from "node:path";
import { ModelFileError } from "./ModelFileError.js";
import type { GgufStructure } from "./ggufStructure.js";

/** Per-architecture keys (after `<arch>.`) and the largest value a real model could have. */
export const ARCHITECTURE_KEY_LIMITS: Readonly<Record<string, number>> = {
  block_count: 1024,
  embedding_length: 1 << 18,
  feed_forward_length: 1 << 20,
  "attention.head_count": 1024,
  "attention.head_count_kv": 1024,
  "attention.key_length": 1 << 16,
  "attention.value_length": 1 << 16,
  "rope.dimension_count": 1 << 16,
  context_length: 1 << 24,
  vocab_size: 1 << 21,
  expert_count: 4096,
  expert_used_count: 4096,
};

/** Tokens in a vocabulary, at most (the same bound as `<arch>.vocab_size`). */
export const MAX_VOCAB_TOKENS = 1 << 21;

function numeric(value: unknown): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "bigint") return Number(value);
  return null;
}

/**
 * Throws a `corrupt` {@link ModelFileError} naming the key, its value and the bound when the header
 * claims more than any real model has. Array-valued keys (per-layer head counts) are bounded by
 * the structural walk's array limits instead.
 */
export function checkHeaderLimits(path: string, s: Pick<GgufStructure, "keys">, architecture: string): void {
  const refuse = (key: string, value: number, max: number): never => {
    throw new ModelFileError(
      "corrupt",
      path,
      `${basename(path)} claims "${key}" = ${value}, beyond any real model's (at most ${max}); the header is damaged or was made to stall the loader.`,
    );
  };
  for (const [suffix, max] of Object.entries(ARCHITECTURE_KEY_LIMITS)) {
    const key = `${architecture}.${suffix}`;
    const value = numeric(s.keys.get(key)?.value);
    if (value !== null && (value > max || value < 0)) refuse(key, value, max);
  }
  const tokens = s.keys.get("tokenizer.ggml.tokens")?.count;
  if (tokens !== undefined && tokens > MAX_VOCAB_TOKENS) refuse("tokenizer.ggml.tokens", tokens, MAX_VOCAB_TOKENS);
}
