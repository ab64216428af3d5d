/**
 * Migration 18: the session status `waiting` (the session waits for the researcher). SQLite cannot
 * alter a CHECK constraint, so `sessions` is rebuilt from its own stored definition with the one
 * status added, keeping every row, column, index and trigger.
 */
import type { Migration } from "./migration.js";
import type { Database } from "./sqlite.js";

export const WAITING_MIGRATION: Migration = {
  version: 18,
  name: "session status 'waiting' (a session waits for the researcher)",
  rebuildsTable: true,
  sql: "",
  run: (db) => addWaitingStatus(db),
};

function addWaitingStatus(db: Database): void {
  const table = db.prepare<{ sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'sessions'").get();
  if (!table) throw new Error("no sessions table to migrate");
  if (table.sql.includes("'waiting'")) return;
  const withWaiting = table.sql.replace(/'interrupted'\s*\)/, "'interrupted','waiting')");
  if (withWaiting === table.sql) throw new Error("the sessions table has no status list to extend");
  const extras = db
    .prepare<{ sql: string }>("SELECT sql FROM sqlite_master WHERE tbl_name = 'sessions' AND type IN ('index', 'trigger') AND sql IS NOT NULL")
    .all()
    .map((r) => r.sql);
  const columns = db.prepare<{ name: string }>("PRAGMA table_info(sessions)").all().map((c) => c.name).join(", ");
  db.exec(withWaiting.replace(/^CREATE TABLE\s+("?sessions"?)/i, "CREATE TABLE sessions_waiting"));
  db.exec(`INSERT INTO sessions_waiting (${columns}) SELECT ${columns} FROM sessions; DROP TABLE sessions; ALTER TABLE sessions_waiting RENAME TO sessions;`);
  for (const sql of extras) db.exec(sql);
}
