/**
 * Full-text search over every stored session: titles and tasks, messages and results, ranked by
 * BM25 (SQLite FTS5, indexes kept in step by triggers; see data/store/searchIndexMigration.ts). The UI's
 * search box, the `search.sessions` RPC and `conclave search` all call {@link SessionSearch.search};
 * the solution library calls {@link SessionSearch.similar} (similarPast.ts) with a task text.
 */
import { SearchKind, SearchQuery, type SearchHit, type SearchQueryInput, type SearchResult } from "../../../../shared/search.js";
import { fieldPath } from "../../../../shared/experiment.js";
import type { SessionStore } from "../store/sessionStore.js";
import { SearchQueryError, describeTerm, userQuery } from "./ftsQuery.js";
import type { FtsTable, RankedRow, SearchTables, TypeFilter } from "../store/searchTables.js";
import { similarPast, type SimilarHit, type SimilarOptions } from "./similarPast.js";

export { SearchQueryError } from "./ftsQuery.js";
export type { SimilarHit, SimilarOptions } from "./similarPast.js";

export interface SessionSearchOptions {
  /** How many of the newest matching rows a very common query ranks (default 2,000). */
  rankedWindow?: number;
}

/** Validates a query from any transport; a bad one is a {@link SearchQueryError} naming the field. */
export function parseSearchQuery(input: SearchQueryInput): SearchQuery {
  const parsed = SearchQuery.safeParse(input);
  if (!parsed.success) throw new SearchQueryError(parsed.error.issues.map((i) => `${fieldPath(i.path)}: ${i.message}`).join("; "));
  return parsed.data;
}

/**
 * Runs `fn`, turning any SQLite failure into a {@link SearchQueryError}: the query is always quoted
 * (ftsQuery.ts), so this is a safety net that keeps SQLite's own exceptions from reaching a user.
 */
export function guarded<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof SearchQueryError) throw error;
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("SQLITE_")) {
      throw new SearchQueryError(`${what} could not run: ${(error as Error).message}`, { cause: error });
    }
    throw error;
  }
}

function typeFilter(kinds: ReadonlySet<SearchKind>): TypeFilter | null {
  const messages = kinds.has("message");
  const results = kinds.has("result");
  if (messages && results) return "all";
  if (results) return "results";
  return messages ? "non-results" : null;
}

export class SessionSearch {
  readonly rankedWindow: number;

  /** Searches through `tables`, the store's search repository (`store.search`). */
  constructor(
    private readonly tables: SearchTables,
    options: SessionSearchOptions = {},
  ) {
    this.rankedWindow = options.rankedWindow ?? 2000;
  }

  /**
   * The best hits for a user's query, best first: every word must match (see `SearchQuery`).
   * Task hits and message hits are merged by their BM25 scores.
   * @throws SearchQueryError for a query with no words, too many words, or a bad field.
   */
  search(input: SearchQueryInput): SearchResult {
    const q = parseSearchQuery(input);
    const fts = userQuery(q.query);
    const kinds = new Set(q.kinds ?? SearchKind.options);
    return guarded("the search", () => {
      const hits: SearchHit[] = [];
      let truncated = false;
      const ranked = (table: FtsTable, types: TypeFilter): RankedRow[] => {
        const floor = this.tables.windowFloor(table, fts.candidates, this.rankedWindow);
        truncated ||= floor !== null;
        return this.tables.rank(table, fts.match, q.limit, floor, types);
      };
      if (kinds.has("task")) hits.push(...this.tables.taskHits(ranked("sessions_fts", "all"), fts.terms));
      const types = typeFilter(kinds);
      if (types) hits.push(...this.tables.messageHits(ranked("messages_fts", types), fts.terms));
      hits.sort((a, b) => b.score - a.score);
      return { terms: fts.terms.map(describeTerm), hits: hits.slice(0, q.limit), truncated, rankedWindow: this.rankedWindow };
    });
  }

  /**
   * The stored tasks (and, on request, messages or results) most similar to a task text, each with
   * a similarity from 0 to 1 — BM25 scaled by the text's own score (bm25Scale.ts) — best first.
   * This is the solution library's retrieval; see {@link SimilarOptions}.
   */
  similar(text: string, options: SimilarOptions = {}): SimilarHit[] {
    return guarded("the similarity search", () => similarPast(this.tables, text, { rankedWindow: this.rankedWindow, ...options }));
  }
}

const byStore = new WeakMap<SearchTables, SessionSearch>();

/** The search over a store, created once per store (its repository caches the statements). */
export function sessionSearch(store: Pick<SessionStore, "search">): SessionSearch {
  let s = byStore.get(store.search);
  if (!s) {
    s = new SessionSearch(store.search);
    byStore.set(store.search, s);
  }
  return s;
}
