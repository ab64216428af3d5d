/**
 * Learned routing for the router protocol: which role to send a task to, judged by how the
 * models behind the roles did in the sessions this store has recorded — success (turns that were
 * not aborted), latency and the votes their messages received. Outcomes are keyed by model
 * fingerprint, so what was learned under one role name carries over to any role that runs the same
 * model. The scoring is the backend pool's ({@link LearnedWeights}); only the key differs.
 */
import { LearnedWeights } from "../../backends/routing/learned.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import { allMessages } from "../../data/store/allMessages.js";
import { routeTask, type RouteDecision } from "../protocols/router.js";
import type { ComplexityBand, RouteRule } from "../../../../shared/experiment.js";
import { plural } from "../../../../shared/plural.js";

/** Weights from the newest `sessions` recorded sessions, leaving out `exclude` (the running one). */
export function learnModelWeights(store: SessionStore, exclude: string, sessions = 50): LearnedWeights {
  const weights = new LearnedWeights();
  for (const s of store.listSessions({ limit: sessions })) {
    if (s.id !== exclude) weights.learnFromSession([...allMessages(store, s.id)], store.listVotes(s.id), (m) => m.provenance?.fingerprint ?? null);
  }
  return weights;
}

/** The role whose model scores best, or null when none of the roles' models has any outcome. */
export function learnedRoute(weights: LearnedWeights, roles: readonly { name: string; fingerprint: string }[]): RouteDecision | null {
  if (!roles.some((r) => weights.outcomes(r.fingerprint) > 0)) return null;
  const scores = weights.scores(roles.map((r) => r.fingerprint));
  const ranked = roles.map((r) => ({ ...r, score: scores.get(r.fingerprint) ?? 0 })).sort((a, b) => b.score - a.score);
  const best = ranked[0]!;
  const summary = ranked.map((r) => `${r.name} ${r.score.toFixed(3)} (${plural(weights.outcomes(r.fingerprint), "outcome")})`).join(", ");
  return { role: best.name, reason: `learned from recorded outcomes (success, latency, votes): ${summary}` };
}

/** Rules first; then, when `learned` is given, recorded outcomes; then the complexity bands. */
export function routeWithLearning(
  task: string,
  rules: readonly RouteRule[],
  bands: readonly ComplexityBand[],
  fallback: string,
  learned: (() => RouteDecision | null) | null,
): RouteDecision {
  const byRule = routeTask(task, rules, [], "");
  if (byRule.role) return byRule;
  return learned?.() ?? routeTask(task, [], bands, fallback);
}
