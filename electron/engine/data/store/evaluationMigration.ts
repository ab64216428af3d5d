/**
 * Migration 7: what evaluations keep.
 *  - `session_results`: the message each finished session ended with as its answer, and the rule that
 *    picked it (see conversation/session/resultMessage.ts);
 *  - `evaluation_runs`: one row per task-set run, found again by its key (the experiment and the
 *    output folder), with its status, the owning process and the latest `results.json`;
 *  - `evaluation_tasks`: each task's progress in a run: its committee session, its status and, once
 *    done, its checked outcome, so a rerun skips it.
 */
import type { Migration } from "./migration.js";

export const EVALUATION_MIGRATION: Migration = {
  version: 7,
  name: "session result messages; evaluation runs and their task progress",
  sql: `
    CREATE TABLE session_results (
      session_id TEXT PRIMARY KEY REFERENCES sessions (id) ON DELETE CASCADE,
      message_id TEXT REFERENCES messages (id) ON DELETE SET NULL,
      basis      TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );

    CREATE TABLE evaluation_runs (
      id         TEXT PRIMARY KEY,
      run_key    TEXT NOT NULL UNIQUE,
      title      TEXT NOT NULL,
      experiment TEXT NOT NULL,
      out_dir    TEXT NOT NULL,
      task_ids   TEXT NOT NULL,
      status     TEXT NOT NULL CHECK (status IN ('running','completed','failed','interrupted','aborted')),
      owner      TEXT,
      results    TEXT,
      error      TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX evaluation_runs_by_created ON evaluation_runs (created_at);

    CREATE TABLE evaluation_tasks (
      run_id      TEXT NOT NULL REFERENCES evaluation_runs (id) ON DELETE CASCADE,
      task_id     TEXT NOT NULL,
      position    INTEGER NOT NULL,
      session_id  TEXT REFERENCES sessions (id) ON DELETE SET NULL,
      status      TEXT NOT NULL CHECK (status IN ('pending','running','done','failed')),
      outcome     TEXT,
      error       TEXT,
      duration_ms REAL,
      updated_at  INTEGER NOT NULL,
      PRIMARY KEY (run_id, task_id)
    );
    CREATE INDEX evaluation_tasks_by_session ON evaluation_tasks (session_id);
  `,
};
