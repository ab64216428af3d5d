/**
 * Presets: pick balanced, fast, cheap or reliable and see, before starting, the concrete settings it
 * expands to for these models on this machine (each with its reason). The session runs — and stores
 * — exactly that expansion. An experiment opened from a stored session carries its expansion and
 * runs as stored until "Expand again" asks for a fresh one.
 */
import { useEffect } from "react";
import type { Experiment } from "../../../../shared/experiment.js";
import { Preset } from "../../../../shared/presets.js";
import { useExperimentDraft } from "../../stores/experimentDraftStore";
import { usePresetPreview } from "../../stores/presetPreviewStore";
import { FieldIssues, Section, useDraftValue } from "./fields";

const WHAT: Record<Preset, string> = {
  balanced: "full deliberation: rounds of proposals, critiques and a vote",
  fast: "resident models first, one round of parallel work, no rotation",
  cheap: "one member answers, smallest model first, short turns",
  reliable: "the largest model answers, another validates it, with a fallback",
};

export function PresetSection({ experiment }: { experiment: Experiment | null }) {
  const preset = useDraftValue(["preset"]);
  const stored = useDraftValue(["expansion", "preset"]);
  const set = useExperimentDraft((s) => s.setAt);
  const { expansion, error, busy, preview } = usePresetPreview();
  useEffect(() => preview(experiment), [experiment, preview]);
  const choose = (value: string): void => {
    set(["preset"], value === "" ? undefined : value);
    // A stored expansion belongs to the preset it expanded; a new choice expands afresh.
    set(["expansion"], undefined);
  };
  const current = typeof preset === "string" ? preset : "";
  return (
    <Section title="Preset">
      <div className="field">
        <label htmlFor="preset-choice">Preset</label>
        <select id="preset-choice" className="input" value={current} onChange={(e) => choose(e.target.value)}>
          <option value="">none (settings as written)</option>
          {Preset.options.map((p) => (
            <option key={p} value={p}>
              {p} — {WHAT[p]}
            </option>
          ))}
        </select>
        <FieldIssues path={["preset"]} />
      </div>
      {current && (
        <p className="muted small">
          When the session starts, the preset&apos;s settings below replace the form&apos;s protocol, members, token caps, context policy, retries,
          budget switch and prefetch; the stored experiment keeps both the preset and what it expanded to.
        </p>
      )}
      {current && stored === current && (
        <p className="muted small">
          Expanded when this experiment was stored; it runs as stored.{" "}
          <button type="button" className="btn tiny" onClick={() => set(["expansion"], undefined)}>
            Expand again
          </button>
        </p>
      )}
      {current && (
        <div role="region" aria-label="Preset expansion" aria-busy={busy}>
          {error && <p className="error-text small">{error}</p>}
          {busy && <p className="muted small">Expanding for this machine…</p>}
          {!experiment && <p className="muted small">The expansion appears once the experiment is valid.</p>}
          {expansion && (
            <table className="table small">
              <caption className="muted small">
                {expansion.preset} on this machine: {(expansion.machine.budgetBytes / 1e9).toFixed(1)} GB budget, {expansion.machine.residentModels.length} resident model
                {expansion.machine.residentModels.length === 1 ? "" : "s"}, {expansion.machine.remoteBackends.length} remote backend
                {expansion.machine.remoteBackends.length === 1 ? "" : "s"}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Setting</th>
                  <th scope="col">Value</th>
                  <th scope="col">Why</th>
                </tr>
              </thead>
              <tbody>
                {expansion.settings.map((s) => (
                  <tr key={s.setting}>
                    <th scope="row">{s.setting}</th>
                    <td>{s.value}</td>
                    <td className="muted">{s.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </Section>
  );
}
