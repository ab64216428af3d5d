/**
 * The editor's field controls. Each is bound to a path in the draft and shows the schema's issues
 * for exactly that path beside it (`roles[0].temperature: Too big: expected number to be <=5`), with
 * `aria-invalid` and `aria-describedby` so assistive technology reads the reason with the field.
 */
import { createContext, useContext, useId, type ReactNode } from "react";
import type { ExperimentIssue } from "../../../../shared/experiment.js";
import { fieldPath } from "../../../../shared/experiment.js";
import { getAt, type DraftPath } from "../../lib/experimentDraft";
import { useExperimentDraft } from "../../stores/experimentDraftStore";

/** The current errors and warnings, by field path. */
export const IssuesContext = createContext<{ errors: ExperimentIssue[]; warnings: ExperimentIssue[] }>({ errors: [], warnings: [] });

export function keyOf(path: DraftPath): string {
  return fieldPath(path as PropertyKey[]);
}

/** The draft's value at `path` (re-renders only when it changes). */
export function useDraftValue(path: DraftPath): unknown {
  return useExperimentDraft((s) => getAt(s.draft, path));
}

/** Issues at exactly `path`: errors and warnings, each as "path: reason". */
export function FieldIssues({ path, id }: { path: DraftPath; id?: string }) {
  const { errors, warnings } = useContext(IssuesContext);
  const key = keyOf(path);
  const mine = [...errors.filter((i) => i.path === key).map((i) => ({ ...i, tone: "error" })), ...warnings.filter((i) => i.path === key).map((i) => ({ ...i, tone: "warn" }))];
  if (mine.length === 0) return null;
  return (
    <span id={id} className="field-issues">
      {mine.map((i, n) => (
        <span key={n} className={i.tone === "error" ? "error-text small" : "warn-text small"} data-issue-path={i.path}>
          {i.path}: {i.message}
        </span>
      ))}
    </span>
  );
}

function useIssueProps(path: DraftPath): { invalid: boolean; describedBy: string; id: string } {
  const { errors } = useContext(IssuesContext);
  const key = keyOf(path);
  const id = useId();
  return { invalid: errors.some((i) => i.path === key), describedBy: `issue-${id}`, id: `field-${id}` };
}

interface FieldProps {
  path: DraftPath;
  label: string;
  hint?: string;
  className?: string;
}

/**
 * Label, control and the issues at its path. The issues sit outside the label, so a field's
 * accessible name stays its label and the reason is read as its description.
 */
