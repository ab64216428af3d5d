/** The committee: each role's name, model, backend and fallbacks, system prompt, sampling and context. */
import { getAt, isObject } from "../../lib/experimentDraft";
import { useExperimentDraft } from "../../stores/experimentDraftStore";
import { useLibrary } from "../../stores/libraryStore";
import { FieldIssues, NumberField, Section, TextField, TriStateField } from "./fields";
import { ModelField } from "./ModelField";
import { RoleBackendFields } from "./RoleBackendFields";

const MAX_ROLES = 16;

/** The role as the researcher's seat (no model) or back as a model's (on the first library model). */
function humanSeat(role: Record<string, unknown>, human: boolean, firstModel: string): Record<string, unknown> {
  const { model: _model, human: _human, ...rest } = role;
  return human ? { ...rest, human: true } : { ...rest, model: firstModel };
}

export function RolesSection() {
  const roles = useExperimentDraft((s) => getAt(s.draft, ["roles"]));
  const list = Array.isArray(roles) ? roles : [];
  const set = useExperimentDraft((s) => s.setAt);
  const firstModel = useLibrary((s) => s.library?.models.find((m) => m.identity)?.ref ?? "");
  const add = (): void => set(["roles"], [...list, { name: `role${list.length + 1}`, model: firstModel }]);
  const remove = (i: number): void => set(["roles"], list.filter((_, j) => j !== i));
  return (
    <Section
      title="Roles"
      actions={
        <button type="button" className="btn small" disabled={list.length >= MAX_ROLES} onClick={add}>
          Add role
        </button>
      }
    >
      <FieldIssues path={["roles"]} />
      {list.map((r, i) => (
        <fieldset key={i} className="role-card" aria-label={`Role ${i + 1}${isObject(r) && typeof r.name === "string" ? ` ${r.name}` : ""}`}>
          <div className="row wrap">
            <TextField path={["roles", i, "name"]} label={`Role ${i + 1} name`} />
            {isObject(r) && r.human === true ? <span className="muted small">a seat for you: no model</span> : <ModelField path={["roles", i, "model"]} label={`Role ${i + 1} model`} />}
            <label className="check">
              <input
                type="checkbox"
                aria-label={`Role ${i + 1} is a human seat (you)`}
                checked={isObject(r) && r.human === true}
                onChange={(e) => set(["roles", i], isObject(r) ? humanSeat(r, e.target.checked, firstModel) : r)}
              />
              human seat
            </label>
            <button type="button" className="icon-btn" aria-label={`Remove role ${i + 1}`} disabled={list.length <= 1} onClick={() => remove(i)}>
              ×
            </button>
          </div>
          <RoleBackendFields index={i} />
          <TextField path={["roles", i, "system"]} label="System prompt" multiline rows={2} placeholder="optional" />
          <div className="row wrap">
            <NumberField path={["roles", i, "temperature"]} label="Temperature" step={0.05} min={0} max={5} />
            <NumberField path={["roles", i, "topP"]} label="Top P" step={0.05} min={0} max={1} />
            <NumberField path={["roles", i, "topK"]} label="Top K" step={1} min={0} />
            <NumberField path={["roles", i, "maxTokens"]} label="Max tokens" step={1} min={1} max={32768} />
            <NumberField path={["roles", i, "contextSize"]} label="Context size" step={256} min={64} max={262144} placeholder="2048" />
            <NumberField path={["roles", i, "contextBudget"]} label="Context budget" step={64} min={32} placeholder="¾ of context" />
          </div>
          <div className="row wrap">
            <NumberField path={["roles", i, "thinking", "budget"]} label="Thought budget" step={64} min={0} max={32768} placeholder="512" hint="tokens a reasoning model may think, beside max tokens" />
            <TriStateField path={["roles", i, "thinking", "share"]} label="Peers see its thoughts" defaultText="off" />
          </div>
          <FieldIssues path={["roles", i]} />
        </fieldset>
      ))}
    </Section>
  );
}
