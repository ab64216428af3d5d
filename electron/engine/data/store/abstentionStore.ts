/**
 * Ballots that did not count, in the session store's database: a voter abstained (its ballot was
 * unfilled or unparsable), its two ballots over both presentation orders disagreed, or it was excluded
 * for sharing a model family with a contestant. Kept so a tally can say who did not vote and why.
 */
import { z } from "zod";
import { RoleName } from "../../../../shared/slots.js";
import type { Database, Statement } from "./sqlite.js";

export const AbstentionKind = z.enum(["unfilled", "unparsable", "orders-disagree", "same-family"]);
export type AbstentionKind = z.infer<typeof AbstentionKind>;

export const Abstention = z.object({
  sessionId: z.string().min(1),
  voter: RoleName,
  round: z.number().int().nonnegative().nullable().default(null),
  kind: AbstentionKind,
  reason: z.string().min(1),
  /** The ballot message, when the voter answered at all. */
  messageId: z.string().min(1).nullable().default(null),
  createdAt: z.number().optional(),
});
export type Abstention = z.output<typeof Abstention> & { createdAt: number };
export type AbstentionInput = z.input<typeof Abstention>;

interface Row {
  session_id: string;
  voter: string;
  round: number | null;
  kind: string;
  reason: string;
  message_id: string | null;
  created_at: number;
}

export class AbstentionStore {
  private readonly insert: Statement;
  private readonly bySession: Statement<Row>;

  constructor(db: Database) {
    this.insert = db.prepare("INSERT INTO vote_abstentions (session_id, voter, round, kind, reason, message_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    this.bySession = db.prepare("SELECT session_id, voter, round, kind, reason, message_id, created_at FROM vote_abstentions WHERE session_id = ? ORDER BY id");
  }

  record(input: AbstentionInput): Abstention {
    const a = Abstention.parse(input);
    const createdAt = a.createdAt ?? Date.now();
    this.insert.run([a.sessionId, a.voter, a.round, a.kind, a.reason, a.messageId, createdAt]);
    return { ...a, createdAt };
  }

  list(sessionId: string): Abstention[] {
    return this.bySession.all([sessionId]).map((r) => ({
      sessionId: r.session_id,
      voter: r.voter,
      round: r.round,
      kind: r.kind as AbstentionKind,
      reason: r.reason,
      messageId: r.message_id,
      createdAt: r.created_at,
    }));
  }
}
