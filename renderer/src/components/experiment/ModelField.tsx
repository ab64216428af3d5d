/**
 * A model for a role or a swap: a library model, or any reference typed by hand (a path on the
 * host, a library file name, an `hf:` URI or `generated:<preset>`), exactly as an experiment file
 * names it.
 */
import { useMemo, useState } from "react";
import type { DraftPath } from "../../lib/experimentDraft";
import { useExperimentDraft } from "../../stores/experimentDraftStore";
import { useLibrary } from "../../stores/libraryStore";
import { FieldIssues, keyOf, useDraftValue } from "./fields";

const TYPED = "__typed__";

export function ModelField({ path, label }: { path: DraftPath; label: string }) {
  const library = useLibrary((s) => s.library);
  const models = useMemo(() => library?.models.filter((m) => m.identity) ?? [], [library]);
  const value = useDraftValue(path);
  const set = useExperimentDraft((s) => s.setAt);
  const ref = typeof value === "string" ? value : "";
  const inLibrary = models.some((m) => m.ref === ref);
  const [typing, setTyping] = useState(!inLibrary && ref !== "");
  const issueId = `model-issue-${keyOf(path).replace(/[^\w-]/g, "_")}`;
  return (
    <div className="field model-field">
      <span>{label}</span>
      <div className="row">
        <select
          className="input grow"
          aria-label={label}
          value={typing || !inLibrary ? TYPED : ref}
          aria-describedby={issueId}
          onChange={(e) => {
            if (e.target.value === TYPED) setTyping(true);
            else {
              setTyping(false);
              set(path, e.target.value);
            }
          }}
        >
          {models.map((m) => (
            <option key={m.ref} value={m.ref}>
              {m.identity?.name} — {m.ref.split(/[\\/]/).pop()}
              {m.demo ? " (demo)" : ""}
            </option>
          ))}
          <option value={TYPED}>Other: type a reference…</option>
        </select>
      </div>
      {(typing || !inLibrary) && (
        <input
          className="input"
          aria-label={`${label} reference`}
          placeholder="/path/model.gguf, name.gguf, hf:org/repo/file.gguf or generated:tiny-chat"
          value={ref}
          onChange={(e) => set(path, e.target.value === "" ? undefined : e.target.value)}
        />
      )}
      <FieldIssues path={path} id={issueId} />
    </div>
  );
}
