/**
 * Weights learned from recorded outcomes. Each backend's score blends its success rate, speed,
 * cost and the votes its messages received, each smoothed toward a neutral prior so one lucky call
 * does not decide routing. Outcomes come from the pool as they happen and from stored sessions
 * (message routing, usage and votes), so learning survives restarts.
 */
import type { Message, Vote } from "../../../../shared/conversation.js";
import type { RoutingPolicy } from "./policy.js";
import { plural } from "../../../../shared/plural.js";

/** One recorded outcome of a turn on a backend. */
export interface RouteOutcome {
  backend: string;
  ok: boolean;
  latencyMs: number;
  cost: number;
  /** Mean vote score (0..1) the message received, when it was voted on. */
  vote?: number | null;
}

/** How much each factor counts; they are normalised to sum to 1. */
export interface LearnedWeightsOptions {
  success?: number;
  latency?: number;
  cost?: number;
  votes?: number;
  /** Pseudo-observations of the neutral prior (0.5 on every factor). Default 2. */
  prior?: number;
}

interface Tally {
  n: number;
  ok: number;
  latency: number;
  cost: number;
  votes: number;
  voted: number;
}

export class LearnedWeights {
  private readonly tallies = new Map<string, Tally>();
  private readonly w: Required<LearnedWeightsOptions>;

  constructor(options: LearnedWeightsOptions = {}) {
    const raw = { success: options.success ?? 0.4, latency: options.latency ?? 0.2, cost: options.cost ?? 0.2, votes: options.votes ?? 0.2 };
    const sum = raw.success + raw.latency + raw.cost + raw.votes || 1;
    this.w = { success: raw.success / sum, latency: raw.latency / sum, cost: raw.cost / sum, votes: raw.votes / sum, prior: options.prior ?? 2 };
  }

  record(o: RouteOutcome): void {
    const t = this.tallies.get(o.backend) ?? { n: 0, ok: 0, latency: 0, cost: 0, votes: 0, voted: 0 };
    t.n++;
    if (o.ok) t.ok++;
    t.latency += o.latencyMs;
    t.cost += o.cost;
    if (o.vote !== undefined && o.vote !== null) {
      t.votes += o.vote;
      t.voted++;
    }
    this.tallies.set(o.backend, t);
  }

  /**
   * Learns from a stored session: each model message is an outcome, its votes its quality. `keyOf`
   * names what is being learned about (by default the backend that answered; the router protocol
   * keys by model fingerprint); messages it maps to null are skipped.
   */
  learnFromSession(
    messages: readonly Message[],
    votes: readonly Vote[],
    keyOf: (m: Message) => string | null = (m) => m.routing?.backend ?? null,
  ): number {
    const byTarget = new Map<string, number[]>();
    for (const v of votes) if (v.score !== null) byTarget.set(v.targetMessageId, [...(byTarget.get(v.targetMessageId) ?? []), v.score]);
    let n = 0;
    for (const m of messages) {
      const key = keyOf(m);
      if (!key || !m.usage) continue;
      const scores = byTarget.get(m.id);
      const tps = m.usage.tokensPerSec;
      this.record({
        backend: key,
        ok: !m.repairs.some((r) => r.startsWith("generation was aborted")),
        latencyMs: (m.usage.ttftMs ?? 0) + (tps ? (m.usage.completionTokens * 1000) / tps : 0),
        cost: 0,
        vote: scores ? scores.reduce((s, x) => s + x, 0) / scores.length : null,
      });
      n++;
    }
    return n;
  }

  /** How many outcomes have been recorded for `key`. */
  outcomes(key: string): number {
    return this.tallies.get(key)?.n ?? 0;
  }

  /** Score per backend in 0..1 (higher is better), relative to the other candidates' latency and cost. */
  scores(backends: readonly string[]): Map<string, number> {
    const p = this.w.prior;
    const stats = backends.map((b) => {
      const t = this.tallies.get(b);
      return {
        b,
        success: ((t?.ok ?? 0) + 0.5 * p) / ((t?.n ?? 0) + p),
        latency: t && t.n > 0 ? t.latency / t.n : null,
        cost: t && t.n > 0 ? t.cost / t.n : null,
        vote: ((t?.votes ?? 0) + 0.5 * p) / ((t?.voted ?? 0) + p),
      };
    });
    const maxLatency = Math.max(1, ...stats.map((s) => s.latency ?? 0));
    const maxCost = Math.max(0, ...stats.map((s) => s.cost ?? 0));
    const out = new Map<string, number>();
    for (const s of stats) {
      const speed = s.latency === null ? 0.5 : 1 - s.latency / maxLatency / 2;
      const cheap = s.cost === null ? 0.5 : maxCost === 0 ? 1 : 1 - s.cost / maxCost;
      out.set(s.b, this.w.success * s.success + this.w.latency * speed + this.w.cost * cheap + this.w.votes * s.vote);
    }
    return out;
  }

  /** The policy: the best-scoring candidate; no opinion until some candidate has outcomes. */
  policy(): RoutingPolicy {
    return (ctx) => {
      const names = ctx.candidates.map((c) => c.name);
      if (!names.some((n) => this.tallies.has(n))) return null;
      const scores = this.scores(names);
      const best = [...scores.entries()].sort((a, b) => b[1] - a[1])[0];
      if (!best) return null;
      const t = this.tallies.get(best[0]);
      return { backend: best[0], reason: `learned weights: score ${best[1].toFixed(3)} over ${plural(t?.n ?? 0, "outcome")}` };
    };
  }
}
