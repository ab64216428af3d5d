/**
 * Each session's result message in the session store's database (`session_results`, migration 7):
 * which message the session ended with as its answer and the rule that picked it. Written when a
 * session completes (again when a resumed or forked one completes: the last word counts).
 */
import { SessionResult } from "../../../shared/evaluation.js";
import type { SessionStore } from "./sessionStore.js";
import type { Statement } from "./sqlite.js";

interface Row {
  session_id: string;
  message_id: string | null;
  seq: number | null;
  basis: string;
  created_at: number;
}

export class SessionResultStore {
  private readonly upsert: Statement;
  private readonly byId: Statement<Row>;

  constructor(store: Pick<SessionStore, "db">) {
    this.upsert = store.db.prepare(`
      INSERT INTO session_results (session_id, message_id, basis, created_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (session_id) DO UPDATE SET message_id = excluded.message_id, basis = excluded.basis, created_at = excluded.created_at`);
    this.byId = store.db.prepare(`
      SELECT r.session_id, r.message_id, m.seq, r.basis, r.created_at
      FROM session_results r LEFT JOIN messages m ON m.id = r.message_id WHERE r.session_id = ?`);
  }

  /** Records (or replaces) `sessionId`'s result: `messageId` null when the protocol produced none. */
  record(sessionId: string, messageId: string | null, basis: string): SessionResult {
    this.upsert.run([sessionId, messageId, basis, Date.now()]);
    const saved = this.get(sessionId);
    if (!saved) throw new Error(`the result of session ${sessionId} was not stored`);
    return saved;
  }

  /** The result of `sessionId`, or null when none was recorded (still running, ended early, or older than results). */
  get(sessionId: string): SessionResult | null {
    const r = this.byId.get([sessionId]);
    if (!r) return null;
    return SessionResult.parse({ sessionId: r.session_id, messageId: r.message_id, seq: r.seq, basis: r.basis, createdAt: r.created_at });
  }
}

const cache = new WeakMap<object, SessionResultStore>();

/** The result repository over `store`'s database (one per store, statements prepared once). */
export function sessionResultStore(store: Pick<SessionStore, "db">): SessionResultStore {
  let s = cache.get(store);
  if (!s) cache.set(store, (s = new SessionResultStore(store)));
  return s;
}
