/**
 * "New role" in the registry: a name, then a model — dropped from the library, or picked here and
 * loaded with Enter or "Load…", which opens the load confirmation with its predicted cost.
 */
import { useState } from "react";
import { modelNameText } from "../../../shared/names.js";
import { requestSwap } from "../lib/swap";
import { useLibrary } from "../stores/libraryStore";

export function NewRoleField({ role, valid, onRole }: { role: string; valid: boolean; onRole: (role: string) => void }) {
  const models = (useLibrary((s) => s.library)?.models ?? []).filter((m) => m.identity);
  const [picked, setPicked] = useState("");
  const model = models.find((m) => m.ref === picked) ?? models[0];
  const load = (): void => {
    if (!valid || !model) return;
    void requestSwap(null, role, model.ref, modelNameText(model.identity ?? { path: model.ref }));
    onRole("");
  };
  return (
    <form
      className="new-role"
      onSubmit={(e) => {
        e.preventDefault();
        load();
      }}
    >
      <input className="input" aria-label="New role name" placeholder="new role, e.g. critic" value={role} onChange={(e) => onRole(e.target.value.trim())} />
      {valid && models.length > 0 && (
        <>
          <select className="input" aria-label={`Model for ${role}`} value={model?.ref ?? ""} onChange={(e) => setPicked(e.target.value)}>
            {models.map((m) => (
              <option key={m.ref} value={m.ref}>{modelNameText(m.identity ?? { path: m.ref })}</option>
            ))}
          </select>
          <button type="submit" className="btn small">Load…</button>
        </>
      )}
      {role !== "" && !valid && <span className="muted small">1–64 letters, digits, “_” or “-”, not a role already seated</span>}
    </form>
  );
}
