/**
 * Cut scripts into the steps a scripted model emits, one token each: the family's special tokens
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

function chunkText(text: string, used: Set<string>, at: number, label: string): ScriptStep[] {
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
      // Every short piece here is taken (repetitive text near its end): the previous piece takes the rest.
      const previous = steps.pop();
      const merged = previous?.kind === "text" ? previous.text + cps.slice(p).join("") : null;
      if (previous?.kind === "text" && merged !== null && !used.has(toByteLevel(merged))) {
        used.delete(previous.byteLevel);
        chosen = { kind: "text", text: merged, byteLevel: toByteLevel(merged) };
        chosenLength = remaining;
      } else {
        const excerpt = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
        throw new Error(
          `${label} text ${excerpt} at character ${at} cannot be scripted: a step is a special token or at least ` +
            "two bytes of text (a lone one-byte character between special tokens is the usual cause)",
        );
      }
    }
    used.add(chosen.byteLevel);
    steps.push(chosen);
    p += chosenLength;
  }
  return steps;
}

/** Marks the end token among a step's successors. */
export const END = -1;

/** The steps of one or more scripts, shared where the scripts share a beginning. */
export interface ScriptGraph {
  /** Every step, one token each, in the order they were made. */
  steps: ScriptStep[];
  /** Successors of any token that is not a step (what every prompt ends with), best first. */
  start: number[];
  /** Successors of each step (indices into `steps`, or {@link END}), best first. */
  next: number[][];
  /** Each script as its step indices. */
  paths: number[][];
}

/** The most scripts that may part ways at one point (each needs its own logit level). */
export const MAX_BRANCHES = 9;

/**
 * The steps of `scripts`: each special token the family declares becomes that token, and the text
 * between becomes unique pieces. Scripts that begin alike share their first steps, then branch; at a
 * branch the earlier script's step comes first, so a model answers with the first script a grammar
 * allows. A step has one set of successors, so a special token appears at one point of the graph
 * only. Throws with the script, position and reason when the scripts cannot be scripted.
 */
export function scriptGraph(scripts: readonly string[], specials: readonly string[]): ScriptGraph {
  const steps: ScriptStep[] = [];
  const next: number[][] = [];
  const start: number[] = [];
  const paths: number[][] = [];
  const used = new Set<string>();
  const specialStep = new Map<string, number>();
  const successorsOf = (node: number): number[] => (node < 0 ? start : next[node]!);
  const link = (node: number, to: number, where: string): void => {
    const list = successorsOf(node);
    if (list.includes(to)) return;
    if (list.length >= MAX_BRANCHES) throw new Error(`${where}: more than ${MAX_BRANCHES} scripts part ways at one point`);
    list.push(to);
  };
  const add = (step: ScriptStep): number => {
    steps.push(step);
    next.push([]);
    return steps.length - 1;
  };

  scripts.forEach((script, k) => {
    const label = scripts.length > 1 ? `script ${k + 1}` : "script";
    let node = -1; // -1: the start, before any step
    let at = 0;
    const path: number[] = [];
    for (const part of splitOnSpecials(script, specials)) {
      if ("special" in part) {
        const existing = specialStep.get(part.special);
        if (existing !== undefined && !successorsOf(node).includes(existing)) {
          throw new Error(
            `${label} uses the special token ${part.special} at character ${at}, where no earlier step leads to it; a scripted ` +
              "model's next token depends only on its current token, so a special token may appear at one point only",
          );
        }
        const step = existing ?? add({ kind: "special", text: part.special });
        specialStep.set(part.special, step);
        link(node, step, label);
        node = step;
        path.push(step);
        at += part.special.length;
        continue;
      }
      let rest = part.text;
      // Follow the steps of earlier scripts while they spell this text.
      for (;;) {
        const follow = successorsOf(node).find((i) => {
          const step = steps[i];
          if (!step || step.kind !== "text" || !rest.startsWith(step.text)) return false;
          const after = [...rest.slice(step.text.length)];
          return !(after.length === 1 && toByteLevel(after[0]!).length < 2);
        });
        if (follow === undefined) break;
        node = follow;
        path.push(follow);
        at += steps[follow]!.text.length;
        rest = rest.slice(steps[follow]!.text.length);
      }
      if (!rest) continue;
      for (const piece of chunkText(rest, used, at, label)) {
        const step = add(piece);
        link(node, step, label);
        node = step;
        path.push(step);
      }
      at += rest.length;
    }
    link(node, END, label);
    paths.push(path);
  });
  return { steps, start, next, paths };
}
