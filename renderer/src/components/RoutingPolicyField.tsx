/**
 * Settings' routing policy: how the backend pool picks a backend for turns that name none (roles on
 * `pool` or left blank). Saved at once; an experiment's own `backends.policy` wins for its session.
 */
import { RoutingPolicyName } from "../../../shared/roleBackends.js";
import { useSettings } from "../stores/settingsStore";
import { useUi } from "../stores/uiStore";

const DESCRIPTIONS: Record<RoutingPolicyName, string> = {
  first: "the first enabled backend in the list (local first)",
  weighted: "a steady share per backend, in proportion to its weight",
  cost: "the cheapest backend at its prices per 1K tokens (free local models first)",
  learned: "the backend with the best recorded outcomes: success, speed, cost and votes",
};

export function RoutingPolicyField() {
  const policy = useSettings((s) => s.settings?.routingPolicy);
  const save = useSettings((s) => s.save);
  const notify = useUi((s) => s.notify);
  if (!policy) return null;
  return (
    <label className="field">
      <span>Routing policy</span>
      <select
        className="input"
        value={policy}
        onChange={(e) => {
          const parsed = RoutingPolicyName.safeParse(e.target.value);
          if (parsed.success) save({ routingPolicy: parsed.data }).catch((err: unknown) => notify("error", err instanceof Error ? err.message : String(err)));
        }}
      >
        {RoutingPolicyName.options.map((p) => (
          <option key={p} value={p}>{p} — {DESCRIPTIONS[p]}</option>
        ))}
      </select>
      <span className="muted small">For roles whose backend is pool or left blank. Weight and prices below feed the weighted and cost policies; prices also count against session budgets.</span>
    </label>
  );
}
