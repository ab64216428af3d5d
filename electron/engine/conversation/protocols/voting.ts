/**
 * Ballots and tallies. Two rules from published work on model judges: a voter never sees (or
 * ranks) its own message — self-votes are excluded, not just discouraged — and candidates appear
 * in a seeded shuffled order, so position bias does not favour whoever spoke first, yet a rerun
 * with the same seed shows the same order.
 */
import type { Message, VoteInput } from "../../../../shared/conversation.js";
import { seededShuffle } from "./seededRandom.js";

export interface Ballot {
  voter: string;
  /** In the order shown; labels A, B, C… */
  candidates: { label: string; message: Message }[];
  /** The text the voter is shown. */
  text: string;
}

/**
 * The ballot of `voter` over `candidates` (one message per role), self excluded, shuffled by
 * `shuffleKey`. Null when nothing is left to rank.
 */
export function ballotFor(voter: string, candidates: readonly Message[], shuffleKey: string, blind: boolean, instruction: string): Ballot | null {
  const others = candidates.filter((m) => m.from !== voter);
  if (others.length === 0) return null;
  return ballotInOrder(voter, seededShuffle(others, shuffleKey), blind, instruction);
}

/**
 * The same ballot with the candidates in reverse order (relabelled A, B, C… from the top), for the
 * both-orders option: a judge that keeps its verdict when the positions swap is judging the answers,
 * not their places.
 */
export function mirroredBallot(ballot: Ballot, blind: boolean, instruction: string): Ballot {
  return ballotInOrder(ballot.voter, [...ballot.candidates].reverse().map((c) => c.message), blind, instruction);
}

function ballotInOrder(voter: string, ordered: readonly Message[], blind: boolean, instruction: string): Ballot {
  const order = ordered.map((message, i) => ({ label: String.fromCharCode(65 + i), message }));
  const lines = order.map(({ label, message }) => {
    const text = message.content.replace(/\s+/g, " ").trim() || "(empty)";
    return blind ? `${label}: ${text}` : `${label} (${message.from}): ${text}`;
  });
  return { voter, candidates: order, text: `${instruction} Put the labels in referencesTo, best first.\n${lines.join("\n")}` };
}

/** The votes a ranking (candidate message ids, best first) records: rank i of n scores (n-1-i)/(n-1). */
export function votesFromRanking(
  sessionId: string,
  voter: string,
  ranking: readonly Message[],
  round: number,
  rationale: string,
  messageId: string,
): VoteInput[] {
  const n = ranking.length;
  return ranking
    .filter((m) => m.from !== voter)
    .map((m, i) => ({
      sessionId,
      voter,
      targetMessageId: m.id,
      rank: i + 1,
      rankOf: n,
      score: n > 1 ? (n - 1 - i) / (n - 1) : 1,
      round,
      rationale,
      messageId,
    }));
}

export interface TallyRow {
  message: Message;
  points: number;
  ballots: number;
}

/** Sums scores per candidate; best first, ties in candidate order. */
export function tally(candidates: readonly Message[], votes: readonly Pick<VoteInput, "targetMessageId" | "score">[]): TallyRow[] {
  const rows = candidates.map((message) => ({ message, points: 0, ballots: 0 }));
  for (const v of votes) {
    const row = rows.find((r) => r.message.id === v.targetMessageId);
    if (!row) continue;
    row.points += v.score ?? 0;
    row.ballots += 1;
  }
  return rows.map((r, i) => ({ r, i })).sort((a, b) => b.r.points - a.r.points || a.i - b.i).map(({ r }) => r);
}
