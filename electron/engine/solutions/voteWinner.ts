/**
 * A session's vote winner: the message with the most points over every counted ballot of the
 * session (abstentions were never recorded as votes), when one leads strictly. A tie for first is
 * no winner: the vote did not decide.
 */
import type { SessionStore } from "../store/sessionStore.js";

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

/** The strict leader of `sessionId`'s votes, or null (no counted ballot, or a tie for first). */
export function voteWinner(store: Pick<SessionStore, "db">, sessionId: string): VoteWin | null {
  const rows = store.db
    .prepare<Row>(
      `SELECT v.target_message_id AS target, sum(coalesce(v.score, 0)) AS points, count(*) AS ballots
       FROM votes v JOIN messages m ON m.id = v.target_message_id
       WHERE v.session_id = ? AND v.voter <> m.from_role
       GROUP BY v.target_message_id ORDER BY points DESC LIMIT 2`,
    )
    .all([sessionId]);
  const [first, second] = rows;
  if (!first || (second && second.points >= first.points)) return null;
  return { messageId: first.target, points: first.points, ballots: first.ballots, runnerUp: second?.points ?? 0 };
}
