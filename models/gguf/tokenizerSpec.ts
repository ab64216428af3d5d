/**
 * The tokenizer part of a generated model, as plain data: either the built-in byte-level SPM vocab
 * or one copied from a template GGUF. Kept separate from the KV encoding so ChatML control tokens
 * can be appended to any vocab before writing.
 */
import type { GgufKv } from "./ggufWriter.js";

/** GGUF token types (llama.cpp `llama_token_type`). */
export const TokenType = { normal: 1, unknown: 2, control: 3, userDefined: 4, unused: 5, byte: 6 } as const;

/** ChatML control tokens; node-llama-cpp picks its ChatML wrapper when these and a ChatML template exist. */
export const CHATML_TOKENS = ["<|im_start|>", "<|im_end|>"] as const;

/** A ChatML Jinja template in the form Hugging Face tokenizers use. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** A vocabulary plus the rest of its `tokenizer.*` metadata. */
export interface TokenizerSpec {
  /** `tokenizer.ggml.model`, e.g. "llama" (SentencePiece) or "gpt2" (BPE). */
  model: string;
  tokens: string[];
  /** Per-token scores (SPM vocabs); absent for BPE vocabs. */
  scores: number[] | null;
  tokenTypes: number[];
  /** `tokenizer.chat_template`, or null for none. */
  chatTemplate: string | null;
  /** Every other `tokenizer.*` key, already typed, written as is. */
  extra: GgufKv[];
}

/** Append the ChatML control tokens that the vocab lacks (as type 3, score 0). */
export function withChatMlTokens(spec: TokenizerSpec): TokenizerSpec {
  const tokens = [...spec.tokens];
  const scores = spec.scores ? [...spec.scores] : null;
  const tokenTypes = [...spec.tokenTypes];
  for (const t of CHATML_TOKENS) {
    const at = tokens.indexOf(t);
    if (at >= 0) {
      tokenTypes[at] = TokenType.control;
      continue;
    }
    tokens.push(t);
    scores?.push(0);
    tokenTypes.push(TokenType.control);
  }
  return { ...spec, tokens, scores, tokenTypes };
}

/** Encode a tokenizer spec as typed GGUF key/value pairs. */
export function tokenizerKvs(spec: TokenizerSpec): GgufKv[] {
  const kv: GgufKv[] = [
    ["tokenizer.ggml.model", { type: "string", value: spec.model }],
    ["tokenizer.ggml.tokens", { type: "array", itemType: "string", values: spec.tokens }],
  ];
  if (spec.scores) kv.push(["tokenizer.ggml.scores", { type: "array", itemType: "f32", values: spec.scores }]);
  kv.push(["tokenizer.ggml.token_type", { type: "array", itemType: "i32", values: spec.tokenTypes }]);
  kv.push(...spec.extra);
  if (spec.chatTemplate !== null) kv.push(["tokenizer.chat_template", { type: "string", value: spec.chatTemplate }]);
  return kv;
}
