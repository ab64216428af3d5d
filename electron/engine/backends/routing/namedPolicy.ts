/**
 * The routing policies a user can choose by name (Settings, or an experiment's `backends.policy`):
 * `first` leaves the choice to pool order, `weighted` follows each backend's weight, `cost` takes the
 * cheapest, `learned` the best recorded outcomes. Each answers null when it has no opinion, and the
 * pool then takes the first enabled backend.
 */
import type { RoutingPolicyName } from "../../../../shared/roleBackends.js";
import { cheapestPolicy } from "./cost.js";
import type { LearnedWeights } from "./learned.js";
import { weightedPolicy, type RoutingPolicy } from "./policy.js";

/** What the `learned` policy reads: weights the pool feeds, and a one-time read of the store's history. */
export interface LearnedSource {
  weights: LearnedWeights;
  /** Learns from recorded sessions the first time the policy is asked (reading the store is not free). */
  seed?: () => void;
}

export function namedPolicy(name: RoutingPolicyName, learned: LearnedSource): RoutingPolicy | null {
  switch (name) {
    case "first":
      return null;
    case "weighted":
      return weightedPolicy;
    case "cost":
      return cheapestPolicy;
    case "learned": {
      const policy = learned.weights.policy();
      return (ctx) => {
        learned.seed?.();
        return policy(ctx);
      };
    }
  }
}
