/**
 * Schema version 3, the committee's memory: a full-text index over sessions and messages, and the
 * state stage's persistent cache.
 *
 * The two FTS5 tables are external-content indexes: the text stays in `sessions` and `messages`
 * (no second copy on disk) and the tables hold only the inverted index, kept in step by triggers,
 * so every writer of those tables (this build's store, an older connection, a script) updates the
 * index in the same transaction. `rebuild` indexes the rows that existed before this version.
 * Tokens are Unicode words with diacritics folded and English (Porter) stemming, so "stories"
 * finds "story". The index addresses rows by rowid; `messages` has no INTEGER PRIMARY KEY, so
 * after a `VACUUM` (which may renumber such rowids) run `INSERT INTO messages_fts (messages_fts)
 * VALUES ('rebuild')`.
 */
import type { Migration } from "./migrations.js";

const TOKENIZE = "tokenize = 'porter unicode61 remove_diacritics 2'";

export const MEMORY_MIGRATION: Migration = {
  version: 3,
  name: "full-text search over sessions and messages; persistent state cache",
  sql: `
    CREATE VIRTUAL TABLE sessions_fts USING fts5 (title, task, content = 'sessions', ${TOKENIZE});
    CREATE TRIGGER sessions_fts_insert AFTER INSERT ON sessions BEGIN
      INSERT INTO sessions_fts (rowid, title, task) VALUES (new.rowid, new.title, new.task);
    END;
    CREATE TRIGGER sessions_fts_delete AFTER DELETE ON sessions BEGIN
      INSERT INTO sessions_fts (sessions_fts, rowid, title, task) VALUES ('delete', old.rowid, old.title, old.task);
    END;
    CREATE TRIGGER sessions_fts_update AFTER UPDATE OF title, task ON sessions BEGIN
      INSERT INTO sessions_fts (sessions_fts, rowid, title, task) VALUES ('delete', old.rowid, old.title, old.task);
      INSERT INTO sessions_fts (rowid, title, task) VALUES (new.rowid, new.title, new.task);
    END;
    INSERT INTO sessions_fts (sessions_fts) VALUES ('rebuild');

    CREATE VIRTUAL TABLE messages_fts USING fts5 (content, content = 'messages', ${TOKENIZE});
    CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
      INSERT INTO messages_fts (rowid, content) VALUES (new.rowid, new.content);
    END;
    CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
      INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.rowid, old.content);
    END;
    CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
      INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', old.rowid, old.content);
      INSERT INTO messages_fts (rowid, content) VALUES (new.rowid, new.content);
    END;
    INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');

    CREATE TABLE state_cache (
      key         TEXT PRIMARY KEY,
      role        TEXT NOT NULL,
      state       TEXT NOT NULL,
      produced_ms REAL NOT NULL,
      created_at  INTEGER NOT NULL,
      used_at     INTEGER NOT NULL,
      hits        INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX state_cache_by_use ON state_cache (used_at);
  `,
};
