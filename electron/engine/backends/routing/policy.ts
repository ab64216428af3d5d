/**
 * Routing policies choose a backend for a turn. A policy looks at the task and the candidates and
 * answers with a backend and the reason in words (stored on the message), or null for "no opinion",
 * so policies compose: the first one with an opinion wins.
 */
import type { BackendConfig } from "../types.js";

/** What a policy sees. */
export interface RouteContext {
  /** The text being routed: the task, or the turn's latest user message. */
  task: string;
  /** The role whose turn this is. */
  role: string;
  /** Enabled backends the pool may use now (budget and circuits already applied), in pool order. */
  candidates: readonly BackendConfig[];
}

/** A policy's answer. */
export interface BackendChoice {
  backend: string;
  reason: string;
}

export type RoutingPolicy = (ctx: RouteContext) => BackendChoice | null;

/**
 * Seed 000's weights: a deterministic weighted pick (hash of role and task), so a rerun of the same
 * session routes the same way while the traffic over many tasks follows the weights.
 */
export const weightedPolicy: RoutingPolicy = (ctx) => {
  const weighted = ctx.candidates.filter((c) => c.weight > 0);
  if (weighted.length === 0) return null;
  const total = weighted.reduce((s, c) => s + c.weight, 0);
  let point = (fnv1a(`${ctx.role}\u0000${ctx.task}`) / 2 ** 32) * total;
  for (const c of weighted) {
    point -= c.weight;
    if (point < 0) return { backend: c.name, reason: `weighted pick (weight ${c.weight} of ${total})` };
  }
  const lastOne = weighted[weighted.length - 1]!;
  return { backend: lastOne.name, reason: `weighted pick (weight ${lastOne.weight} of ${total})` };
};

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
