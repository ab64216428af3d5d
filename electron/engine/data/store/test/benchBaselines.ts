/**
 * Bench support: the raw-SQLite baselines the bench's store and search figures are ratios against,
 * and the steps that set a throwaway bench file up, kept here so that no SQL lives outside the store
 * (sqlOnlyInStore.test.ts). The figures themselves go through the store's methods; only what a
 * baseline means ("a raw better-sqlite3 insert", "a LIKE scan", "one indexed lookup") is written in
 * SQL. Each runs on its own connection to the file. Never shipped.
 */
import type { SessionStore } from "../sessionStore.js";
import { openDatabase, type SqlValue } from "../sqlite.js";
import { storeFile, withStoreFile } from "./storeFile.js";

/** A bare `messages` table of the store's columns in a file of its own, with the store's pragmas. */
export interface RawMessagesTable {
  /** Inserts one row (15 values in column order), committed on its own. */
  insert(row: SqlValue[]): void;
  close(): void;
}

/** Creates `file` with a raw messages table (WAL, synchronous=NORMAL, no triggers or foreign keys). */
export function rawMessagesTable(file: string): RawMessagesTable {
  const db = openDatabase(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(`CREATE TABLE messages (id TEXT NOT NULL UNIQUE, session_id TEXT NOT NULL, seq INTEGER NOT NULL,
    from_role TEXT, to_roles TEXT, type TEXT, content TEXT, references_to TEXT, confidence REAL, provenance TEXT,
    usage TEXT, created_at INTEGER, round INTEGER, repairs TEXT, routing TEXT, UNIQUE (session_id, seq))`);
  const insert = db.prepare("INSERT INTO messages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  return { insert: (row) => void insert.run(row), close: () => void db.close() };
}

/** Truncates the WAL of `store`'s file (a bulk load's backlog, cleared before measuring). */
export function truncateWal(store: Pick<SessionStore, "file">): void {
  withStoreFile(store, (db) => void db.pragma("wal_checkpoint(TRUNCATE)"));
}

/** Drops the message index's insert trigger on a throwaway file, to time appends without it. */
export function dropMessageIndexTrigger(store: Pick<SessionStore, "file">): void {
  withStoreFile(store, (db) => void db.exec("DROP TRIGGER messages_fts_insert"));
}

/** Rebuilds the message index and puts its insert trigger back (as migration 3 defines it). */
export function restoreMessageIndex(store: Pick<SessionStore, "file">): void {
  withStoreFile(store, (db) => {
    db.exec("INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')");
    db.exec("CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN INSERT INTO messages_fts (rowid, content) VALUES (new.rowid, new.content); END");
  });
}

/** What search is measured against: no index at all, and the cheapest indexed read. */
export interface ScanBaselines {
  /** Every word as a LIKE over the messages' content, 20 rows at most (a search box without an index). */
  likeScan(patterns: readonly string[]): void;
  /** One message by its id (the primary-key lookup). */
  lookup(id: string): void;
  /** `n` message ids in random order. */
  randomIds(n: number): string[];
  close(): void;
}

/** Opens the baselines on a read-only connection to `store`'s file. */
export function scanBaselines(store: Pick<SessionStore, "file">): ScanBaselines {
  const db = storeFile(store, { readonly: true });
  const byId = db.prepare("SELECT id, session_id, content FROM messages WHERE id = ?");
  return {
    likeScan: (patterns) =>
      void db.prepare(`SELECT id, session_id, content FROM messages WHERE ${patterns.map(() => "content LIKE ?").join(" AND ")} LIMIT 20`).all([...patterns]),
    lookup: (id) => void byId.get([id]),
    randomIds: (n) => db.prepare<string>("SELECT id FROM messages ORDER BY random() LIMIT ?").pluck().all([n]),
    close: () => void db.close(),
  };
}
