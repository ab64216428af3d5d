/**
 * Cut a script into the steps a scripted model emits, one token each: the family's special tokens
 * where the script spells them (so chat wrappers see `<think>` as the token they look for), and
 * short text pieces between them. A text piece is at least two byte-level characters and unique:
 * the 256 single-character tokens are what prompts tokenize into, and llama.cpp aborts on a vocabulary
 * with two tokens of the same text.
 */
import { toByteLevel } from "./byteLevelBpe.js";

/** One step of a script: a special token of the family, or a text piece (byte-level spelled). */
export type ScriptStep = { kind: "special"; text: string } | { kind: "text"; text: string; byteLevel: string };

/** Pieces are at most this many code points: about what real BPE vocabularies average. */
const MAX_PIECE_CODE_POINTS = 4;

/** Split `script` into special-token occurrences and the text between them (longest special first). */
function splitOnSpecials(script: string, specials: readonly string[]): ({ special: string } | { text: string })[] {
  const bySize = [...specials].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  const parts: ({ special: string } | { text: string })[] = [];
  let text = "";
  for (let i = 0; i < script.length; ) {
    const special = bySize.find((s) => script.startsWith(s, i));
    if (special) {
      if (text) parts.push({ text });
      text = "";
      parts.push({ special });
      i += special.length;
    } else {
      text += script[i];
      i++;
    }
  }
  if (text) parts.push({ text });
  return parts;
}

function chunkText(text: string, used: Set<string>, at: number): ScriptStep[] {
  const cps = [...text];
  const steps: ScriptStep[] = [];
  let p = 0;
  while (p < cps.length) {
    const remaining = cps.length - p;
    const lengths = [];
    for (let len = Math.min(MAX_PIECE_CODE_POINTS, remaining); len >= 1; len--) lengths.push(len);
    for (let len = MAX_PIECE_CODE_POINTS + 1; len <= remaining; len++) lengths.push(len);
    let chosen: ScriptStep | null = null;
    let chosenLength = 0;
    for (const len of lengths) {
      const rest = cps.slice(p + len);
      // A single one-byte character left over could not be a piece of its own.
      if (rest.length === 1 && toByteLevel(rest[0]!).length < 2) continue;
      const piece = cps.slice(p, p + len).join("");
      const byteLevel = toByteLevel(piece);
      if (byteLevel.length < 2 || used.has(byteLevel)) continue;
      chosen = { kind: "text", text: piece, byteLevel };
      chosenLength = len;
      break;
    }
    if (!chosen) {
      throw new Error(
        `script text ${JSON.stringify(text)} at character ${at} cannot be scripted: a step is a special token or at least ` +
          "two bytes of text (a lone one-byte character between special tokens is the usual cause)",
      );
    }
    used.add(chosen.byteLevel);
    steps.push(chosen);
    p += chosenLength;
  }
  return steps;
}

/**
 * The steps of `script`: each special token the family declares becomes that token (once at most:
 * a scripted model's next token depends on its current token only), and the text between becomes
 * unique pieces. Throws with the position and reason when the script cannot be scripted.
 */
export function scriptSteps(script: string, specials: readonly string[]): ScriptStep[] {
  const used = new Set<string>();
  const seenSpecials = new Set<string>();
  const steps: ScriptStep[] = [];
  let at = 0;
  for (const part of splitOnSpecials(script, specials)) {
    if ("special" in part) {
      if (seenSpecials.has(part.special)) {
        throw new Error(
          `script uses the special token ${part.special} twice (at character ${at}); a scripted model's next token ` +
            "depends only on its current token, so each special token may appear once",
        );
      }
      seenSpecials.add(part.special);
      steps.push({ kind: "special", text: part.special });
      at += part.special.length;
    } else {
      steps.push(...chunkText(part.text, used, at));
      at += part.text.length;
    }
  }
  return steps;
}
