/**
 * Self-consistency: the most common extracted answer among a model's samples. Answers are compared
 * by a key: for a numeric check their number (so "42" and "42.0" agree), otherwise the text with
 * case and whitespace folded. Unextracted samples (null) do not vote. A tie goes to the answer that
 * appeared first, so the result does not depend on anything but the samples' order.
 */
import type { CheckSpec } from "../../../../shared/experiment.js";
import { lastNumber } from "./checkers.js";

export interface MajorityResult {
  /** The winning answer as first written; null when no sample had an answer. */
  answer: string | null;
  /** Index of the first sample that gave it. */
  index: number | null;
  votes: number;
  /** Samples with an answer. */
  voters: number;
}

/** The key two answers agree on under `check`. */
export function answerKey(answer: string, check?: Pick<CheckSpec, "kind">): string {
  if (check?.kind === "numeric") {
    const n = lastNumber(answer);
    if (n !== null) return `#${n}`;
  }
  return answer.trim().replace(/\s+/g, " ").replace(/\.$/, "").toLowerCase();
}

export function majorityAnswer(answers: readonly (string | null)[], check?: Pick<CheckSpec, "kind">): MajorityResult {
  const tally = new Map<string, { count: number; first: number }>();
  let voters = 0;
  answers.forEach((a, i) => {
    if (a === null) return;
    voters++;
    const key = answerKey(a, check);
    const t = tally.get(key);
    if (t) t.count++;
    else tally.set(key, { count: 1, first: i });
  });
  let best: { count: number; first: number } | null = null;
  for (const t of tally.values()) if (!best || t.count > best.count || (t.count === best.count && t.first < best.first)) best = t;
  if (!best) return { answer: null, index: null, votes: 0, voters };
  return { answer: answers[best.first] ?? null, index: best.first, votes: best.count, voters };
}