function Field({ label, hint, className, path, describedBy, id, children }: FieldProps & { describedBy: string; id: string; children: ReactNode }) {
  return (
    <div className={`field ${className ?? ""}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && <small className="muted">{hint}</small>}
      <FieldIssues path={path} id={describedBy} />
    </div>
  );
}

export function TextField(props: FieldProps & { multiline?: boolean; placeholder?: string; rows?: number }) {
  const value = useDraftValue(props.path);
  const set = useExperimentDraft((s) => s.setAt);
  const { invalid, describedBy, id } = useIssueProps(props.path);
  const touch = useExperimentDraft((s) => s.touch);
  const common = {
    id,
    className: "input",
    onBlur: () => touch(props.path),
    value: typeof value === "string" ? value : "",
    placeholder: props.placeholder,
    "aria-invalid": invalid || undefined,
    "aria-describedby": describedBy,
  };
  return (
    <Field {...props} describedBy={describedBy} id={id}>
      {props.multiline ? (
        <textarea {...common} rows={props.rows ?? 3} onChange={(e) => set(props.path, e.target.value === "" ? undefined : e.target.value)} />
      ) : (
        <input {...common} onChange={(e) => set(props.path, e.target.value === "" ? undefined : e.target.value)} />
      )}
    </Field>
  );
}

/** A number, or nothing (the key is removed and the engine's default applies). */
export function NumberField(props: FieldProps & { step?: number; min?: number; max?: number; placeholder?: string }) {
  const value = useDraftValue(props.path);
  const set = useExperimentDraft((s) => s.setAt);
  const touch = useExperimentDraft((s) => s.touch);
  const { invalid, describedBy, id } = useIssueProps(props.path);
  return (
    <Field {...props} describedBy={describedBy} id={id} className={`${props.className ?? ""} num-field`}>
      <input
        id={id}
        className="input"
        type="number"
        step={props.step ?? "any"}
        min={props.min}
        max={props.max}
        placeholder={props.placeholder ?? "default"}
        value={typeof value === "number" ? value : ""}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        onBlur={() => touch(props.path)}
        onChange={(e) => set(props.path, e.target.value === "" ? undefined : Number(e.target.value))}
      />
    </Field>
  );
}

/** A choice among `options` (shown by `labels` where given); the empty option (when given a label) removes the key. */
export function SelectField(props: FieldProps & { options: readonly string[]; emptyLabel?: string; labels?: Readonly<Record<string, string>> }) {
  const value = useDraftValue(props.path);
  const set = useExperimentDraft((s) => s.setAt);
  const { invalid, describedBy, id } = useIssueProps(props.path);
  const current = typeof value === "string" ? value : "";
  // A value the options do not hold (a role renamed since) stays visible, so the error next to it makes sense.
  const options = current && !props.options.includes(current) ? [...props.options, current] : props.options;
  return (
    <Field {...props} describedBy={describedBy} id={id}>
      <select
        id={id}
        className="input"
        value={current}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        onChange={(e) => set(props.path, e.target.value === "" ? undefined : e.target.value)}
      >
        {props.emptyLabel !== undefined && <option value="">{props.emptyLabel}</option>}
        {options.map((o) => (
          <option key={o} value={o}>{props.labels?.[o] ?? o}</option>
        ))}
      </select>
    </Field>
  );
}

/** On, off, or left to the protocol's default (the key removed). */
export function TriStateField(props: FieldProps & { defaultText: string }) {
  const value = useDraftValue(props.path);
  const set = useExperimentDraft((s) => s.setAt);
  const { invalid, describedBy, id } = useIssueProps(props.path);
  return (
    <Field {...props} describedBy={describedBy} id={id}>
      <select
        id={id}
        className="input"
        value={value === true ? "on" : value === false ? "off" : ""}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        onChange={(e) => set(props.path, e.target.value === "" ? undefined : e.target.value === "on")}
      >
        <option value="">default ({props.defaultText})</option>
        <option value="on">on</option>
        <option value="off">off</option>
      </select>
    </Field>
  );
}

/**
 * A checklist of names stored as a list; an empty selection removes the key (the protocol's default
 * applies) rather than storing an empty list.
 */
export function NameChecklist({ path, label, names, hint }: { path: DraftPath; label: string; names: readonly string[]; hint?: string }) {
  const value = useDraftValue(path);
  const set = useExperimentDraft((s) => s.setAt);
  const picked = Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  const all = [...names, ...picked.filter((p) => !names.includes(p))];
  const toggle = (name: string, on: boolean): void => {
    const next = on ? [...picked, name] : picked.filter((p) => p !== name);
    set(path, next.length === 0 ? undefined : next);
  };
  return (
    <fieldset className="field">
      <legend>{label}</legend>
      <div className="pick-list">
        {all.map((n) => (
          <label key={n} className="check">
            <input type="checkbox" checked={picked.includes(n)} onChange={(e) => toggle(n, e.target.checked)} />
            {n}
          </label>
        ))}
      </div>
      {hint && <small className="muted">{hint}</small>}
      <FieldIssues path={path} />
      {picked.map((_, i) => (
        <FieldIssues key={i} path={[...path, i]} />
      ))}
    </fieldset>
  );
}

/** A section of the form: a heading and its fields, as a named group. */
export function Section({ title, children, actions }: { title: string; children: ReactNode; actions?: ReactNode }) {
  const id = useId();
  return (
    <section className="editor-section" aria-labelledby={id}>
      <header className="editor-section-head">
        <h3 id={id}>{title}</h3>
        {actions}
      </header>
      {children}
    </section>
  );
}
