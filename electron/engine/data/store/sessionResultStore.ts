/**
 * Each session's result message in the session store's database (`session_results`, migration 7):
 * which message the session ended with as its answer and the rule that picked it. Written when a
 * session completes (again when a resumed or forked one completes: the last word counts).
 *
 * Everything that needs "the result" (evaluations, the solution library, member advice, leave-one-out
 * comparisons, code reports) reads it here. A session with no marker (stored before results were
 * recorded, or one that never completed) falls back to what the result was before the marker: the
 * last message a member spoke that is not a ballot, or, for a side-by-side compare with more than
 * one answer, the strict vote winner.
 */
import type { Message } from "../../../../shared/conversation.js";
import { SessionResult } from "../../../../shared/evaluation.js";
import { MESSAGE_COLUMNS, messageFromRow, type MessageRow } from "./rows.js";
import type { Database, Statement } from "./sqlite.js";
import type { VoteStore } from "./voteStore.js";

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
  private readonly messageById: Statement<MessageRow>;
  private readonly protocolOf: Statement<string>;
  private readonly lastAnswers: Statement<string>;

  constructor(
    db: Database,
    private readonly votes: VoteStore,
  ) {
    this.messageById = db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`);
    this.protocolOf = db.prepare<string>("SELECT protocol_kind FROM sessions WHERE id = ?").pluck();
    this.lastAnswers = db
      .prepare<string>("SELECT id FROM messages WHERE session_id = ? AND from_role NOT IN ('user', 'system') AND type <> 'vote' ORDER BY seq DESC LIMIT 2")
      .pluck();
    this.upsert = db.prepare(`
      INSERT INTO session_results (session_id, message_id, basis, created_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (session_id) DO UPDATE SET message_id = excluded.message_id, basis = excluded.basis, created_at = excluded.created_at`);
    this.byId = db.prepare(`
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

  /**
   * The message `sessionId` ended with as its answer: the stored marker's message, or (no marker)
   * the rule from before the marker (see the module note). Null when it has none.
   */
  message(sessionId: string): Message | null {
    const stored = this.get(sessionId);
    if (stored) return stored.messageId === null ? null : this.messageOf(stored.messageId);
    const kind = this.protocolOf.get([sessionId]);
    if (kind === undefined) return null;
    const answers = this.lastAnswers.all([sessionId]);
    if (kind === "compare" && answers.length > 1) {
      const win = this.votes.winner(sessionId);
      return win ? this.messageOf(win.messageId) : null;
    }
    return answers[0] === undefined ? null : this.messageOf(answers[0]);
  }

  private messageOf(messageId: string): Message | null {
    const row = this.messageById.get([messageId]);
    return row ? messageFromRow(row) : null;
  }
}
