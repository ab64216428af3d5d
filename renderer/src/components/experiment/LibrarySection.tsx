/**
 * The solution library: similar past results that succeeded are brought in as cited material; a
 * near-identical one is offered as the answer to confirm (reuse), a similar one as material (adapt).
 */
import { useExperimentDraft } from "../../stores/experimentDraftStore";
import { FieldIssues, NumberField, Section, useDraftValue } from "./fields";

export function LibrarySection() {
  const library = useDraftValue(["library"]);
  const use = useDraftValue(["library", "use"]) === true;
  const set = useExperimentDraft((s) => s.setAt);
  return (
    <Section
      title="Solution library"
      actions={
        <label className="check small">
          <input type="checkbox" checked={use} onChange={(e) => set(["library"], e.target.checked ? { ...(typeof library === "object" && library !== null ? library : {}), use: true } : undefined)} />
          Use past results
        </label>
      }
    >
      <FieldIssues path={["library"]} />
      {use && (
        <>
          <div className="row wrap">
            <NumberField path={["library", "topK"]} label="Past results offered" step={1} min={1} max={10} placeholder="3" />
            <NumberField path={["library", "minScore"]} label="Least similarity (adapt)" step={0.05} min={0} max={1} placeholder="0.3" />
            <NumberField path={["library", "reuseAt"]} label="Reuse at similarity" step={0.05} min={0} max={1} placeholder="0.9" />
          </div>
          <small className="muted">
            Only results that succeeded are offered: a checker passed them, they won their vote, or they were rated 4 stars or more. At or
            above the reuse similarity one member confirms the past answer instead of the whole protocol running; above the least similarity
            the past results are material; below it the committee starts afresh.
          </small>
        </>
      )}
    </Section>
  );
}
