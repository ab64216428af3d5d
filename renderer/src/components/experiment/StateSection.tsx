/**
 * The state stage: a cheap role condenses the conversation into typed fields before every round.
 * Each field has a name, a type and its range (number min..max, string length, enum values).
 */
import { useState } from "react";
import { draftRoleNames, getAt, isObject, type DraftPath } from "../../lib/experimentDraft";
import { useShallow } from "zustand/react/shallow";
import { useExperimentDraft } from "../../stores/experimentDraftStore";
import { FieldIssues, NumberField, Section, SelectField, useDraftValue } from "./fields";

const TYPES = ["number", "string", "enum", "boolean"] as const;
type FieldType = (typeof TYPES)[number];

const BLANK: Record<FieldType, Record<string, unknown>> = {
  number: { type: "number", min: 0, max: 1 },
  string: { type: "string", maxLength: 200 },
  enum: { type: "enum", values: ["a", "b"] },
  boolean: { type: "boolean" },
};

export function StateSection() {
  const state = useDraftValue(["state"]);
  const roles = useExperimentDraft(useShallow((s) => draftRoleNames(s.draft)));
  const set = useExperimentDraft((s) => s.setAt);
  const on = state !== undefined;
  return (
    <Section
      title="State stage"
      actions={
        <label className="check small">
          <input
            type="checkbox"
            checked={on}
            onChange={(e) => set(["state"], e.target.checked ? { role: roles.at(-1) ?? "", fields: { agreement: BLANK.number } } : undefined)}
          />
          Track structured state
        </label>
      }
    >
      <FieldIssues path={["state"]} />
      {on && (
        <>
          <div className="row wrap">
            <SelectField path={["state", "role"]} label="State role" options={roles} />
            <NumberField path={["state", "attempts"]} label="Attempts" step={1} min={1} max={5} placeholder="default" />
            <NumberField path={["state", "maxTokens"]} label="State max tokens" step={1} min={1} max={1024} placeholder="default" />
          </div>
          <StateFields />
        </>
      )}
    </Section>
  );
}

function StateFields() {
  const fields = useDraftValue(["state", "fields"]);
  const record = isObject(fields) ? fields : {};
  const set = useExperimentDraft((s) => s.setAt);
  const names = Object.keys(record);
  const rename = (from: string, to: string): void => {
    // Rebuilt in order, so renaming does not move the field to the end of the file.
    set(["state", "fields"], Object.fromEntries(Object.entries(record).map(([k, v]) => [k === from ? to : k, v])));
  };
  const remove = (name: string): void => set(["state", "fields"], Object.fromEntries(Object.entries(record).filter(([k]) => k !== name)));
  const add = (): void => {
    let n = names.length + 1;
    while (`field${n}` in record) n++;
    set(["state", "fields"], { ...record, [`field${n}`]: BLANK.number });
  };
  return (
    <fieldset className="field list-editor">
      <legend>State fields</legend>
      {names.map((name, i) => (
        <div key={i} className="list-row" role="group" aria-label={`State field ${i + 1}`}>
          <div className="row wrap">
            <label className="field">
              <span>{`State field ${i + 1} name`}</span>
              <input className="input" value={name} onChange={(e) => rename(name, e.target.value)} />
            </label>
            <FieldTypeEditor name={name} index={i} />
            <button type="button" className="icon-btn" aria-label={`Remove state field ${i + 1}`} onClick={() => remove(name)}>
              ×
            </button>
          </div>
          <FieldIssues path={["state", "fields", name]} />
          <FieldIssues path={["state", "fields", name, "type"]} />
        </div>
      ))}
      <button type="button" className="btn small" onClick={add}>
        Add state field
      </button>
      <FieldIssues path={["state", "fields"]} />
    </fieldset>
  );
}

function FieldTypeEditor({ name, index }: { name: string; index: number }) {
  const path = ["state", "fields", name] as const;
  const field = useExperimentDraft((s) => getAt(s.draft, path));
  const set = useExperimentDraft((s) => s.setAt);
  const type = isObject(field) && typeof field.type === "string" ? field.type : "number";
  const label = `State field ${index + 1}`;
  const values = isObject(field) && Array.isArray(field.values) ? field.values.join(", ") : "";
  return (
    <>
      <label className="field">
        <span>{`${label} type`}</span>
        <select className="input" value={type} onChange={(e) => set(path, BLANK[e.target.value as FieldType])}>
          {TYPES.map((t) => (
            <option key={t} value={t}>{t}</option>
          ))}
        </select>
      </label>
      {type === "number" && (
        <>
          <NumberField path={[...path, "min"]} label={`${label} min`} />
          <NumberField path={[...path, "max"]} label={`${label} max`} />
        </>
      )}
      {type === "string" && <NumberField path={[...path, "maxLength"]} label={`${label} max length`} step={1} min={1} max={2000} />}
      {type === "enum" && <EnumValues path={[...path, "values"]} label={`${label} values (comma-separated)`} initial={values} />}
    </>
  );
}

/** Enum values as typed text (so a trailing comma can be typed), stored as the trimmed list. */
function EnumValues({ path, label, initial }: { path: DraftPath; label: string; initial: string }) {
  const [text, setText] = useState(initial);
  const set = useExperimentDraft((s) => s.setAt);
  return (
    <div className="field grow">
      <label>
        <span>{label}</span>
        <input
          className="input"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            set(path, e.target.value.split(",").map((v) => v.trim()).filter((v) => v !== ""));
          }}
        />
      </label>
      <FieldIssues path={path} />
    </div>
  );
}
