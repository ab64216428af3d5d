/**
 * The store's schema as a numbered list of migrations. A database records the versions it has in
 * `schema_version`; opening applies the missing ones in order, each in its own transaction, so a crash
 * mid-migration leaves the previous version intact. Never edit a shipped migration: append a new one.
 */
import type { Database } from "./sqlite.js";
import type { Migration } from "./migration.js";
import { LINEAGE_MIGRATION } from "./lineageMigration.js";
import { SEARCH_INDEX_MIGRATION } from "./searchIndexMigration.js";
import { EVALUATION_MIGRATION } from "./evaluationMigration.js";
import { LIBRARY_USE_MIGRATION } from "./libraryUseMigration.js";
import { WAITING_MIGRATION } from "./waitingMigration.js";
import { ATTACHMENT_MIGRATION } from "./attachmentMigration.js";
import { THOUGHT_MIGRATION } from "./thoughtMigration.js";
import { RESULT_BACKFILL_MIGRATION } from "./resultBackfillMigration.js";

export type { Migration } from "./migration.js";

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "sessions, messages, assignments, swaps, votes, ratings, metrics, settings",
    sql: `
      CREATE TABLE sessions (
        id            TEXT PRIMARY KEY,
        title         TEXT NOT NULL,
        task          TEXT NOT NULL,
        protocol_kind TEXT NOT NULL,
        experiment    TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('running','paused','completed','aborted','failed')),
        created_at    INTEGER NOT NULL,
        updated_at    INTEGER NOT NULL
      );
      CREATE INDEX sessions_by_created ON sessions (created_at);

      CREATE TABLE messages (
        id            TEXT NOT NULL UNIQUE,
        session_id    TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        seq           INTEGER NOT NULL,
        from_role     TEXT NOT NULL,
        to_roles      TEXT NOT NULL,
        type          TEXT NOT NULL,
        content       TEXT NOT NULL,
        references_to TEXT NOT NULL,
        confidence    REAL,
        provenance    TEXT,
        usage         TEXT,
        created_at    INTEGER NOT NULL,
        round         INTEGER,
        repairs       TEXT NOT NULL,
        routing       TEXT,
        UNIQUE (session_id, seq)
      );

      CREATE TABLE slot_assignments (
        id            INTEGER PRIMARY KEY,
        session_id    TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        role          TEXT NOT NULL,
        model         TEXT NOT NULL,
        fingerprint   TEXT NOT NULL,
        system_prompt TEXT,
        from_seq      INTEGER NOT NULL,
        at            INTEGER NOT NULL
      );
      CREATE INDEX slot_assignments_by_session ON slot_assignments (session_id, from_seq);

      CREATE TABLE swap_events (
        id         INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        role       TEXT NOT NULL,
        outcome    TEXT NOT NULL,
        round      INTEGER,
        from_seq   INTEGER NOT NULL,
        at         INTEGER NOT NULL,
        event      TEXT NOT NULL
      );
      CREATE INDEX swap_events_by_session ON swap_events (session_id, from_seq);

      CREATE TABLE votes (
        id                INTEGER PRIMARY KEY,
        session_id        TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        voter             TEXT NOT NULL,
        target_message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        score             REAL,
        rank              INTEGER,
        rank_of           INTEGER,
        round             INTEGER,
        rationale         TEXT NOT NULL,
        message_id        TEXT REFERENCES messages (id) ON DELETE SET NULL,
        created_at        INTEGER NOT NULL
      );
      CREATE INDEX votes_by_session ON votes (session_id);
      CREATE INDEX votes_by_target ON votes (target_message_id);

      CREATE TABLE ratings (
        id         INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        score      REAL NOT NULL,
        source     TEXT NOT NULL,
        note       TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX ratings_by_session ON ratings (session_id);
      CREATE INDEX ratings_by_message ON ratings (message_id);

      CREATE TABLE metrics (
        id         INTEGER PRIMARY KEY,
        session_id TEXT REFERENCES sessions (id) ON DELETE CASCADE,
        name       TEXT NOT NULL,
        value      REAL NOT NULL,
        role       TEXT,
        at         INTEGER NOT NULL
      );
      CREATE INDEX metrics_by_session ON metrics (session_id, name, at);

      CREATE TABLE settings (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: "pairwise outcomes (arena) and vote abstentions",
    sql: `
      CREATE TABLE pairwise_outcomes (
        id                INTEGER PRIMARY KEY,
        model_a           TEXT NOT NULL,
        model_a_name      TEXT NOT NULL,
        model_b           TEXT NOT NULL,
        model_b_name      TEXT NOT NULL,
        winner            TEXT NOT NULL CHECK (winner IN ('a','b','tie','both-bad')),
        source            TEXT NOT NULL,
        judge             TEXT NOT NULL,
        position_a        INTEGER,
        position_b        INTEGER,
        anonymous         INTEGER NOT NULL,
        session_id        TEXT REFERENCES sessions (id) ON DELETE CASCADE,
        message_a         TEXT REFERENCES messages (id) ON DELETE SET NULL,
        message_b         TEXT REFERENCES messages (id) ON DELETE SET NULL,
        compare_id        TEXT,
        prompt            TEXT,
        answer_a          TEXT,
        answer_b          TEXT,
        created_at        INTEGER NOT NULL
      );
      CREATE INDEX pairwise_outcomes_by_source ON pairwise_outcomes (source);
      CREATE INDEX pairwise_outcomes_by_session ON pairwise_outcomes (session_id);

      CREATE TABLE vote_abstentions (
        id          INTEGER PRIMARY KEY,
        session_id  TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        voter       TEXT NOT NULL,
        round       INTEGER,
        kind        TEXT NOT NULL,
        reason      TEXT NOT NULL,
        message_id  TEXT REFERENCES messages (id) ON DELETE SET NULL,
        created_at  INTEGER NOT NULL
      );
      CREATE INDEX vote_abstentions_by_session ON vote_abstentions (session_id);
    `,
  },
  SEARCH_INDEX_MIGRATION,
  {
    version: 4,
    name: "session status 'interrupted' and the owning process",
    rebuildsTable: true,
    sql: "",
    run: (db) => rebuildSessions(db),
  },
  LINEAGE_MIGRATION,
  EVALUATION_MIGRATION,
  LIBRARY_USE_MIGRATION,
  ATTACHMENT_MIGRATION,
  THOUGHT_MIGRATION,
  WAITING_MIGRATION,
  RESULT_BACKFILL_MIGRATION,
];

/**
 * Recreates `sessions` with the `interrupted` status allowed and an `owner` column (host and pid of
 * the process running it), keeping every row and re-creating whatever indexes and triggers other
 * migrations put on the table.
 */
function rebuildSessions(db: Database): void {
  const extras = db
    .prepare<{ sql: string }>("SELECT sql FROM sqlite_master WHERE tbl_name = 'sessions' AND type IN ('index', 'trigger') AND sql IS NOT NULL")
    .all()
    .map((r) => r.sql);
  const columns = db.prepare<{ name: string }>("PRAGMA table_info(sessions)").all().map((c) => c.name);
  const extraColumns = columns.filter((c) => !["id", "title", "task", "protocol_kind", "experiment", "status", "created_at", "updated_at"].includes(c));
  const extraDefs = db
    .prepare<{ name: string; type: string; notnull: number; dflt_value: string | null }>("PRAGMA table_info(sessions)")
    .all()
    .filter((c) => extraColumns.includes(c.name))
    .map((c) => `, ${c.name} ${c.type}${c.notnull ? " NOT NULL" : ""}${c.dflt_value !== null ? ` DEFAULT ${c.dflt_value}` : ""}`)
    .join("");
  db.exec(`
    CREATE TABLE sessions_v4 (
      id            TEXT PRIMARY KEY,
      title         TEXT NOT NULL,
      task          TEXT NOT NULL,
      protocol_kind TEXT NOT NULL,
      experiment    TEXT NOT NULL,
      status        TEXT NOT NULL CHECK (status IN ('running','paused','completed','aborted','failed','interrupted')),
      created_at    INTEGER NOT NULL,
      updated_at    INTEGER NOT NULL,
      owner         TEXT${extraDefs}
    );
    INSERT INTO sessions_v4 (${columns.join(", ")}) SELECT ${columns.join(", ")} FROM sessions;
    DROP TABLE sessions;
    ALTER TABLE sessions_v4 RENAME TO sessions;
  `);
  for (const sql of extras) db.exec(sql);
}

/** The newest schema version this build knows. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

/** The version a database is at (0 for a fresh file). */
export function schemaVersion(db: Database): number {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
  );
  const row = db.prepare<{ v: number | null }>("SELECT max(version) AS v FROM schema_version").get();
  return row?.v ?? 0;
}

/**
 * Brings `db` up to {@link SCHEMA_VERSION}; returns the versions it applied (empty when current).
 * Refuses a database written by a newer build rather than guessing at tables it does not know.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const current = schemaVersion(db);
  const newest = Math.max(0, ...migrations.map((m) => m.version));
  if (current > newest) {
    throw new Error(`database ${db.name} is at schema version ${current}; this build knows up to ${newest}`);
  }
  const record = db.prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)");
  // Each version is recorded on its own, so one numbered below the newest applied (written on a
  // branch merged after a later version shipped) is still found missing and applied.
  const has = db.prepare<number>("SELECT count(*) FROM schema_version WHERE version = ?").pluck();
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (has.get([m.version])) continue;
    // The pragma is a no-op inside a transaction, so it is switched around it.
    if (m.rebuildsTable) db.pragma("foreign_keys = OFF");
    try {
      // IMMEDIATE takes the write lock up front, so two processes opening one fresh file cannot both migrate.
      db.transaction(() => {
        if (has.get([m.version])) return;
        if (m.sql) db.exec(m.sql);
        m.run?.(db);
        if (m.rebuildsTable) {
          const broken = db.prepare("PRAGMA foreign_key_check").all();
          if (broken.length > 0) throw new Error(`migration ${m.version} would break ${broken.length} foreign keys`);
        }
        record.run(m.version, m.name, Date.now());
        applied.push(m.version);
      }).immediate();
    } finally {
      if (m.rebuildsTable) db.pragma("foreign_keys = ON");
    }
  }
  return applied;
}
