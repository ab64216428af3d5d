/** A list of small records (routes, bands, swaps): rows of fields, add and remove. */
import type { ReactNode } from "react";
import type { DraftPath } from "../../lib/experimentDraft";
import { useExperimentDraft } from "../../stores/experimentDraftStore";
import { FieldIssues, useDraftValue } from "./fields";

export function ListEditor({
  path,
  label,
  itemLabel,
  blank,
  fields,
  hint,
}: {
  path: DraftPath;
  label: string;
  itemLabel: string;
  blank: () => Record<string, unknown>;
  fields: (index: number) => ReactNode;
  hint?: string;
}) {
  const value = useDraftValue(path);
  const items = Array.isArray(value) ? value : [];
  const set = useExperimentDraft((s) => s.setAt);
  return (
    <fieldset className="field list-editor">
      <legend>{label}</legend>
      {hint && <small className="muted">{hint}</small>}
      {items.map((_, i) => (
        <div key={i} className="list-row" role="group" aria-label={`${itemLabel} ${i + 1}`}>
          <div className="row wrap">
            {fields(i)}
            <button
              type="button"
              className="icon-btn"
              aria-label={`Remove ${itemLabel.toLowerCase()} ${i + 1}`}
              onClick={() => set(path, items.length > 1 ? items.filter((__, j) => j !== i) : undefined)}
            >
              ×
            </button>
          </div>
          <FieldIssues path={[...path, i]} />
        </div>
      ))}
      <button type="button" className="btn small" onClick={() => set(path, [...items, blank()])}>
        Add {itemLabel.toLowerCase()}
      </button>
      <FieldIssues path={path} />
    </fieldset>
  );
}
