/**
 * Arbitration: when a counted vote meets one of the experiment's `arbitration.on` conditions (a
 * tie at the top, ballots whose first choices disagree, a winner below the confidence bar), the
 * session waits for the researcher to pick the winner among the candidates. The decision is a
 * message from `user` with its reason, a vote in the vote record (voter `user`) and `human` arena
 * outcomes against the other candidates. A failed validation check (`check-failed`) is settled the
 * same way between the validator's verdict and the checked answer. When `timeoutMs` passes first, the fallback applies and is
 * recorded as such: the protocol's own winner, the chair's candidate, or the end of the session.
 * A resumed session takes its recorded decision back instead of asking again.
 */
import type { Message, VoteInput } from "../../../../shared/conversation.js";
import type { ArbitrationSpec, ArbitrationTrigger, DecisionCandidate, HumanWait } from "../../../../shared/human.js";
import { resolveDecision } from "../../../../shared/human.js";
import type { PairwiseOutcomeInput } from "../../../../shared/arena.js";
import type { ConversationBus } from "../bus/ConversationBus.js";
import type { TallyRow } from "../protocols/voting.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import { HUMAN_PROVENANCE, type HumanDesk } from "./HumanDesk.js";
import { SessionAborted } from "./SessionControl.js";

/** The first words of every decision message, so a resume can tell it from an interjection. */
export const DECISION_PREFIX = "Decision (";
const FALLBACK_PREFIX = "Arbitration fallback (";

export interface ArbitrationContext {
  spec: ArbitrationSpec;
  chair: string;
  sessionId: string;
  store: SessionStore;
  bus: ConversationBus;
  round: number;
  human: HumanDesk;
}

/** The condition that holds for this tally, with its candidates, in the order `spec.on` lists them; null when none holds. */
export function arbitrationTrigger(spec: ArbitrationSpec, rows: readonly TallyRow[], votes: readonly Pick<VoteInput, "voter" | "targetMessageId" | "rank">[]): { trigger: ArbitrationTrigger; reason: string; rows: TallyRow[] } | null {
  if (rows.length < 2) return null;
  for (const trigger of spec.on) {
    if (trigger === "tie") {
      const top = rows.filter((r) => r.points === rows[0]!.points);
      if (top.length > 1) return { trigger, reason: `a tie at ${rows[0]!.points.toFixed(2)} points between ${top.map((r) => r.message.from).join(" and ")}`, rows: top };
    } else if (trigger === "disagreement") {
      const firsts = new Set(votes.filter((v) => v.rank === 1).map((v) => v.targetMessageId));
      if (firsts.size > 1) return { trigger, reason: `the ballots disagree: ${firsts.size} different first choices`, rows: [...rows] };
    } else if (trigger === "low-confidence") {
      const below = spec.confidenceBelow ?? 0.5;
      const c = rows[0]!.message.confidence;
      if (c !== null && c < below) return { trigger, reason: `the winner's confidence ${c.toFixed(2)} is below ${below}`, rows: [...rows] };
    }
  }
  return null;
}

/**
 * Settles the vote when a condition holds; returns the winning message (null when nothing needed
 * settling). Throws {@link SessionAborted} when the `abort` fallback applies.
 */
export async function arbitrate(ctx: ArbitrationContext, rows: readonly TallyRow[], votes: readonly VoteInput[]): Promise<Message | null> {
  const found = arbitrationTrigger(ctx.spec, rows, votes);
  if (!found) return null;
  return settle(ctx, found, true);
}

/**
 * `check-failed`: the validator's check did not pass; the researcher decides whether its verdict
 * (candidate A, also the protocol's fallback) or the checked answer (B) stands. Returns true when the
 * answer stands, so the validation passes by the researcher's decision.
 */
export async function arbitrateCheck(ctx: ArbitrationContext, answer: Message, verdict: Message): Promise<boolean> {
  const rows = [verdict, answer].map((message) => ({ message, points: 0, ballots: 0 }));
  const winner = await settle(ctx, { trigger: "check-failed", reason: `${verdict.from}'s check of ${answer.from}'s answer failed`, rows }, false);
  return winner?.id === answer.id;
}

