/**
 * Putting FTS5's BM25 scores on a 0..1 scale with a fixed meaning.
 *
 * A raw BM25 score has no upper bound and depends on the query: a three-word query scores lower
 * than a thirty-word one against the same text, so raw scores cannot be compared with a threshold
 * ("reuse above 0.9"). We divide a hit's score by the score the query text itself would get were it
 * a document of the same collection — its *self score*, computed with FTS5's own formula, row
 * count, average length and per-term document frequencies:
 *
 *   self = Σ_t idf(t) · tf(t)·(k1+1) / (tf(t) + k1·(1 − b + b·|Q|/avgdl)),  k1 = 1.2, b = 0.75
 *   idf(t) = ln((N − n(t) + 0.5) / (n(t) + 0.5)), floored at 1e-6 as FTS5 does
 *
 * where tf(t) counts t in the query text and |Q| is the query's length in tokens. A stored text
 * identical to the query scores 1; one sharing no rare word scores near 0; a hit that repeats the
 * query's rare words more densely than the query itself can exceed the self score and is clamped
 * to 1. The query side is counted before stemming ("runs" and "running" are two terms there and
 * one in the index), so the scale is exact for unstemmed words and close otherwise.
 */

/** FTS5's bm25() constants. */
const K1 = 1.2;
const B = 0.75;
/** FTS5 floors non-positive IDFs (terms in half the rows or more) at this value. */
export const IDF_FLOOR = 1e-6;

/** What BM25 needs to know about one FTS5 table. */
export interface CorpusStats {
  rows: number;
  /** Mean tokens per row, over all indexed columns. */
  avgLength: number;
}

/** A query term with its frequency in the query and the number of rows that contain it. */
export interface TermWeight {
  tf: number;
  rows: number;
}

/** Reads one SQLite varint (big-endian, 7 bits a byte, the ninth byte whole) at `pos`. */
function varint(buf: Uint8Array, pos: number): [value: number, length: number] {
  let value = 0;
  for (let i = 0; i < 8; i++) {
    const byte = buf[pos + i];
    if (byte === undefined) throw new Error("truncated varint");
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return [value, i + 1];
  }
  const last = buf[pos + 8];
  if (last === undefined) throw new Error("truncated varint");
  return [value * 256 + last, 9];
}

/**
 * The row count and average row length FTS5 itself uses for a table, decoded from its "averages"
 * record (`SearchTables.averagesRecord`: the row count, then each column's token total, as
 * varints). Reading it costs one lookup; counting the tokens through SQL would walk the whole index.
 */
export function corpusStats(block: Uint8Array | null): CorpusStats {
  if (!block || block.length === 0) return { rows: 0, avgLength: 0 };
  const [rows, first] = varint(block, 0);
  let tokens = 0;
  for (let pos = first; pos < block.length; ) {
    const [n, len] = varint(block, pos);
    tokens += n;
    pos += len;
  }
  return { rows, avgLength: rows > 0 ? tokens / rows : 0 };
}

/** FTS5's inverse document frequency of a term found in `hits` of `rows` rows. */
export function idf(rows: number, hits: number): number {
  const v = Math.log((rows - hits + 0.5) / (hits + 0.5));
  return v <= 0 ? IDF_FLOOR : v;
}

/** The BM25 score of the query as a document of its own (see the module note). */
export function selfScore(terms: readonly TermWeight[], queryLength: number, stats: CorpusStats): number {
  if (stats.rows === 0 || stats.avgLength === 0) return 0;
  const norm = K1 * (1 - B + (B * queryLength) / stats.avgLength);
  let score = 0;
  for (const t of terms) score += (idf(stats.rows, t.rows) * t.tf * (K1 + 1)) / (t.tf + norm);
  return score;
}

/** A positive BM25 score on the 0..1 scale of `self` (0 when the query has no weight). */
export function scaled(score: number, self: number): number {
  return self > 0 ? Math.min(1, Math.max(0, score / self)) : 0;
}
