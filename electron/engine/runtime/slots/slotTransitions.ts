/**
 * The one table of a seat's allowed status changes. {@link Slot.moveTo} checks every change against
 * it, so a code path that would put a seat in an impossible state (generating without a model, a
 * swap out of `loading`) fails loudly where it happens instead of confusing the UI later.
 *
 * - A first load is a swap from nothing: `empty`/`parked` → `loading` → `ready` | `error`.
 * - A hot swap: `ready`/`parked`/`error` → `swapping` → `ready` | `parked` (kept a parked old model) | `error`.
 * - Rotation and eviction park a resident seat: `ready` → `parked`; the next turn reloads it.
 * - A crash moves any seat with a model to `error`; a reload starts from there.
 *
 * Every change also names the status it expects the seat to be in (a compare-and-swap): a caller
 * whose picture of the seat is stale — something else moved it while it awaited — fails with
 * {@link StaleSlotTransition} instead of silently overwriting the other change.
 */
import type { SlotStatus } from "../../../../shared/slots.js";

export const SLOT_TRANSITIONS: Readonly<Record<SlotStatus, readonly SlotStatus[]>> = {
  empty: ["loading", "parked", "swapping"],
  loading: ["ready", "error", "parked", "empty"],
  ready: ["generating", "swapping", "parked", "empty", "error"],
  generating: ["ready", "error"],
  swapping: ["ready", "parked", "error", "empty"],
  parked: ["loading", "swapping", "empty", "error"],
  error: ["loading", "swapping", "parked", "empty"],
};

/** A status change the table does not allow: a bug in the caller, never a user error. */
export class IllegalSlotTransition extends Error {
  constructor(
    readonly seat: string,
    readonly from: SlotStatus,
    readonly to: SlotStatus,
  ) {
    super(`seat ${seat} cannot go from '${from}' to '${to}'`);
    this.name = "IllegalSlotTransition";
  }
}

/** A change whose expected status is not the seat's current one: someone else moved the seat first. */
export class StaleSlotTransition extends Error {
  constructor(
    readonly seat: string,
    readonly expected: readonly SlotStatus[],
    readonly actual: SlotStatus,
    readonly to: SlotStatus,
  ) {
    super(`seat ${seat} was expected in '${expected.join("' or '")}' to go to '${to}', but it is '${actual}'`);
    this.name = "StaleSlotTransition";
  }
}

/** Whether `from` → `to` is allowed (staying put is not a transition and is never emitted). */
export function canMove(from: SlotStatus, to: SlotStatus): boolean {
  return SLOT_TRANSITIONS[from].includes(to);
}
