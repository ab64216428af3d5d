/**
 * The state stage's persistent cache (schema version 3, table `state_cache`): states keyed by what
 * they depend on (StateStage.ts), shared by every session in the database, so a rerun or a
 * repeated opening reuses the states an earlier session paid for. Each entry keeps the model time
 * it cost, which is what a hit saves, and how often it was used. The table is bounded: past
 * `maxEntries`, the least recently used entries go.
 */
import type { CachedState, PersistentStateCache } from "../../conversation/session/StateStage.js";
import type { Database, Statement } from "./sqlite.js";

interface Row {
  state: string;
  produced_ms: number;
}

export class StateCacheTable implements PersistentStateCache {
  private readonly select: Statement<Row>;
  private readonly touch: Statement;
  private readonly insert: Statement;
  private readonly trim: Statement;

  constructor(
    db: Database,
    private readonly maxEntries = 10_000,
  ) {
    this.select = db.prepare("SELECT state, produced_ms FROM state_cache WHERE key = ?");
    this.touch = db.prepare("UPDATE state_cache SET hits = hits + 1, used_at = ? WHERE key = ?");
    this.insert = db.prepare(`
      INSERT INTO state_cache (key, role, state, produced_ms, created_at, used_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET state = excluded.state, produced_ms = excluded.produced_ms, used_at = excluded.used_at`);
    this.trim = db.prepare(`
      DELETE FROM state_cache WHERE key IN (
        SELECT key FROM state_cache ORDER BY used_at DESC, rowid DESC LIMIT -1 OFFSET ?)`);
  }

  get(key: string): CachedState | undefined {
    const row = this.select.get([key]);
    if (!row) return undefined;
    let state: unknown;
    try {
      state = JSON.parse(row.state);
    } catch {
      return undefined;
    }
    this.touch.run([Date.now(), key]);
    return { state, producedMs: row.produced_ms };
  }

  put(key: string, role: string, entry: CachedState): void {
    const now = Date.now();
    this.insert.run([key, role, JSON.stringify(entry.state), entry.producedMs, now, now]);
    this.trim.run([this.maxEntries]);
  }
}
