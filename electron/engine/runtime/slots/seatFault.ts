/**
 * A seat that cannot serve a turn because its model is gone: its process died, or reloading it
 * failed. This is a fault of the seat, handled by whoever owns it (a session reloads the seat once),
 * never a failure of the backend that carried the turn: backends do not count it, retry it or open
 * a circuit for it.
 */
import type { SeatRef } from "../../../../shared/slots.js";

export class SeatFaultError extends Error {
  readonly code = "seat-fault";
  readonly seat: SeatRef;
  constructor(slot: { ref: SeatRef; role: string }, reason: string) {
    super(`seat '${slot.role}' has no loaded model: ${reason}`);
    this.name = "SeatFaultError";
    this.seat = slot.ref;
  }
}

/** Whether an error is a seat fault (also across module copies, by its code). */
export function isSeatFault(error: unknown): error is SeatFaultError {
  return error instanceof SeatFaultError || (typeof error === "object" && error !== null && (error as { code?: unknown }).code === "seat-fault");
}
