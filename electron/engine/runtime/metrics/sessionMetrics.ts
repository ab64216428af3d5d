/**
 * Derives the "Metrics" view's series for one session from what the store recorded: each model
 * turn's speed (messages carry their usage), memory samples (written by the memory sampler), hot
 * swaps, votes and ratings. Pure reads: it can be asked while the session runs and afterwards.
 */
import { MEMORY_METRIC, type MemoryPoint, type ScoreBucket, type SessionMetrics, type TurnPoint, type VoteTally } from "../../../../shared/metrics.js";
import type { SessionStore } from "../../data/store/sessionStore.js";

/** What the derivation reads; {@link SessionStore} satisfies it. */
export type MetricsSource = Pick<SessionStore, "getSession" | "listMessages" | "listSwaps" | "listVotes" | "listRatings" | "listMetrics">;

/** Buckets of a score histogram: ten of width 0.1 over 0..1. */
const BUCKETS = 10;
const PAGE = 5000;

/** The series of `sessionId`; throws when the store has no such session. */
export function sessionMetrics(store: MetricsSource, sessionId: string): SessionMetrics {
  const session = store.getSession(sessionId);
  if (!session) throw new Error(`no session ${sessionId}`);

  const turns: TurnPoint[] = [];
  const speakerOf = new Map<string, string>();
  for (let afterSeq: number | null = 0; afterSeq !== null; ) {
    const page = store.listMessages(sessionId, { afterSeq, limit: PAGE });
    for (const m of page.messages) {
      speakerOf.set(m.id, m.from);
      // Only model output has a speed: the task, orchestrator notes and cut turns carry no usage.
      if (!m.usage || !m.provenance) continue;
      turns.push({
        seq: m.seq,
        at: m.createdAt,
        role: m.from,
        round: m.round,
        tokensPerSec: m.usage.tokensPerSec,
        ttftMs: m.usage.ttftMs,
        completionTokens: m.usage.completionTokens,
        thoughtTokens: m.thought?.tokens ?? 0,
        thoughtMs: m.thought?.ms ?? null,
      });
    }
    afterSeq = page.nextAfterSeq;
  }

  const swaps = store.listSwaps(sessionId).map((s) => ({
    at: s.event.at,
    role: s.event.role,
    kind: s.event.kind,
    from: s.event.from?.name ?? null,
    to: s.event.to.name,
    outcome: s.event.outcome,
    round: s.round,
  }));

  const votes = store.listVotes(sessionId);
  const tallies = new Map<string, { votes: number; firstPlaces: number; scores: number[] }>();
  for (const v of votes) {
    const role = speakerOf.get(v.targetMessageId);
    if (!role) continue;
    const t = tallies.get(role) ?? { votes: 0, firstPlaces: 0, scores: [] };
    t.votes++;
    if (v.rank === 1) t.firstPlaces++;
    if (v.score !== null) t.scores.push(v.score);
    tallies.set(role, t);
  }
  const byRole: VoteTally[] = [...tallies].map(([role, t]) => ({
    role,
    votes: t.votes,
    firstPlaces: t.firstPlaces,
    meanScore: t.scores.length > 0 ? t.scores.reduce((a, b) => a + b, 0) / t.scores.length : null,
  }));
  const ratings = store.listRatings(sessionId);

  return {
    sessionId,
    startedAt: session.createdAt,
    turns,
    memory: memorySeries(store, sessionId),
    swaps,
    votes: { scores: histogram(votes.flatMap((v) => (v.score === null ? [] : [v.score]))), byRole, total: votes.length },
    ratings: { scores: histogram(ratings.map((r) => r.score)), total: ratings.length },
  };
}

/** Zips the sampler's three memory metrics by their shared timestamp. */
function memorySeries(store: MetricsSource, sessionId: string): MemoryPoint[] {
  const byAt = new Map<number, Partial<MemoryPoint>>();
  const put = (name: string, key: "estimatedBytes" | "measuredBytes" | "budgetBytes"): void => {
    for (const m of store.listMetrics(sessionId, name)) {
      const point = byAt.get(m.at) ?? {};
      point[key] = m.value;
      byAt.set(m.at, point);
    }
  };
  put(MEMORY_METRIC.estimated, "estimatedBytes");
  put(MEMORY_METRIC.measured, "measuredBytes");
  put(MEMORY_METRIC.budget, "budgetBytes");
  const points: MemoryPoint[] = [];
  for (const [at, p] of byAt) {
    if (p.estimatedBytes === undefined || p.measuredBytes === undefined || p.budgetBytes === undefined) continue;
    points.push({ at, estimatedBytes: p.estimatedBytes, measuredBytes: p.measuredBytes, budgetBytes: p.budgetBytes });
  }
  return points.sort((a, b) => a.at - b.at);
}

/** Counts 0..1 scores into {@link BUCKETS} equal buckets; a score of exactly 1 falls in the last. */
export function histogram(scores: readonly number[]): ScoreBucket[] {
  const counts = new Array<number>(BUCKETS).fill(0);
  for (const s of scores) counts[Math.min(BUCKETS - 1, Math.max(0, Math.floor(s * BUCKETS)))]!++;
  return counts.map((count, i) => ({ from: i / BUCKETS, to: (i + 1) / BUCKETS, count }));
}
