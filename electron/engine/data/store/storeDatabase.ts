/**
 * The store's SQLite file opened the way the store needs it: WAL with `synchronous=NORMAL` (see
 * sessionStore.ts for why that survives `kill -9`), foreign keys on, and the schema migrated.
 */
import { migrate } from "./migrations.js";
import { openDatabase, type Database } from "./sqlite.js";

/** Opens, configures and migrates `file`; `background` when a worker thread checkpoints the WAL. */
export function openStoreDatabase(file: string, background: boolean): Database {
  const db = openDatabase(file, { timeout: 5000 });
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    // With the worker checkpointing, the in-commit checkpoint is only a safety net (~40 MiB of WAL).
    db.pragma(`wal_autocheckpoint = ${background ? 10000 : 1000}`);
    db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
