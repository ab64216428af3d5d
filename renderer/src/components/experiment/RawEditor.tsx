/**
 * The whole experiment as JSON or YAML text. Every valid edit replaces the draft, so fields the form
 * does not show are edited here and round-trip through import, export and the form.
 */
import { useState } from "react";
import { parseDraft, serializeDraft, type ExperimentFormat } from "../../lib/experimentDraft";
import { useExperimentDraft } from "../../stores/experimentDraftStore";

export function RawEditor() {
  const replace = useExperimentDraft((s) => s.replace);
  const [format, setFormat] = useState<ExperimentFormat>("json");
  const [text, setText] = useState(() => serializeDraft(useExperimentDraft.getState().draft, "json"));
  const [syntax, setSyntax] = useState<string | null>(null);
  const edit = (next: string): void => {
    setText(next);
    const parsed = parseDraft(next, format);
    if ("error" in parsed) setSyntax(parsed.error);
    else {
      setSyntax(null);
      replace(parsed.draft);
    }
  };
  const switchTo = (next: ExperimentFormat): void => {
    setFormat(next);
    // Text that does not parse is kept as typed; otherwise the draft is shown in the new syntax.
    if (syntax === null) setText(serializeDraft(useExperimentDraft.getState().draft, next));
  };
  return (
    <div className="raw-editor">
      <div className="row">
        <label className="field">
          <span>Syntax</span>
          <select className="input" value={format} onChange={(e) => switchTo(e.target.value === "yaml" ? "yaml" : "json")}>
            <option value="json">JSON</option>
            <option value="yaml">YAML</option>
          </select>
        </label>
        <small className="muted grow">Edits here change the whole experiment, including fields the form does not show.</small>
      </div>
      <textarea
        className="input code"
        aria-label="Experiment source"
        spellCheck={false}
        rows={24}
        value={text}
        aria-invalid={syntax !== null || undefined}
        onChange={(e) => edit(e.target.value)}
      />
      {syntax && <p className="error-text" role="alert">{syntax}</p>}
    </div>
  );
}
