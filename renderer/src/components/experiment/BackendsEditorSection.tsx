/**
 * The experiment's own backends (they exist for its session only) and the routing policy of its
 * `pool` turns. There is deliberately no key field: a key never goes into an experiment file; it
 * comes from the key store (Settings → Backends) or `CONCLAVE_<NAME>_API_KEY`.
 */
import { RemoteProvider } from "../../../../shared/backends.js";
import { RoutingPolicyName } from "../../../../shared/roleBackends.js";
import { NumberField, Section, SelectField, TextField } from "./fields";
import { ListEditor } from "./ListEditor";

const POLICY_LABELS: Record<RoutingPolicyName, string> = {
  first: "first — the first enabled backend (local first)",
  weighted: "weighted — in proportion to each backend's weight",
  cost: "cost — the cheapest at the backends' prices",
  learned: "learned — the best recorded outcomes",
};

export function BackendsEditorSection() {
  return (
    <Section title="Backends">
      <SelectField
        path={["backends", "policy"]}
        label="Routing policy"
        options={RoutingPolicyName.options}
        labels={POLICY_LABELS}
        emptyLabel="as in Settings"
        hint="Decides the turns of roles whose backend is pool or left blank."
      />
      <ListEditor
        path={["backends", "define"]}
        label="Backends of this experiment"
        itemLabel="Backend"
        hint="Exist for this session only. Keys are never written here: store one in Settings → Backends under the same name, or set CONCLAVE_<NAME>_API_KEY."
        blank={() => ({ name: "", provider: "openai", baseUrl: "http://127.0.0.1:8081/v1", model: "" })}
        fields={(i) => (
          <>
            <TextField path={["backends", "define", i, "name"]} label={`Backend ${i + 1} name`} placeholder="e.g. lab2" />
            <SelectField path={["backends", "define", i, "provider"]} label={`Backend ${i + 1} provider`} options={RemoteProvider.options} />
            <TextField path={["backends", "define", i, "baseUrl"]} label={`Backend ${i + 1} base URL`} placeholder="http://host:port/v1" />
            <TextField path={["backends", "define", i, "model"]} label={`Backend ${i + 1} model`} placeholder="the model id on that server" />
            <NumberField path={["backends", "define", i, "maxTokens"]} label="Max tokens" step={1} min={1} max={32768} placeholder="512" />
            <NumberField path={["backends", "define", i, "retries"]} label="Retries" step={1} min={0} max={10} placeholder="1" />
            <NumberField path={["backends", "define", i, "pricePer1kInput"]} label="USD / 1K in" step={0.0001} min={0} placeholder="0" />
            <NumberField path={["backends", "define", i, "pricePer1kOutput"]} label="USD / 1K out" step={0.0001} min={0} placeholder="0" />
            <NumberField path={["backends", "define", i, "weight"]} label="Weight" step={0.1} min={0} placeholder="1" />
          </>
        )}
      />
    </Section>
  );
}
