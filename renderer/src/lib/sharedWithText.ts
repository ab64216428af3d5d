/**
 * "model file shared with critic, critic of another session": the seats a seat shares its model
 * process with, each said once, and told apart when another session has a role of the same name.
 */
import type { SeatRef } from "../../../shared/slots.js";

export function sharedWithText(sharedWith: readonly SeatRef[], ownSession: string | null): string {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const w of sharedWith) {
    const where = w.sessionId === ownSession ? "" : w.sessionId === null ? " (lab)" : " of another session";
    const name = `${w.role}${where}`;
    if (seen.has(name)) continue;
    seen.add(name);
    names.push(name);
  }
  const others = names.filter((n) => n.endsWith(" of another session")).length;
  const shown = names.filter((n) => !n.endsWith(" of another session"));
  if (others > 1) shown.push(`${others} seats of other sessions`);
  else if (others === 1) shown.push(names.find((n) => n.endsWith(" of another session"))!);
  return `model file shared with ${shown.join(", ")}`;
}