async function settle(ctx: ArbitrationContext, found: { trigger: ArbitrationTrigger; reason: string; rows: TallyRow[] }, arena: boolean): Promise<Message | null> {
  const candidates: DecisionCandidate[] = found.rows.map((r, i) => ({
    label: String.fromCharCode(65 + i),
    messageId: r.message.id,
    from: r.message.from,
    content: r.message.content,
    points: r.points,
    confidence: r.message.confidence,
  }));
  const byId = new Map(found.rows.map((r) => [r.message.id, r.message]));
  const stored = ctx.bus.replaying ? ctx.bus.peekReplay() : null;
  if (stored?.from === "user" && stored.content.startsWith(DECISION_PREFIX)) {
    const sent = ctx.bus.send({ from: "user", to: "all", type: "vote", content: stored.content, provenance: HUMAN_PROVENANCE, round: ctx.round });
    return byId.get(sent.referencesTo[0] ?? "") ?? null;
  }
  const wait: Extract<HumanWait, { kind: "decision" }> = {
    kind: "decision",
    trigger: found.trigger,
    reason: found.reason,
    round: ctx.round,
    candidates,
    fallback: ctx.spec.fallback,
    timeoutAt: ctx.spec.timeoutMs !== undefined ? Date.now() + ctx.spec.timeoutMs : null,
    since: Date.now(),
  };
  const replayedFallback = stored?.from === "system" && stored.content.startsWith(FALLBACK_PREFIX);
  const decision = replayedFallback
    ? { decision: ctx.spec.fallback, reason: "", by: "timeout" as const }
    : await ctx.human.decide(wait, ctx.spec.timeoutMs !== undefined ? { ms: ctx.spec.timeoutMs, fallback: ctx.spec.fallback } : null);

  if (decision.by === "timeout") {
    const chairs = candidates.find((c) => c.from === ctx.chair);
    const pick = ctx.spec.fallback === "chair" && chairs ? chairs : candidates[0]!;
    const outcome = ctx.spec.fallback === "abort" ? "the session ends" : `${pick.label} by ${pick.from} stands (${ctx.spec.fallback === "chair" && chairs ? "the chair's" : "the protocol's"} winner)`;
    ctx.bus.send({ from: "system", to: "all", type: "system", content: `${FALLBACK_PREFIX}${ctx.spec.fallback}) after ${ctx.spec.timeoutMs} ms without a decision on ${found.reason}: ${outcome}.`, round: ctx.round });
    if (ctx.spec.fallback === "abort") throw new SessionAborted(`no decision on ${found.reason} within ${ctx.spec.timeoutMs} ms`);
    return byId.get(pick.messageId) ?? null;
  }
  const resolved = resolveDecision(wait, decision.decision);
  if (!resolved.ok || !resolved.candidate) throw new Error(`decision: ${resolved.ok ? "no candidate" : resolved.error}`);
  const pick = resolved.candidate;
  const reason = decision.reason.trim() || "none given";
  const message = ctx.bus.send({
    from: "user",
    to: "all",
    type: "vote",
    content: `${DECISION_PREFIX}${found.trigger}, round ${ctx.round}): ${pick.label} by ${pick.from} wins. Reason: ${reason}`,
    referencesTo: [pick.messageId],
    provenance: HUMAN_PROVENANCE,
    round: ctx.round,
  });
  ctx.store.recordVote({ sessionId: ctx.sessionId, voter: "user", targetMessageId: pick.messageId, score: 1, rank: 1, rankOf: candidates.length, round: ctx.round, rationale: reason, messageId: message.id });
  if (arena) ctx.store.pairwise.recordMany(humanOutcomes(ctx.sessionId, byId.get(pick.messageId)!, found.rows.map((r) => r.message)));
  return byId.get(pick.messageId) ?? null;
}

/** The researcher's pick beat every other candidate of another model: `human` arena outcomes. */
function humanOutcomes(sessionId: string, winner: Message, candidates: readonly Message[]): PairwiseOutcomeInput[] {
  const w = winner.provenance;
  if (!w || w.human) return [];
  return candidates.flatMap((other, i): PairwiseOutcomeInput[] => {
    const o = other.provenance;
    if (other.id === winner.id || !o || o.human || o.fingerprint === w.fingerprint) return [];
    return [
      {
        a: { fingerprint: w.fingerprint, name: w.modelName },
        b: { fingerprint: o.fingerprint, name: o.modelName },
        winner: "a",
        source: "human",
        judge: "user",
        positionA: candidates.indexOf(winner),
        positionB: i,
        anonymous: false,
        sessionId,
        messageA: winner.id,
        messageB: other.id,
      },
    ];
  });
}
