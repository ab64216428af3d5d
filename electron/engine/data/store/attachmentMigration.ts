/**
 * Migration 9: attachments stored with the session, content-addressed. A file's text is kept once
 * per SHA-256 (`attachment_blobs`), and each session lists the workspace paths it saw with their
 * hashes (`session_attachments`), so fork, replay, resume and export read exactly what the committee
 * saw and never the disk again. Check outcomes (command checks on a session's result) are kept
 * beside them, one row per check run.
 */
import type { Migration } from "./migration.js";

export const ATTACHMENT_MIGRATION: Migration = {
  version: 9,
  name: "attachments (content-addressed blobs, per-session file lists) and command check outcomes",
  sql: `
    CREATE TABLE attachment_blobs (
      sha256   TEXT PRIMARY KEY,
      content  TEXT NOT NULL
    );
    CREATE TABLE session_attachments (
      session_id  TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
      path        TEXT NOT NULL,
      sha256      TEXT NOT NULL REFERENCES attachment_blobs (sha256),
      bytes       INTEGER NOT NULL,
      PRIMARY KEY (session_id, path)
    );
    CREATE TABLE check_outcomes (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      session_id  TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
      message_id  TEXT,
      passed      INTEGER NOT NULL,
      outcome     TEXT NOT NULL,
      artifacts   TEXT NOT NULL,
      created_at  INTEGER NOT NULL
    );
    CREATE INDEX check_outcomes_by_session ON check_outcomes (session_id, id);
  `,
};
