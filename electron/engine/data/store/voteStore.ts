/**
 * Tallies over the `votes` table beyond the plain list the session store gives: a session's vote
 * winner, the message with the most points over every counted ballot (abstentions were never
 * recorded as votes, and a member's vote for its own message does not count), when one leads
 * strictly. A tie for first is no winner: the vote did not decide.
 */
import type { Database, Statement } from "./sqlite.js";

/** A session's strict vote leader and the margin it led by. */
export interface VoteWin {
  messageId: string;
  points: number;
  ballots: number;
  /** The runner-up's points (0 when it had no rival). */
  runnerUp: number;
}

interface Row {
  target: string;
  points: number;
  ballots: number;
}

export class VoteStore {
  private readonly leaders: Statement<Row>;

  constructor(db: Database) {
    this.leaders = db.prepare<Row>(`
      SELECT v.target_message_id AS target, sum(coalesce(v.score, 0)) AS points, count(*) AS ballots
      FROM votes v JOIN messages m ON m.id = v.target_message_id
      WHERE v.session_id = ? AND v.voter <> m.from_role
      GROUP BY v.target_message_id ORDER BY points DESC LIMIT 2`);
  }

  /** The strict leader of `sessionId`'s votes, or null (no counted ballot, or a tie for first). */
  winner(sessionId: string): VoteWin | null {
    const [first, second] = this.leaders.all([sessionId]);
    if (!first || (second && second.points >= first.points)) return null;
    return { messageId: first.target, points: first.points, ballots: first.ballots, runnerUp: second?.points ?? 0 };
  }
}
