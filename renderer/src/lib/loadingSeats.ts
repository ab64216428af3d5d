/**
 * What the timeline says while a session's models load (before its first message): each role,
 * the model file it waits for, and how far its seat has got. Seats the engine has announced win;
 * roles not seated yet are named from the stored experiment.
 */
import { modelNameText } from "../../../shared/names.js";
import { seatKey, type SlotInfo } from "../../../shared/slots.js";
import type { SessionRole } from "./sessionRoles.js";

export interface LoadingSeat {
  role: string;
  /** The model's display name (file first), or null for a seat of the researcher's own. */
  model: string | null;
  /** In words: "waiting", "loading 40%", "ready", "parked until its turn", or the seat's error. */
  state: string;
}

function stateOf(slot: SlotInfo | undefined): string {
  if (!slot || slot.status === "empty") return "waiting";
  if (slot.status === "loading" || slot.status === "swapping") return slot.progress !== null ? `loading ${Math.round(slot.progress * 100)}%` : "loading";
  if (slot.status === "parked") return "parked until its turn";
  if (slot.status === "error") return slot.error ? `failed: ${slot.error}` : "failed";
  return "ready";
}

export function loadingSeats(sessionId: string, roles: readonly SessionRole[], slots: Readonly<Record<string, SlotInfo>>): LoadingSeat[] {
  return roles.map((r) => {
    const slot = slots[seatKey({ sessionId, role: r.name })];
    const model = slot?.model ? modelNameText(slot.model) : r.model || null;
    return { role: r.name, model, state: model === null && !slot ? "your seat" : stateOf(slot) };
  });
}

/** The placeholder's heading: which files load, in one line. */
export function loadingHeading(seats: readonly LoadingSeat[]): string {
  const files = [...new Set(seats.map((s) => s.model).filter((m): m is string => m !== null))];
  return files.length === 0 ? "Preparing the session…" : `Loading ${files.join(", ")}…`;
}
