/** The keyboard alternative to dragging: pick a role (or name a new one) for a library model. */
import { useState } from "react";
import { requestSwap } from "../lib/swap";
import { isCompareRole, useSlots } from "../stores/slotsStore";
import { useUi, type Dialog as DialogState } from "../stores/uiStore";
import { Dialog } from "./Dialog";

export function AssignDialog({ dialog }: { dialog: Extract<DialogState, { kind: "assign" }> }) {
  const slots = useSlots((s) => s.slots);
  const roles = Object.keys(slots).filter((r) => !isCompareRole(r)).sort();
  const [role, setRole] = useState(roles[0] ?? "");
  const close = useUi((s) => s.close);
  const valid = /^[a-zA-Z0-9_-]{1,64}$/.test(role);
  return (
    <Dialog title={`Assign ${dialog.modelName}`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) void requestSwap(role, dialog.modelRef, dialog.modelName);
        }}
      >
        <label className="field">
          <span>Role</span>
          <input className="input" list="assign-roles" aria-label="Role" value={role} onChange={(e) => setRole(e.target.value.trim())} autoFocus />
          <datalist id="assign-roles">
            {roles.map((r) => (
              <option key={r} value={r} />
            ))}
          </datalist>
        </label>
        <p className="muted small">An existing role is hot-swapped (its history carries over); a new name loads a new slot.</p>
        <footer className="dialog-foot">
          <button type="button" className="btn" onClick={close}>Cancel</button>
          <button type="submit" className="btn primary" disabled={!valid}>Continue</button>
        </footer>
      </form>
    </Dialog>
  );
}
