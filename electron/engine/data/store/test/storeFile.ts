/**
 * Test support: a second connection to a store's file, for the tests that check (or set up) rows
 * the store's API does not reach: the store keeps its own handle private. Opening the file again is
 * what another process would do, so these reads see only committed data. Never shipped.
 */
import type { SessionStore } from "../sessionStore.js";
import { openDatabase, type Database } from "../sqlite.js";

export interface StoreFileOptions {
  /** Open read-only (default false: some tests change rows to set a case up). */
  readonly?: boolean;
}

/** Opens another connection to `store`'s file; the caller closes it (or leaves it to the temp dir's removal). */
export function storeFile(store: Pick<SessionStore, "file">, options: StoreFileOptions = {}): Database {
  return openDatabase(store.file, { readonly: options.readonly ?? false, fileMustExist: true, timeout: 5000 });
}

/** Runs `fn` on a fresh connection to `store`'s file and closes it. */
export function withStoreFile<T>(store: Pick<SessionStore, "file">, fn: (db: Database) => T, options: StoreFileOptions = {}): T {
  const db = storeFile(store, options);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
