/**
 * A committee member's counted ballot as arena outcomes (source `model`): of every two candidates it
 * ranked, the higher ranked beat the lower. Model a is the candidate shown first. The judge is the
 * voter with its model. Candidates without a model behind them and pairs of one model file are left
 * out: they say nothing about one model against another.
 */
import type { PairwiseOutcomeInput } from "../../../../shared/arena.js";
import type { Message, VoteInput } from "../../../../shared/conversation.js";
import type { ModelIdentity } from "../../../../shared/slots.js";
import type { Ballot } from "../../conversation/protocols/voting.js";
import { votesFromRanking } from "../../conversation/protocols/voting.js";
import type { SessionStore } from "../../data/store/sessionStore.js";

export interface CountedBallot {
  sessionId: string;
  round: number;
  /** The ballot as first shown (its order gives the positions). */
  ballot: Ballot;
  /** Best first. */
  ranking: readonly Message[];
  /** The voter's (last) answer: its text is the rationale, its id the ballot message. */
  answer: Message;
  voterModel: ModelIdentity | null;
  blind: boolean;
}

/** Pairwise outcomes of a counted ballot. */
export function ballotOutcomes(b: CountedBallot): PairwiseOutcomeInput[] {
  const place = new Map(b.ranking.map((m, i) => [m.id, i]));
  const shown = b.ballot.candidates.map((c, position) => ({ m: c.message, position }));
  const judge = b.voterModel ? `${b.ballot.voter} (${b.voterModel.name})` : b.ballot.voter;
  const out: PairwiseOutcomeInput[] = [];
  for (let i = 0; i < shown.length; i++) {
    for (let j = i + 1; j < shown.length; j++) {
      const a = shown[i]!;
      const c = shown[j]!;
      const pa = a.m.provenance;
      const pc = c.m.provenance;
      if (!pa || !pc || pa.fingerprint === pc.fingerprint) continue;
      const ra = place.get(a.m.id);
      const rc = place.get(c.m.id);
      if (ra === undefined || rc === undefined) continue;
      out.push({
        a: { fingerprint: pa.fingerprint, name: pa.modelName },
        b: { fingerprint: pc.fingerprint, name: pc.modelName },
        winner: ra < rc ? "a" : "b",
        source: "model",
        judge,
        positionA: a.position,
        positionB: c.position,
        anonymous: b.blind,
        sessionId: b.sessionId,
        messageA: a.m.id,
        messageB: c.m.id,
      });
    }
  }
  return out;
}

/** Records a counted ballot: its votes (votes table) and its pairwise outcomes (arena). Returns the votes. */
export function recordCountedBallot(store: SessionStore, b: CountedBallot): VoteInput[] {
  const votes = votesFromRanking(b.sessionId, b.ballot.voter, b.ranking, b.round, b.answer.content, b.answer.id);
  for (const v of votes) store.recordVote(v);
  store.pairwise.recordMany(ballotOutcomes(b));
  return votes;
}
