import { test } from "node:test";
import assert from "node:assert/strict";
import { SlotStatus } from "../../../shared/slots.js";
import { Slot } from "./Slot.js";
import { IllegalSlotTransition, SLOT_TRANSITIONS, canMove } from "./slotTransitions.js";

test("the transition table covers every status and only names real ones", () => {
  assert.deepEqual(Object.keys(SLOT_TRANSITIONS).sort(), [...SlotStatus.options].sort());
  for (const targets of Object.values(SLOT_TRANSITIONS)) for (const t of targets) assert.ok(SlotStatus.options.includes(t));
  // Nothing generates without having been loaded, and a load never skips to generating.
  assert.equal(canMove("empty", "generating"), false);
  assert.equal(canMove("loading", "generating"), false);
  assert.equal(canMove("parked", "generating"), false);
  assert.equal(canMove("ready", "generating"), true);
});

test("a seat changes status only through the table, with one event per change", () => {
  const seen: string[] = [];
  const slot = new Slot("s1", "critic", (s) => seen.push(`${s.status}${s.error ? `:${s.error}` : ""}`));
  slot.moveTo("loading");
  slot.moveTo("ready");
  slot.moveTo("ready");
  slot.moveTo("generating");
  assert.throws(() => slot.moveTo("loading"), IllegalSlotTransition);
  slot.moveTo("error", "process died");
  slot.moveTo("loading");
  assert.deepEqual(seen, ["loading", "ready", "generating", "error:process died", "loading"]);
  assert.equal(slot.error, null, "leaving the error state clears the reason");
});
