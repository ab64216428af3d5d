/**
 * Quality ratings (0..1, the store's scale; people rate 1–5 stars, stored as (stars − 1) / 4 — see
 * shared/ratings.ts) per message, from what the session recorded about it:
 *  1. explicit ratings (a researcher's or a tool's) win outright: their mean;
 *  2. otherwise votes: the mean vote value, blended 80/20 with the speaker's own confidence when it
 *     gave one (peers are better judges than the speaker, but confidence breaks ties);
 *  3. otherwise the confidence alone; null when there is nothing to go on.
 * A vote's value is its score, or for a rank r among n ranked candidates (n - r) / (n - 1), with n
 * taken from `rankOf` or else from the largest rank that voter gave in that round.
 */
import type { Message, Rating, Vote } from "../../../../shared/conversation.js";

export interface MessageQuality {
  /** 0..1, or null when the message has no ratings, votes or confidence. */
  rating: number | null;
  /** Whether peers or people judged it (votes or ratings), as opposed to self-reported confidence only. */
  judged: boolean;
  votes: number;
  /** Mean vote value, or null without votes. */
  voteScore: number | null;
  /** Explicit ratings received. */
  ratings: number;
}

/** Vote values per target message. */
export function voteValues(votes: readonly Vote[]): Map<string, number[]> {
  const maxRank = new Map<string, number>();
  for (const v of votes) {
    if (v.rank === null) continue;
    const key = `${v.voter}\u0000${v.round ?? ""}`;
    maxRank.set(key, Math.max(maxRank.get(key) ?? 0, v.rank));
  }
  const values = new Map<string, number[]>();
  for (const v of votes) {
    let value = v.score;
    if (value === null && v.rank !== null) {
      const n = v.rankOf ?? maxRank.get(`${v.voter}\u0000${v.round ?? ""}`) ?? v.rank;
      value = n <= 1 ? 1 : (n - v.rank) / (n - 1);
    }
    if (value === null) continue;
    const list = values.get(v.targetMessageId);
    if (list) list.push(value);
    else values.set(v.targetMessageId, [value]);
  }
  return values;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Rates messages of one session; build once per export, then call `of` per message. */
export class QualityIndex {
  private readonly votes: Map<string, number[]>;
  private readonly ratings = new Map<string, number[]>();

  constructor(votes: readonly Vote[], ratings: readonly Rating[]) {
    this.votes = voteValues(votes);
    for (const r of ratings) {
      const list = this.ratings.get(r.messageId);
      if (list) list.push(r.score);
      else this.ratings.set(r.messageId, [r.score]);
    }
  }

  of(message: Pick<Message, "id" | "confidence">): MessageQuality {
    const votes = this.votes.get(message.id);
    const voteScore = votes ? mean(votes) : null;
    const ratings = this.ratings.get(message.id);
    let rating: number | null;
    if (ratings) rating = mean(ratings);
    else if (voteScore !== null) rating = message.confidence === null ? voteScore : 0.8 * voteScore + 0.2 * message.confidence;
    else rating = message.confidence;
    return { rating, judged: ratings !== undefined || votes !== undefined, votes: votes?.length ?? 0, voteScore, ratings: ratings?.length ?? 0 };
  }
}
