/**
 * The router's decision: the first rule whose pattern matches the task wins; otherwise the task's
 * complexity score picks a band. The score is a transparent heuristic in 0..1, not a model:
 *   0.35 · min(1, words / 150)            longer tasks need more capable roles
 * + 0.25 · [asks for reasoning]           why / explain / prove / derive / compare / analy…
 * + 0.20 · min(1, questions / 3)          several questions at once
 * + 0.20 · min(1, digits and operators / 20)   arithmetic and code-like content
 */
import type { ComplexityBand, RouteRule } from "../../../../shared/experiment.js";
import { requireUserPattern } from "../../../../shared/userPattern.js";

const REASONING = /\b(why|explain|prove|derive|compare|analy[sz]e|justify|step[- ]by[- ]step|trade-?offs?)\b/i;

/** Complexity score of a task, 0..1. */
export function complexityScore(task: string): number {
  const words = task.split(/\s+/).filter(Boolean).length;
  const questions = (task.match(/\?/g) ?? []).length;
  const symbols = (task.match(/[0-9+\-*/=^<>()]/g) ?? []).length;
  const score =
    0.35 * Math.min(1, words / 150) +
    0.25 * (REASONING.test(task) ? 1 : 0) +
    0.2 * Math.min(1, questions / 3) +
    0.2 * Math.min(1, symbols / 20);
  return Math.round(score * 1000) / 1000;
}

export interface RouteDecision {
  role: string;
  reason: string;
}

/** Where `task` goes; `fallback` when no rule or band applies. */
export function routeTask(task: string, rules: readonly RouteRule[], bands: readonly ComplexityBand[], fallback: string): RouteDecision {
  for (const [i, rule] of rules.entries()) {
    if (requireUserPattern(rule.pattern, `protocol.routes[${i}].pattern`).test(task)) return { role: rule.role, reason: `rule ${i + 1} /${rule.pattern}/i matched the task` };
  }
  const score = complexityScore(task);
  const band = [...bands].sort((a, b) => a.upTo - b.upTo).find((b) => score <= b.upTo);
  if (band) return { role: band.role, reason: `no rule matched; complexity ${score} ≤ ${band.upTo}` };
  return { role: fallback, reason: `no rule or band matched (complexity ${score}); fell back to the first role` };
}
