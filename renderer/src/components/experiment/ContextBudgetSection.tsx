/** What a role sees when its conversation outgrows its budget, and the session's spend limit. */
import { ContextPolicy } from "../../../../shared/experiment.js";
import { NumberField, Section, SelectField } from "./fields";

export function ContextBudgetSection() {
  return (
    <Section title="Context and budget">
      <div className="row wrap">
        <SelectField path={["context", "policy"]} label="Context policy" options={ContextPolicy.options} emptyLabel="default (drop-oldest)" />
        <NumberField path={["budget", "usd"]} label="Budget (USD)" step={0.01} min={0} placeholder="none" />
        <NumberField path={["budget", "switchAt"]} label="Switch to local at" step={0.05} min={0} max={1} placeholder="0.8" />
      </div>
      <small className="muted">
        drop-oldest: the oldest messages leave a role's view. summarize: they are folded into an extractive summary. The budget counts
        priced backends; at the switch point work moves to free local ones.
      </small>
    </Section>
  );
}
