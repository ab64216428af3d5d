/**
 * Whether an answered ballot is a vote. A voter's ranking counts when it names every candidate, or
 * every candidate but one (the last place is then fixed by elimination, not guessed). Anything less is
 * an abstention, recorded as such: `unparsable` when the answer could not be read as a ballot at all,
 * `unfilled` when it was read but ranks too few candidates (typically a ballot cut off by the token
 * limit). Missing places are never filled in "in the order shown": that would count the presentation
 * order as the voter's judgement.
 *
 * With both presentation orders, the voter answers the ballot twice, the second time with the
 * candidates reversed, and the vote counts only when both rankings agree exactly; otherwise it is an
 * `orders-disagree` abstention (the judge followed positions rather than answers).
 */
import type { Message } from "../../../../shared/conversation.js";
import type { AbstentionKind } from "../../data/store/abstentionStore.js";
import type { Ballot } from "./voting.js";

export type BallotReading =
  | { counted: true; ranking: Message[] }
  | { counted: false; kind: AbstentionKind; reason: string };

/** The repairs typedTurn.ts records when a model's output could not be read as JSON. */
const UNREADABLE = /not (valid )?JSON/;

/** Reads one answer (its cited message ids, best first, and its repairs) to `ballot`. */
export function readBallot(ballot: Ballot, answer: Pick<Message, "referencesTo" | "repairs">): BallotReading {
  const byId = new Map(ballot.candidates.map((c) => [c.message.id, c.message]));
  const ranked: Message[] = [];
  for (const id of answer.referencesTo) {
    const m = byId.get(id);
    if (m && !ranked.includes(m)) ranked.push(m);
  }
  const n = ballot.candidates.length;
  if (ranked.length >= Math.max(1, n - 1)) {
    const rest = ballot.candidates.map((c) => c.message).filter((m) => !ranked.includes(m));
    return { counted: true, ranking: [...ranked, ...rest] };
  }
  const named = ranked.length === 0 ? "no candidate" : `only ${ranked.length} of ${n} candidates`;
  if (ranked.length === 0 && answer.repairs.some((r) => UNREADABLE.test(r))) {
    return { counted: false, kind: "unparsable", reason: `the ballot could not be read (${named} named)` };
  }
  return { counted: false, kind: "unfilled", reason: `the ballot named ${named}; a vote needs a full ranking` };
}

/** Reads the answers to `ballots` (one per presentation order); counted only when every one counts and all agree. */
export function readBallots(ballots: readonly Ballot[], answers: readonly Pick<Message, "referencesTo" | "repairs">[]): BallotReading {
  if (ballots.length === 0 || ballots.length !== answers.length) throw new Error("one answer per ballot");
  const readings = ballots.map((b, i) => readBallot(b, answers[i]!));
  const failed = readings.find((r) => !r.counted);
  if (failed) {
    return ballots.length === 1 || failed.counted ? failed : { ...failed, reason: `${failed.reason} (in one of the two orders)` };
  }
  const rankings = readings.map((r) => (r.counted ? r.ranking.map((m) => m.id).join(",") : ""));
  if (rankings.some((r) => r !== rankings[0])) {
    return { counted: false, kind: "orders-disagree", reason: "the rankings differed when the candidates were shown in reverse order" };
  }
  return readings[0]!;
}
