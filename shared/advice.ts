/**
 * Member contribution and pruning advice for a committee: over one session or a series of sessions
 * of the same committee, each member's figures — citations, votes received, abstentions, correct
 * answers, latency per token, duplication of another member, and (opt-in) how much leaving it out
 * changes the result — and a recommendation, KEEP, PRUNE or REPLACE, with the reasons and the
 * thresholds behind it. Advice only: nothing is ever pruned automatically. Declared once here; the
 * engine computes it (electron/engine/evaluation/advice/), `conclave advise`, the RPC and the UI carry it.
 */
import { z } from "zod";

/** `advice.get`: a session id, a series id (`series-…`, see `Advice.seriesId`) or an evaluation run id, and leave-one-out sample size (0: none). */
export const AdviceRequest = z.object({
  target: z.string().trim().min(1, "name a session, a series or an evaluation run"),
  leaveOneOut: z.number().int().min(0).max(20).default(0),
});
export type AdviceRequest = z.infer<typeof AdviceRequest>;
export type AdviceRequestInput = z.input<typeof AdviceRequest>;

export const Recommendation = z.enum(["KEEP", "PRUNE", "REPLACE"]);
export type Recommendation = z.infer<typeof Recommendation>;

/** What leaving one member out did over the sampled sessions. */
export const LeaveOneOutFigures = z.object({
  /** Sessions re-run without the member. */
  runs: z.number().int().nonnegative(),
  /** Mean similarity (0..1) of the result without the member to the result with it: 1 = unchanged. */
  resultSimilarity: z.number().min(0).max(1).nullable(),
  /** Checked results correct with / without the member (null without a checker and references). */
  correctWith: z.number().int().nonnegative().nullable(),
  correctWithout: z.number().int().nonnegative().nullable(),
  /** The sessions run without the member. */
  sessionIds: z.array(z.string()),
});
export type LeaveOneOutFigures = z.infer<typeof LeaveOneOutFigures>;

export const MemberFigures = z.object({
  member: z.string(),
  /** Model names the member sat on (a swap can change it). */
  models: z.array(z.string()),
  /** Sessions it spoke in. */
  sessions: z.number().int().nonnegative(),
  messages: z.number().int().nonnegative(),
  /** References to its messages from other members' messages. */
  cited: z.number().int().nonnegative(),
  /** Cited per message of its own. */
  citedPerMessage: z.number().nonnegative(),
  /** Counted ballots ranking its messages, from other members only. */
  votesReceived: z.number().int().nonnegative(),
  /** Sum of the 0..1 scores of those votes. */
  votePoints: z.number().nonnegative(),
  /** First places among those votes. */
  firstPlaces: z.number().int().nonnegative(),
  /** Ballots it was asked to fill, and how many of them did not count (unfilled, unparsable, orders disagree, same family). */
  ballots: z.number().int().nonnegative(),
  abstentions: z.number().int().nonnegative(),
  abstentionRate: z.number().min(0).max(1).nullable(),
  /** Its messages a checker judged (arena outcomes with source `checker`), and how many were correct. */
  checked: z.number().int().nonnegative(),
  correct: z.number().int().nonnegative(),
  /** Mean generation time per completion token (time to first token included), ms; null without timings. */
  msPerToken: z.number().nonnegative().nullable(),
  completionTokens: z.number().int().nonnegative(),
  /** Its messages that repeat an earlier message of another member (similarity ≥ the duplicate threshold). */
  duplicates: z.number().int().nonnegative(),
  duplicateRate: z.number().min(0).max(1).nullable(),
  /** The member it repeats most, when any. */
  duplicateOf: z.string().nullable(),
  leaveOneOut: LeaveOneOutFigures.nullable(),
});
export type MemberFigures = z.infer<typeof MemberFigures>;

export const MemberAdvice = z.object({
  figures: MemberFigures,
  recommendation: Recommendation,
  /** The reasons, each naming the figure and the threshold it crossed (or "no threshold crossed"). */
  reasons: z.array(z.string()),
});
export type MemberAdvice = z.infer<typeof MemberAdvice>;

/** The thresholds the recommendations use, reported with every advice. */
export const AdviceThresholds = z.object({
  abstentionRate: z.number(),
  duplicateSimilarity: z.number(),
  duplicateRate: z.number(),
  rarelyUsedShare: z.number(),
  rarelyUsedMinEvidence: z.number(),
  slowFactor: z.number(),
  wrongGap: z.number(),
  minChecked: z.number(),
  leaveOneOutUnchanged: z.number(),
});
export type AdviceThresholds = z.infer<typeof AdviceThresholds>;

export const Advice = z.object({
  target: z.string(),
  /** A session, a series (same committee), or an evaluation run (its task sessions). */
  kind: z.enum(["session", "series", "run"]),
  /** The series the sessions belong to (same committee: roles, models, protocol); pass it as a target for all of them. */
  seriesId: z.string(),
  sessionIds: z.array(z.string()),
  members: z.array(MemberAdvice),
  thresholds: AdviceThresholds,
  notes: z.array(z.string()),
});
export type Advice = z.infer<typeof Advice>;
