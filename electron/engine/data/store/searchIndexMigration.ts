/**
 * Schema version 3, the committee's knowledge: a full-text index over sessions and messages, and the
 * state stage's persistent cache.
 *
 * `messages_fts` is an external-content index: the text stays in `messages` (no second copy on
 * disk) and the table holds only the inverted index, addressed by the message's rowid. `messages`
 * has no INTEGER PRIMARY KEY, so after a `VACUUM` (which may renumber such rowids) run
 * `INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')`. `sessions_fts` keeps its own copy
 * of the short titles and tasks, addressed by session id: `sessions` is rebuilt by a later
 * migration (new rowids), which an index tied to its rowids would not survive.
 * Triggers keep both in step, so every writer (this build's store, an older connection, a script)
 * updates the index in the same transaction; the rows that existed before this version are
 * indexed when it runs. Tokens are Unicode words with diacritics folded and English (Porter)
 * stemming, so "stories" finds "story".
 */
import type { Migration } from "./migration.js";

const TOKENIZE = "tokenize = 'porter unicode61 remove_diacritics 2'";

export const SEARCH_INDEX_MIGRATION: Migration = {
  version: 3,
  name: "full-text search over sessions and messages; persistent state cache",
  sql: `
    CREATE VIRTUAL TABLE sessions_fts USING fts5 (title, task, session_id UNINDEXED, ${TOKENIZE});
    CREATE TRIGGER sessions_fts_insert AFTER INSERT ON sessions BEGIN
      INSERT INTO sessions_fts (title, task, session_id) VALUES (new.title, new.task, new.id);
    END;
    CREATE TRIGGER sessions_fts_delete AFTER DELETE ON sessions BEGIN
      DELETE FROM sessions_fts WHERE session_id = old.id;
    END;
    CREATE TRIGGER sessions_fts_update AFTER UPDATE OF title, task ON sessions BEGIN
      UPDATE sessions_fts SET title = new.title, task = new.task WHERE session_id = old.id;
    END;
    INSERT INTO sessions_fts (title, task, session_id) SELECT title, task, id FROM sessions ORDER BY created_at, rowid;

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
