/**
 * What the host needs from the evaluation side of the engine: the leaderboard, recording a human's
 * compare verdict, and rating messages. One object over the session store, so every transport (RPC,
 * CLI) calls the same functions.
 */
import type { Leaderboard, LeaderboardSource } from "../../../../shared/arena.js";
import type { MessageRating, RateMessageRequest } from "../../../../shared/ratings.js";
import { rateMessage, sessionRatings } from "./rateMessage.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import { recordCompareVote, type CompareVoteRecord } from "./compareVote.js";
import { computeLeaderboard } from "./leaderboard.js";
import { modelFileNames, withFileNames } from "./modelFileNames.js";

export interface ArenaService {
  leaderboard(source: LeaderboardSource): Promise<Leaderboard>;
  /** Records a compare verdict as pairwise outcomes (the compare runner calls it when a vote comes in). */
  recordCompareVote(vote: CompareVoteRecord): Promise<void>;
  rate(request: RateMessageRequest): Promise<MessageRating>;
  ratings(sessionId: string): Promise<MessageRating[]>;
}

/** The service over `store`. */
export function arenaService(store: SessionStore): ArenaService {
  return {
    leaderboard: async (source) => withFileNames(computeLeaderboard(store.pairwise.rankingRows(source), { source }), modelFileNames(store)),
    recordCompareVote: async (vote) => void recordCompareVote(store, vote),
    rate: async (request) => rateMessage(store, request),
    ratings: async (sessionId) => sessionRatings(store, sessionId),
  };
}
