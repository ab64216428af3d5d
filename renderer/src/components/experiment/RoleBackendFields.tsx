/**
 * A role's backend and its fallback chain, picked from the configured backends (the host's, and the
 * ones this experiment defines). Blank backend: the routing policy decides, `local` first.
 */
import { useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import { backendChoices } from "../../lib/backendChoices";
import { draftBackendNames } from "../../lib/experimentDraft";
import { useBackends } from "../../stores/backendsStore";
import { useExperimentDraft } from "../../stores/experimentDraftStore";
import { POOL_BACKEND } from "../../../../shared/roleBackends.js";
import { FieldIssues, SelectField, useDraftValue } from "./fields";

function useChoices() {
  const entries = useBackends((s) => s.backends);
  const defined = useExperimentDraft(useShallow((s) => draftBackendNames(s.draft)));
  return useMemo(() => backendChoices(entries, defined), [entries, defined]);
}

export function RoleBackendFields({ index }: { index: number }) {
  const choices = useChoices();
  const label = `Role ${index + 1}`;
  return (
    <div className="row wrap role-backends">
      <SelectField
        path={["roles", index, "backend"]}
        label={`${label} backend`}
        options={choices.map((c) => c.name)}
        labels={Object.fromEntries(choices.map((c) => [c.name, c.label]))}
        emptyLabel="default — routing policy (local first)"
      />
      <FallbackChain index={index} choices={choices.filter((c) => c.name !== POOL_BACKEND)} />
    </div>
  );
}

/** The chain tried in order when the role's backend fails: each step a backend, added and removed in place. */
function FallbackChain({ index, choices }: { index: number; choices: { name: string; label: string }[] }) {
  const path = ["roles", index, "fallback"] as const;
  const value = useDraftValue(path);
  const set = useExperimentDraft((s) => s.setAt);
  const chain = Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  const label = `Role ${index + 1} fallbacks`;
  const next = choices.find((c) => !chain.includes(c.name))?.name;
  const update = (steps: string[]): void => set(path, steps.length === 0 ? undefined : steps);
  return (
    <fieldset className="field fallback-chain" aria-label={label}>
      <legend>Fallbacks, in order</legend>
      <div className="row wrap">
        {chain.length === 0 && <span className="muted small">the backend's own chain</span>}
        {chain.map((name, i) => (
          <span key={i} className="chain-step">
            {i > 0 && <span aria-hidden>→</span>}
            <select className="input small" aria-label={`${label} step ${i + 1}`} value={name} onChange={(e) => update(chain.map((n, j) => (j === i ? e.target.value : n)))}>
              {[...choices.map((c) => c.name), ...(choices.some((c) => c.name === name) ? [] : [name])].map((n) => (
                <option key={n} value={n}>{n}</option>
              ))}
            </select>
            <button type="button" className="icon-btn" aria-label={`Remove ${label.toLowerCase()} step ${i + 1}`} onClick={() => update(chain.filter((_, j) => j !== i))}>
              ×
            </button>
            <FieldIssues path={[...path, i]} />
          </span>
        ))}
        <button type="button" className="btn small" disabled={next === undefined} onClick={() => next !== undefined && update([...chain, next])}>
          Add fallback
        </button>
      </div>
      <FieldIssues path={path} />
    </fieldset>
  );
}
