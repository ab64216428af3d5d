/**
 * Test support: rule and complexity policies, which no named policy offers (the tests compose them
 * with the shipped ones). Rules: the first regular expression that matches the task picks the
 * backend. Complexity: seed 000's score (the router protocol's own {@link complexityScore}, so both
 * read a task the same way) picks the first band whose `upTo` is at least the score.
 */
import { requireUserPattern } from "../../../../../shared/userPattern.js";
import { complexityScore } from "../../../conversation/protocols/router.js";
import type { RoutingPolicy } from "../policy.js";

export interface BackendRule {
  pattern: string;
  backend: string;
}

export interface BackendBand {
  upTo: number;
  backend: string;
}

export function rulesPolicy(rules: readonly BackendRule[]): RoutingPolicy {
  const compiled = rules.map((r, i) => ({ ...r, re: requireUserPattern(r.pattern, `rules[${i}].pattern`) }));
  return (ctx) => {
    for (const [i, r] of compiled.entries()) {
      if (r.re.test(ctx.task) && ctx.candidates.some((c) => c.name === r.backend)) {
        return { backend: r.backend, reason: `rule ${i + 1} /${r.pattern}/i matched` };
      }
    }
    return null;
  };
}

export function complexityPolicy(bands: readonly BackendBand[]): RoutingPolicy {
  const sorted = [...bands].sort((a, b) => a.upTo - b.upTo);
  return (ctx) => {
    const score = complexityScore(ctx.task);
    const band = sorted.find((b) => score <= b.upTo && ctx.candidates.some((c) => c.name === b.backend));
    return band ? { backend: band.backend, reason: `complexity ${score} ≤ ${band.upTo}` } : null;
  };
}
