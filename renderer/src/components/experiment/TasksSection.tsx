/**
 * "Tasks & evaluation": a task set (an inline list, or a JSONL/CSV/YAML file the host reads), how
 * each answer is checked, the pattern that pulls the answer out of a message, and the same-budget
 * baseline the committee is compared with. With a task set the editor runs an evaluation — one
 * committee session per task — instead of a single session.
 */
import { useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { draftRoleNames } from "../../lib/experimentDraft";
import { useExperimentDraft } from "../../stores/experimentDraftStore";
import { FieldIssues, NumberField, Section, SelectField, TextField, TriStateField, useDraftValue } from "./fields";
import { ListEditor } from "./ListEditor";

const CHECKS = ["exact", "regex", "numeric", "json-schema", "judge"] as const;
const BASELINES = ["self-consistency", "best-of-n", "single"] as const;

export function TasksSection() {
  const tasks = useDraftValue(["tasks"]);
  const set = useExperimentDraft((s) => s.setAt);
  const mode = Array.isArray(tasks) ? "inline" : typeof tasks === "string" ? "file" : "none";
  return (
    <Section title="Tasks & evaluation">
      <p className="muted small">
        With a task set the committee runs once per task; each result is checked and compared with one model spending the same tokens (the
        baseline). Results: the Results tab and <code>results.json</code>.
      </p>
      <label className="field">
        <span>Task set</span>
        <select
          className="input"
          aria-label="Task set"
          value={mode}
          onChange={(e) => set(["tasks"], e.target.value === "inline" ? [{ id: "t1", prompt: "" }] : e.target.value === "file" ? "tasks.jsonl" : undefined)}
        >
          <option value="none">none (a single session on the task)</option>
          <option value="inline">inline list</option>
          <option value="file">file (.jsonl, .csv, .yaml)</option>
        </select>
      </label>
      {mode === "inline" && (
        <ListEditor
          path={["tasks"]}
          label="Tasks"
          itemLabel="Task"
          hint="Each task's prompt follows the experiment's task, which frames it."
          blank={() => ({ id: `t${(Array.isArray(tasks) ? tasks.length : 0) + 1}`, prompt: "" })}
          fields={(i) => (
            <>
              <TextField path={["tasks", i, "id"]} label={`Task ${i + 1} id`} />
              <TextField path={["tasks", i, "prompt"]} label={`Task ${i + 1} prompt`} className="grow" />
              <TextField path={["tasks", i, "reference"]} label={`Task ${i + 1} reference`} placeholder="optional" />
            </>
          )}
        />
      )}
      {mode === "file" && <TextField path={["tasks"]} label="Task file" hint="Lines of {id, prompt, reference?}; a relative path resolves against the folder the host runs in." />}
      {mode !== "none" && (
        <>
          <CheckFields />
          <TextField path={["extract"]} label="Extract answer (regex)" placeholder="whole message" hint="The last match counts; its first group when it has one." />
          <NumberField
            path={["execution", "concurrency"]}
            label="Tasks at once"
            step={1}
            min={1}
            max={64}
            placeholder="1"
            hint="Each in its own session; lowered to what the memory budget holds. results.json is the same as one at a time."
          />
          <BaselineFields />
        </>
      )}
    </Section>
  );
}

function CheckFields() {
  const kind = useDraftValue(["check", "kind"]);
  const set = useExperimentDraft((s) => s.setAt);
  const current = typeof kind === "string" ? kind : "";
  return (
    <div className="row wrap">
      <label className="field">
        <span>Check</span>
        <select className="input" aria-label="Check" value={current} onChange={(e) => set(["check"], e.target.value === "" ? undefined : { kind: e.target.value })}>
          <option value="">none (answers reported, compared by the members' blind vote)</option>
          {CHECKS.map((c) => (
            <option key={c} value={c}>{c}</option>
          ))}
        </select>
      </label>
      {(current === "exact" || current === "regex") && <TriStateField path={["check", "caseSensitive"]} label="Case sensitive" defaultText="off" />}
      {current === "regex" && <TextField path={["check", "pattern"]} label="Pattern" placeholder="the task's reference" />}
      {current === "numeric" && (
        <>
          <NumberField path={["check", "tolerance"]} label="Tolerance" min={0} placeholder="0" />
          <TriStateField path={["check", "relative"]} label="Relative tolerance" defaultText="off" />
        </>
      )}
      {current === "json-schema" && <SchemaField />}
      {current === "judge" && (
        <>
          <TextField path={["check", "judge"]} label="Judge" hint="A role name (its model grades) or a model reference." />
          <TextField path={["check", "instruction"]} label="Judge instruction" placeholder="optional" />
        </>
      )}
      <FieldIssues path={["check"]} />
    </div>
  );
}

/** The JSON Schema as text, stored once it parses as an object. */
function SchemaField() {
  const schema = useDraftValue(["check", "schema"]);
  const set = useExperimentDraft((s) => s.setAt);
  const [text, setText] = useState(() => JSON.stringify(schema ?? { type: "object" }, null, 2));
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="field grow">
      <label>
        <span>JSON Schema</span>
        <textarea
          className="input mono"
          rows={4}
          value={text}
          aria-invalid={error !== null || undefined}
          onChange={(e) => {
            setText(e.target.value);
            try {
              const parsed: unknown = JSON.parse(e.target.value);
              if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("a schema is a JSON object");
              set(["check", "schema"], parsed);
              setError(null);
            } catch (err) {
              setError(err instanceof Error ? err.message : String(err));
            }
          }}
        />
      </label>
      {error && <span className="error-text small">check.schema: {error}</span>}
      <FieldIssues path={["check", "schema"]} />
    </div>
  );
}

function BaselineFields() {
  const kind = useDraftValue(["baseline", "kind"]);
  const roles = useExperimentDraft(useShallow((s) => draftRoleNames(s.draft)));
  const set = useExperimentDraft((s) => s.setAt);
  const current = typeof kind === "string" ? kind : "";
  return (
    <div className="row wrap">
      <label className="field">
        <span>Baseline</span>
        <select className="input" aria-label="Baseline" value={current} onChange={(e) => set(["baseline"], e.target.value === "" ? undefined : { kind: e.target.value, model: roles[0] ?? "" })}>
          <option value="">none</option>
          {BASELINES.map((b) => (
            <option key={b} value={b}>{b}</option>
          ))}
        </select>
      </label>
      {current !== "" && <SelectField path={["baseline", "model"]} label="Baseline model" options={roles} emptyLabel="first role's model" hint="One role's model samples as many tokens as the committee spent on each task." />}
      <FieldIssues path={["baseline"]} />
    </div>
  );
}
