/**
 * A small built-in SentencePiece-style ("llama") vocabulary, so models can be generated without any
 * template file: <unk>, <s>, </s>, the 256 byte-fallback tokens, optional ChatML control tokens,
 * single printable characters, then word pieces. SPM in llama.cpp merges adjacent pieces only when the
 * merged piece is itself a token, so every prefix of each word is included.
 */
import { CHATML_TOKENS, TokenType, type TokenizerSpec } from "./tokenizerSpec.js";

const WORDS = (
  "the and to a of in was he she it you that is for on with his her they said but had as at be " +
  "one day there were so this not have all are from what we little said when up out him them then " +
  "very time could would like big go do can see get make happy friend play look saw went mom dad " +
  "ball tree dog cat sun park house toy girl boy name once upon lived loved wanted help found new " +
  "good fun best home water food small run jump red blue green yes no hello thank please sorry why " +
  "how who where which because after before about into over under again always never every some " +
  "answer question think idea plan model role agent chair judge critic writer result reason step"
).split(" ");

/** Smallest vocab the built-in tokenizer can produce (specials + bytes [+ ChatML]). */
export function minBuiltinVocabSize(chatMl: boolean): number {
  return 3 + 256 + (chatMl ? CHATML_TOKENS.length : 0);
}

/**
 * Build the built-in vocabulary with exactly `vocabSize` tokens. Slots beyond the natural pieces are
 * filled with `▁wN` pieces, which lets generated models mimic large real vocabularies.
 */
export function builtinTokenizer({ vocabSize, chatMl }: { vocabSize: number; chatMl: boolean }): TokenizerSpec {
  const min = minBuiltinVocabSize(chatMl);
  if (!Number.isInteger(vocabSize) || vocabSize < min) {
    throw new RangeError(`the built-in tokenizer needs a vocab size of at least ${min}, got ${vocabSize}`);
  }
  const tokens: string[] = ["<unk>", "<s>", "</s>"];
  const tokenTypes: number[] = [TokenType.unknown, TokenType.control, TokenType.control];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);
    tokenTypes.push(TokenType.byte);
  }
  if (chatMl) {
    for (const t of CHATML_TOKENS) {
      tokens.push(t);
      tokenTypes.push(TokenType.control);
    }
  }
  const scores: number[] = tokens.map(() => 0);

  const seen = new Set(tokens);
  let rank = 0;
  const add = (piece: string): boolean => {
    if (tokens.length >= vocabSize) return false;
    if (seen.has(piece)) return true;
    seen.add(piece);
    tokens.push(piece);
    tokenTypes.push(TokenType.normal);
    // Higher scores merge first in SPM; earlier (shorter, commoner) pieces get higher scores.
    scores.push(-++rank);
    return true;
  };

  add("▁");
  for (let c = 0x21; c < 0x7f; c++) add(String.fromCharCode(c));
  outer: for (const word of WORDS) {
    const piece = `▁${word}`;
    for (let end = 2; end <= piece.length; end++) if (!add(piece.slice(0, end))) break outer;
  }
  // Filler pieces are normal tokens with visible text, so a random model's output still streams text.
  for (let n = 0; tokens.length < vocabSize; n++) {
    if (seen.has(`▁w${n}`)) continue;
    tokens.push(`▁w${n}`);
    tokenTypes.push(TokenType.normal);
    scores.push(-1e6 - n);
  }

  return {
    model: "llama",
    tokens,
    scores,
    tokenTypes,
    chatTemplate: null,
    extra: [
      ["tokenizer.ggml.bos_token_id", { type: "u32", value: 1 }],
      ["tokenizer.ggml.eos_token_id", { type: "u32", value: 2 }],
      ["tokenizer.ggml.unknown_token_id", { type: "u32", value: 0 }],
      ["tokenizer.ggml.add_bos_token", { type: "bool", value: true }],
      ["tokenizer.ggml.add_eos_token", { type: "bool", value: false }],
    ],
  };
}
