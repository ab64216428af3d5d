/**
 * Learned routing for the router protocol: which role to send a task to, judged by how the
 * models behind the roles did in the sessions this store has recorded — success (turns that were
 * not aborted), latency, cost and the votes their messages received. Outcomes are keyed by model
 * fingerprint, so what was learned with one role name carries over to any role that runs the same
 * model. The scoring is the backend pool's ({@link LearnedWeights}); only the keys differ.
 */
import { LearnedWeights } from "../backends/routing/learned.js";
import type { SessionStore } from "../store/sessionStore.js";
import type { RouteDecision } from "../protocols/router.js";

export interface LearnedModels {
  weights: LearnedWeights;
  /** Recorded outcomes per model fingerprint. */
  outcomes: Map<string, number>;
}

/** Weights from the newest `sessions` recorded sessions, leaving out `exclude` (the running one). */
export function learnModelWeights(store: SessionStore, exclude: string, sessions = 50): LearnedModels {
  const weights = new LearnedWeights();
  const outcomes = new Map<string, number>();
  for (const s of store.listSessions({ limit: sessions })) {
    if (s.id === exclude) continue;
    const scores = new Map<string, number[]>();
    for (const v of store.listVotes(s.id)) if (v.score !== null) scores.set(v.targetMessageId, [...(scores.get(v.targetMessageId) ?? []), v.score]);
    for (const m of allMessages(store, s.id)) {
      if (!m.provenance || !m.usage) continue;
      const votes = scores.get(m.id);
      const tps = m.usage.tokensPerSec;
      weights.record({
        backend: m.provenance.fingerprint,
        ok: !m.repairs.some((r) => r.startsWith("generation was aborted")),
        latencyMs: (m.usage.ttftMs ?? 0) + (tps ? (m.usage.completionTokens * 1000) / tps : 0),
        cost: 0,
        vote: votes ? votes.reduce((a, b) => a + b, 0) / votes.length : null,
      });
      outcomes.set(m.provenance.fingerprint, (outcomes.get(m.provenance.fingerprint) ?? 0) + 1);
    }
  }
  return { weights, outcomes };
}

function* allMessages(store: SessionStore, sessionId: string) {
  let afterSeq: number | null = 0;
  while (afterSeq !== null) {
    const page = store.listMessages(sessionId, { afterSeq, limit: 5000 });
    yield* page.messages;
    afterSeq = page.nextAfterSeq;
  }
}

/** The role whose model scores best, or null when none of the roles' models has any outcome. */
export function learnedRoute(learned: LearnedModels, roles: readonly { name: string; fingerprint: string }[]): RouteDecision | null {
  if (!roles.some((r) => learned.outcomes.has(r.fingerprint))) return null;
  const scores = learned.weights.scores(roles.map((r) => r.fingerprint));
  const ranked = roles.map((r) => ({ ...r, score: scores.get(r.fingerprint) ?? 0 })).sort((a, b) => b.score - a.score);
  const best = ranked[0]!;
  const summary = ranked.map((r) => `${r.name} ${r.score.toFixed(3)} (${learned.outcomes.get(r.fingerprint) ?? 0} outcomes)`).join(", ");
  return { role: best.name, reason: `learned from recorded outcomes (success, latency, votes): ${summary}` };
}
