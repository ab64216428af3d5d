/**
 * Which message a finished session ended with as its answer — what an evaluation checks:
 *  - roundtable: the chair's synthesis;
 *  - debate: the judge's verdict, or the vote winner among the debaters' final arguments when there
 *    is no judge;
 *  - pipeline: the last step's message;
 *  - parallel: the merge;
 *  - validate: the last answer, revision or best effort (the validator's own checks are not answers);
 *  - route: the routed role's answer;
 *  - compare: the vote winner.
 * A vote winner is the candidate with the most points over the counted ballots; a tie goes to the
 * candidate earlier in role order (as the tally lists them) and the basis says so. When no ballot
 * counted (every voter abstained), there is no winner and the session has no result.
 */
import type { Message, ProtocolKind, Vote } from "../../../../shared/conversation.js";
import type { SessionResult } from "../../../../shared/evaluation.js";
import { tally } from "../protocols/voting.js";
import type { SessionStore } from "../../data/store/sessionStore.js";

/** A message a protocol step produced, under that step's phase name (the runner's phase log). */
export interface PhaseEntry {
  phase: string;
  message: Message;
}

interface ResultRule {
  /** Phases whose latest message is the result, when any ran. */
  speak: readonly string[];
  /** Otherwise: the vote winner among each role's latest message of these phases. */
  vote?: readonly string[];
}

const RULES: Record<ProtocolKind, ResultRule> = {
  roundtable: { speak: ["synthesis"] },
  debate: { speak: ["verdict"], vote: ["argue"] },
  pipeline: { speak: ["generate", "enrich", "validate"] },
  parallel: { speak: ["merge"] },
  validate: { speak: ["produce", "correct", "best-effort"] },
  route: { speak: ["answer"] },
  compare: { speak: [], vote: ["answer"] },
};

/** The picked message (null when there is none) and the rule that picked it. */
export interface PickedResult {
  message: Message | null;
  basis: string;
}

/** The result of a session of `kind` from its phase log and its stored votes. */
export function pickResult(kind: ProtocolKind, log: readonly PhaseEntry[], votes: readonly Vote[]): PickedResult {
  const rule = RULES[kind];
  const spoken = log.findLast((e) => rule.speak.includes(e.phase));
  if (spoken) return { message: spoken.message, basis: `${spoken.phase} by ${spoken.message.from}` };
  if (!rule.vote) return { message: null, basis: `no ${rule.speak.join(" or ")} step ran` };
  const latest = new Map<string, Message>();
  for (const e of log) if (rule.vote.includes(e.phase)) latest.set(e.message.from, e.message);
  const candidates = [...latest.values()];
  const ids = new Set(candidates.map((c) => c.id));
  const counted = votes.filter((v) => ids.has(v.targetMessageId));
  if (candidates.length === 0) return { message: null, basis: "no candidate to vote on" };
  if (counted.length === 0) return { message: null, basis: "no vote winner: no ballot counted" };
  const [first, second] = tally(candidates, counted);
  const ballots = new Set(counted.map((v) => `${v.voter}\u0000${v.round ?? ""}`)).size;
  const points = first!.points.toFixed(2);
  const tied = second !== undefined && second.points === first!.points;
  return {
    message: first!.message,
    basis: tied
      ? `vote tie at ${points} points over ${ballots} ballots, broken by role order (${first!.message.from} before ${second.message.from})`
      : `vote winner with ${points} points over ${ballots} ballots`,
  };
}

/** Picks and stores `sessionId`'s result; returns it. */
export function recordSessionResult(store: SessionStore, sessionId: string, kind: ProtocolKind, log: readonly PhaseEntry[]): SessionResult {
  const picked = pickResult(kind, log, store.listVotes(sessionId));
  return store.results.record(sessionId, picked.message?.id ?? null, picked.basis);
}
