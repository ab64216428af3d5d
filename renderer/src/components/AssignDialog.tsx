/** The keyboard alternative to dragging: pick a seat (or name a new lab role) for a library model. */
import { useState } from "react";
import { requestSwap } from "../lib/swap";
import { isBlindSeat, useSlots } from "../stores/slotsStore";
import { useSessions } from "../stores/sessionsStore";
import { useUi, type Dialog as DialogState } from "../stores/uiStore";
import { Dialog } from "./Dialog";

const LAB = "lab";

export function AssignDialog({ dialog }: { dialog: Extract<DialogState, { kind: "assign" }> }) {
  const slots = useSlots((s) => s.slots);
  const sessions = useSessions((s) => s.sessions);
  const activeId = useSessions((s) => s.activeId);
  const seats = Object.values(slots)
    .filter((s) => !isBlindSeat(s, sessions) && (s.sessionId === null || s.sessionId === activeId))
    .sort((a, b) => a.role.localeCompare(b.role));
  const [choice, setChoice] = useState(seats[0] ? `${seats[0].sessionId ?? LAB}/${seats[0].role}` : "");
  const [newRole, setNewRole] = useState("");
  const close = useUi((s) => s.close);
  const picked = seats.find((s) => `${s.sessionId ?? LAB}/${s.role}` === choice);
  const validNew = /^[a-zA-Z0-9_-]{1,64}$/.test(newRole);
  return (
    <Dialog title={`Assign ${dialog.modelName}`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (validNew) void requestSwap(null, newRole, dialog.modelRef, dialog.modelName);
          else if (picked) void requestSwap(picked.sessionId, picked.role, dialog.modelRef, dialog.modelName);
        }}
      >
        <label className="field">
          <span>Seat</span>
          <select className="input" aria-label="Seat" value={choice} onChange={(e) => setChoice(e.target.value)} autoFocus>
            {seats.map((s) => (
              <option key={`${s.sessionId ?? LAB}/${s.role}`} value={`${s.sessionId ?? LAB}/${s.role}`}>
                {s.role} {s.sessionId === null ? "(lab)" : "(this session)"}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Or a new lab role</span>
          <input className="input" aria-label="New lab role" placeholder="e.g. critic" value={newRole} onChange={(e) => setNewRole(e.target.value.trim())} />
        </label>
        <p className="muted small">A seat that has a model is hot-swapped (its history carries over); a new name loads a new lab seat.</p>
        <footer className="dialog-foot">
          <button type="button" className="btn" onClick={close}>Cancel</button>
          <button type="submit" className="btn primary" disabled={!validNew && !picked}>Continue</button>
        </footer>
      </form>
    </Dialog>
  );
}
