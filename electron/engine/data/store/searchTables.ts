/**
 * The queries over the two full-text indexes (schema version 3; the store's `search` repository): `sessions_fts` (session titles and
 * tasks, with the session's id) and `messages_fts` (message texts, by the message's rowid), with
 * prepared statements cached per connection.
 *
 * Ranking is done in two steps. First only rowids and BM25 scores are ranked (SQLite's top-N
 * sorter over `bm25()`; FTS5's own `ORDER BY rank` would ignore the rowid window below). Then the
 * few winners get their rows, and snippets are cut from their text (snippet.ts), so only what is
 * shown is read. A query matching more rows than a window ranks only the newest `window` of them (rowids
 * grow with time): a word found in 90,000 messages would otherwise cost ~100 ms to rank, and a
 * word that common carries almost no BM25 weight anyway.
 *
 * Rowids are bound through `CAST(? AS INTEGER)`: better-sqlite3 binds a JS number as a REAL, and
 * FTS5 ignores a rowid constraint whose value is a REAL (the query then runs over every match).
 */
import { RESULT_MESSAGE_TYPES, type SearchHit } from "../../../../shared/search.js";
import type { MessageType, SessionStatus } from "../../../../shared/conversation.js";
import type { QueryTerm } from "../search/ftsQuery.js";
import { matchCount, snippet } from "../search/snippet.js";
import { statementCache, type Database, type SqlValue, type Statement } from "./sqlite.js";

export type FtsTable = "sessions_fts" | "messages_fts";

/** Which message types to rank: all, only results, or all but results. */
export type TypeFilter = "all" | "results" | "non-results";

/** A ranked row before its details are read: `score` is BM25 negated (higher is better). */
export interface RankedRow {
  rowid: number;
  score: number;
}

const RESULT_TYPES = RESULT_MESSAGE_TYPES.map((t) => `'${t}'`).join(", ");

interface TaskDetail {
  id: string;
  title: string;
  task: string;
  status: SessionStatus;
  created_at: number;
}

interface MessageDetail extends Omit<TaskDetail, "id" | "task"> {
  content: string;
  message_id: string;
  session_id: string;
  seq: number;
  from_role: string;
  type: MessageType;
}

export class SearchTables {
  private readonly stmt: <Row>(sql: string) => Statement<Row>;

  constructor(db: Database) {
    this.stmt = statementCache(db);
  }

  /**
   * The lowest rowid inside the ranking window: the newest `window` matches are ranked, older ones
   * not. `null` when no more than `window` rows match (everything is ranked).
   */
  windowFloor(table: FtsTable, match: string, window: number): number | null {
    const beyond = this.stmt<number>(`SELECT rowid FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?`)
      .pluck()
      .get([match, window]);
    return beyond === undefined ? null : beyond + 1;
  }

  /** Rows matching `match` (at or above `floor`), best BM25 first. */
  rank(table: FtsTable, match: string, limit: number, floor: number | null, types: TypeFilter = "all"): RankedRow[] {
    const params: SqlValue[] = [match, floor ?? 0, limit];
    if (table === "sessions_fts" || types === "all") {
      return this.stmt<RankedRow>(
        `SELECT rowid, -bm25(${table}) AS score FROM ${table} WHERE ${table} MATCH ? AND rowid >= CAST(? AS INTEGER) ORDER BY score DESC LIMIT ?`,
      ).all(params);
    }
    const inOrNot = types === "results" ? "IN" : "NOT IN";
    return this.stmt<RankedRow>(`
      SELECT messages_fts.rowid AS rowid, -bm25(messages_fts) AS score FROM messages_fts JOIN messages m ON m.rowid = messages_fts.rowid
      WHERE messages_fts MATCH ? AND messages_fts.rowid >= CAST(? AS INTEGER) AND m.type ${inOrNot} (${RESULT_TYPES}) ORDER BY score DESC LIMIT ?`).all(params);
  }

  /**
   * FTS5's "averages" record of `table` (id 1 of its `<table>_data` shadow table: the row count,
   * then each column's token total, as varints; bm25Scale.ts decodes it), or null when empty.
   */
  averagesRecord(table: FtsTable): Uint8Array | null {
    const block = this.stmt<Uint8Array>(`SELECT block FROM "${table}_data" WHERE id = 1`).pluck().get();
    return block && block.length > 0 ? block : null;
  }

  /** How many rows of `table` match (the document frequency BM25 uses for one term). */
  count(table: FtsTable, match: string): number {
    return this.stmt<number>(`SELECT count(*) FROM ${table} WHERE ${table} MATCH ?`).pluck().get([match]) ?? 0;
  }

  /** Ranked session rows as task hits, with snippets marking `terms`, in rank order. */
  taskHits(ranked: readonly RankedRow[], terms: readonly QueryTerm[]): SearchHit[] {
    const rowids = ranked.map((r) => r.rowid);
    const details = new Map(
      this.stmt<TaskDetail & { rowid: number }>(`
        SELECT f.rowid AS rowid, s.id, s.title, s.task, s.status, s.created_at FROM sessions_fts f JOIN sessions s ON s.id = f.session_id
        WHERE f.rowid IN (SELECT value FROM json_each(?))`)
        .all([JSON.stringify(rowids)])
        .map((d) => [d.rowid, d]),
    );
    return ranked.flatMap((row): SearchHit[] => {
      const d = details.get(row.rowid);
      if (!d) return [];
      // The snippet comes from whichever of title and task matches more (the task on a tie).
      const text = matchCount(d.title, terms) > matchCount(d.task, terms) ? d.title : d.task;
      return [{
        kind: "task",
        sessionId: d.id,
        sessionTitle: d.title,
        sessionStatus: d.status,
        createdAt: d.created_at,
        messageId: null,
        seq: null,
        from: null,
        type: null,
        snippet: snippet(text, terms),
        score: row.score,
      }];
    });
  }

  /** Ranked message rows as message or result hits, with snippets marking `terms`, in rank order. */
  messageHits(ranked: readonly RankedRow[], terms: readonly QueryTerm[]): SearchHit[] {
    const rowids = ranked.map((r) => r.rowid);
    const details = new Map(
      this.stmt<MessageDetail & { rowid: number }>(`
        SELECT m.rowid AS rowid, m.id AS message_id, m.session_id, m.seq, m.from_role, m.type, m.content, m.created_at, s.title, s.status
        FROM messages m JOIN sessions s ON s.id = m.session_id WHERE m.rowid IN (SELECT value FROM json_each(?))`)
        .all([JSON.stringify(rowids)])
        .map((d) => [d.rowid, d]),
    );
    return ranked.flatMap((row): SearchHit[] => {
      const d = details.get(row.rowid);
      if (!d) return [];
      return [{
        kind: RESULT_MESSAGE_TYPES.includes(d.type) ? "result" : "message",
        sessionId: d.session_id,
        sessionTitle: d.title,
        sessionStatus: d.status,
        createdAt: d.created_at,
        messageId: d.message_id,
        seq: d.seq,
        from: d.from_role,
        type: d.type,
        snippet: snippet(d.content, terms),
        score: row.score,
      }];
    });
  }
}
