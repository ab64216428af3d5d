/**
 * Searching past sessions: the query a user (UI, CLI, RPC) sends and the ranked hits that come back.
 * Matching is full-text (SQLite FTS5) and ranking is BM25; see electron/engine/data/search/.
 */
import { z } from "zod";
import { MessageType, SessionStatus } from "./conversation.js";

/**
 * Where a hit was found: a session's title or task, one of its messages, or one of its results
 * (the messages that conclude a session: answers, consensus statements and summaries).
 */
export const SearchKind = z.enum(["task", "message", "result"]);
export type SearchKind = z.infer<typeof SearchKind>;

/** Message types whose text counts as a session's result. */
export const RESULT_MESSAGE_TYPES: readonly MessageType[] = ["answer", "consensus", "summary"];

/**
 * A search as typed by a user. Words must all occur (in any order, any inflection: "stories" finds
 * "story"); `"a phrase"` must occur as written; a word ending in `*` matches as a prefix. Every
 * other character is taken literally, so no input can break the query syntax.
 */
export const SearchQuery = z.object({
  query: z.string().trim().min(1, "type a word to search for").max(500, "at most 500 characters"),
  limit: z.number().int().min(1).max(200).default(20),
  /** Only these kinds of hit; all when left out. */
  kinds: z.array(SearchKind).min(1).optional(),
});
export type SearchQuery = z.infer<typeof SearchQuery>;
export type SearchQueryInput = z.input<typeof SearchQuery>;

/** A run of snippet text; `hit` marks the words that matched the query (for highlighting). */
export const SnippetPart = z.object({ text: z.string(), hit: z.boolean() });
export type SnippetPart = z.infer<typeof SnippetPart>;

export const SearchHit = z.object({
  kind: SearchKind,
  sessionId: z.string(),
  sessionTitle: z.string(),
  sessionStatus: SessionStatus,
  /** Epoch ms of the message, or of the session for a task hit. */
  createdAt: z.number(),
  /** The matching message; null for a task hit. */
  messageId: z.string().nullable(),
  seq: z.number().int().positive().nullable(),
  from: z.string().nullable(),
  type: MessageType.nullable(),
  /** The matching passage, cut around the matched words. */
  snippet: z.array(SnippetPart),
  /** BM25 relevance (SQLite's bm25() negated): higher is better; comparable within one search. */
  score: z.number(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchResult = z.object({
  /** The query as understood: the words and phrases that had to match. */
  terms: z.array(z.string()),
  hits: z.array(SearchHit),
  /**
   * True when so many messages matched that only the newest of them were ranked (see
   * `rankedWindow`); narrow the query with another word to rank older ones.
   */
  truncated: z.boolean(),
  /** How many of the newest matching messages are ranked when a query matches more. */
  rankedWindow: z.number().int().positive(),
});
export type SearchResult = z.infer<typeof SearchResult>;
