/**
 * The cost-aware policy: a turn goes to the backend where it costs least at the backends' prices —
 * free local models first — with the prompt and the token cap priced separately, since providers
 * charge output several times input. Ties keep pool order, so equal prices route the same way every time.
 */
import type { RoutingPolicy } from "./policy.js";

/** Input tokens assumed per output token when comparing prices: a committee turn reads far more than it writes. */
const PROMPT_TOKENS_PER_OUTPUT_TOKEN = 4;

export const cheapestPolicy: RoutingPolicy = (ctx) => {
  if (ctx.candidates.length === 0) return null;
  const price = (c: (typeof ctx.candidates)[number]) => (PROMPT_TOKENS_PER_OUTPUT_TOKEN * c.pricePer1kInput + c.pricePer1kOutput) / (PROMPT_TOKENS_PER_OUTPUT_TOKEN + 1);
  let best = ctx.candidates[0]!;
  for (const c of ctx.candidates) if (price(c) < price(best)) best = c;
  const p = price(best);
  return { backend: best.name, reason: p === 0 ? `cheapest: ${best.name} is free` : `cheapest: ${best.name} at $${+p.toFixed(6)} per 1K tokens (blended)` };
};
