/** Test support: composes routing policies, the first with an opinion about a candidate winning. */
import type { RoutingPolicy } from "../policy.js";

/** The first policy with an opinion about a candidate wins. */
export function firstOf(...policies: RoutingPolicy[]): RoutingPolicy {
  return (ctx) => {
    for (const p of policies) {
      const choice = p(ctx);
      if (choice && ctx.candidates.some((c) => c.name === choice.backend)) return choice;
    }
    return null;
  };
}
