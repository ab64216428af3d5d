import { test } from "node:test";
import assert from "node:assert/strict";
import { builtinTokenizer, minBuiltinVocabSize } from "./builtinTokenizer.js";
import { CHATML_TOKENS, TokenType, withChatMlTokens } from "./tokenizerSpec.js";

test("builds exactly the requested vocab size with unique tokens", () => {
  for (const vocabSize of [259, 300, 512, 4096]) {
    const spec = builtinTokenizer({ vocabSize, chatMl: false });
    assert.equal(spec.tokens.length, vocabSize);
    assert.equal(spec.tokenTypes.length, vocabSize);
    assert.equal(spec.scores?.length, vocabSize);
    assert.equal(new Set(spec.tokens).size, vocabSize);
  }
  assert.throws(() => builtinTokenizer({ vocabSize: minBuiltinVocabSize(true) - 1, chatMl: true }), RangeError);
});

test("has specials, 256 byte tokens and, for SPM merges, every prefix of every word piece", () => {
  const spec = builtinTokenizer({ vocabSize: 512, chatMl: true });
  assert.deepEqual(spec.tokens.slice(0, 3), ["<unk>", "<s>", "</s>"]);
  assert.equal(spec.tokens[3], "<0x00>");
  assert.equal(spec.tokens[258], "<0xFF>");
  assert.equal(spec.tokenTypes.filter((t) => t === TokenType.byte).length, 256);
  for (const t of CHATML_TOKENS) assert.equal(spec.tokenTypes[spec.tokens.indexOf(t)], TokenType.control);
  const vocab = new Set(spec.tokens);
  for (const piece of spec.tokens.filter((t) => t.startsWith("▁") && t.length > 2)) {
    assert.ok(vocab.has(piece.slice(0, -1)), `prefix of ${piece}`);
  }
});

test("withChatMlTokens appends missing control tokens once", () => {
  const base = builtinTokenizer({ vocabSize: 300, chatMl: false });
  const once = withChatMlTokens(base);
  const twice = withChatMlTokens(once);
  assert.equal(once.tokens.length, 302);
  assert.deepEqual(twice.tokens, once.tokens);
  assert.deepEqual(once.tokenTypes.slice(-2), [TokenType.control, TokenType.control]);
});
