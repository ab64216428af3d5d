/**
 * How alike two messages are, for duplicate detection and leave-one-out comparisons: the cosine of
 * their word-count vectors (words are runs of letters and digits, case-folded). 1 means the same
 * words in the same proportions, whatever the order; 0 means no word in common. Cheap, symmetric,
 * and blind to paraphrase — a member that restates another in other words is not a duplicate here,
 * one that repeats it is.
 */

/** Word counts of `text`. */
export function wordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const w of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  return counts;
}

/** Words in `text`. */
export function wordTotal(counts: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const c of counts.values()) n += c;
  return n;
}

/** Cosine similarity of two word-count vectors, 0..1 (0 when either is empty). */
export function cosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [w, c] of a) {
    na += c * c;
    const d = b.get(w);
    if (d !== undefined) dot += c * d;
  }
  for (const c of b.values()) nb += c * c;
  return na === 0 || nb === 0 ? 0 : Math.min(1, dot / Math.sqrt(na * nb));
}

/** Cosine similarity of two texts. */
export function textSimilarity(a: string, b: string): number {
  return cosine(wordCounts(a), wordCounts(b));
}
