/**
 * Migration 5: where a session came from (a fork of another at one of its messages, or a replay of
 * another) as columns on `sessions`, and the replay reports. Columns are added, not rebuilt, so the
 * rows of every earlier version stay as they are; old rows read as sessions without an origin.
 */
import type { Migration } from "./migration.js";

export const LINEAGE_MIGRATION: Migration = {
  version: 5,
  name: "session origin (fork, replay) and replay reports",
  sql: `
    ALTER TABLE sessions ADD COLUMN origin_kind TEXT CHECK (origin_kind IN ('fork','replay'));
    ALTER TABLE sessions ADD COLUMN parent_id TEXT REFERENCES sessions (id) ON DELETE SET NULL;
    ALTER TABLE sessions ADD COLUMN parent_seq INTEGER;
    CREATE INDEX sessions_by_parent ON sessions (parent_id);

    CREATE TABLE replay_reports (
      session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
      source_id  TEXT NOT NULL,
      report     TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    );
  `,
};
