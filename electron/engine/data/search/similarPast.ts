/**
 * Retrieval for the solution library: given a new task's text, the past tasks (or messages, or
 * results) most like it, each with a similarity from 0 to 1.
 *
 * Unlike a user's search, where every word must match, any content word may match here (OR), and
 * the BM25 score is scaled by the text's own score (bm25Scale.ts), so 1 means "as close as the
 * text is to itself" and thresholds mean the same for every task. Words found in no stored row
 * stay in that scale (nothing can be identical to a text with words nobody used); words in half
 * the rows or more weigh next to nothing in BM25 and, when rarer words are there to match, are
 * left out of the match, which would otherwise touch nearly every row.
 */
import { SearchKind, type SearchHit } from "../../../../shared/search.js";
import { IDF_FLOOR, corpusStats, idf, scaled, selfScore } from "./bm25Scale.js";
import { anyOf, contentWords, type QueryTerm } from "./ftsQuery.js";
import type { FtsTable, RankedRow, SearchTables, TypeFilter } from "../store/searchTables.js";

export interface SimilarOptions {
  /** The most hits returned (default 5). */
  limit?: number;
  /** Hits less similar than this (0..1) are left out (default 0). */
  minScore?: number;
  /** Where to look (default `["task"]`: session titles and tasks). */
  kinds?: SearchKind[];
  /** Sessions to leave out, such as the one asking. */
  excludeSessionIds?: readonly string[];
  /** Only each session's best hit (default true). */
  perSession?: boolean;
  /** Newest matching messages ranked when a text matches more (default 2,000). */
  rankedWindow?: number;
}

/** A search hit with its similarity to the text, from 0 to 1. */
export interface SimilarHit extends SearchHit {
  similarity: number;
}

/** See the module note; called through `SessionSearch.similar`. */
export function similarPast(tables: SearchTables, text: string, options: SimilarOptions = {}): SimilarHit[] {
  const limit = options.limit ?? 5;
  const minScore = options.minScore ?? 0;
  const perSession = options.perSession ?? true;
  const kinds = new Set(options.kinds ?? ["task"]);
  const exclude = new Set(options.excludeSessionIds ?? []);
  const { words, counts, length } = contentWords(text);
  if (words.length === 0) return [];
  const found: SimilarHit[] = [];

  const look = (table: FtsTable, types: TypeFilter, details: (rows: RankedRow[], terms: QueryTerm[]) => SearchHit[]): void => {
    const stats = corpusStats(tables.averagesRecord(table));
    if (stats.rows === 0) return;
    const weights = words.map((word) => ({ word, tf: counts.get(word) ?? 1, rows: tables.count(table, anyOf([word])) }));
    const self = selfScore(weights, length, stats);
    const present = weights.filter((w) => w.rows > 0);
    // In a small collection every word may sit at the floor; the scale still holds, as the self
    // score is floored alike, so then they all match.
    const weighty = present.filter((w) => idf(stats.rows, w.rows) > IDF_FLOOR);
    const useful = weighty.length > 0 ? weighty : present;
    if (useful.length === 0) return;
    const match = anyOf(useful.map((w) => w.word));
    const floor = table === "messages_fts" ? tables.windowFloor(table, match, options.rankedWindow ?? 2000) : null;
    // Extra rows leave room for hits dropped below: excluded sessions and a session's second best.
    const fetch = (limit + exclude.size) * (perSession ? 4 : 1);
    const rows = tables.rank(table, match, fetch, floor, types).filter((row) => scaled(row.score, self) >= minScore);
    for (const hit of details(rows, useful.map((w) => ({ text: w.word, prefix: false })))) {
      if (!exclude.has(hit.sessionId)) found.push({ ...hit, similarity: scaled(hit.score, self) });
    }
  };

  if (kinds.has("task")) look("sessions_fts", "all", (rows, terms) => tables.taskHits(rows, terms));
  const messages = kinds.has("message");
  const results = kinds.has("result");
  if (messages || results) {
    look("messages_fts", messages && results ? "all" : results ? "results" : "non-results", (rows, terms) => tables.messageHits(rows, terms));
  }

  found.sort((a, b) => b.similarity - a.similarity);
  const seen = new Set<string>();
  const out: SimilarHit[] = [];
  for (const hit of found) {
    if (perSession && seen.has(hit.sessionId)) continue;
    seen.add(hit.sessionId);
    out.push(hit);
    if (out.length === limit) break;
  }
  return out;
}
