/**
 * Migration 8: what the solution library did for each session that used it — the path (reuse,
 * adapt, fresh), the past results it offered with their provenance, the running hit rate and the
 * time saved against generation. One row per session; the offered items are JSON (they are read
 * and written whole, never queried inside).
 */
import type { Migration } from "./migration.js";

export const LIBRARY_USE_MIGRATION: Migration = {
  version: 8,
  name: "solution library use per session (path, offered results, hit rate, time saved)",
  sql: `
    CREATE TABLE library_uses (
      session_id      TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
      path            TEXT NOT NULL CHECK (path IN ('reuse','adapt','fresh')),
      best_similarity REAL NOT NULL,
      items           TEXT NOT NULL,
      settings        TEXT NOT NULL,
      hit             INTEGER NOT NULL,
      hit_rate        REAL NOT NULL,
      saved_ms        REAL,
      created_at      INTEGER NOT NULL
    );
    CREATE INDEX library_uses_by_created ON library_uses (created_at);
  `,
};
