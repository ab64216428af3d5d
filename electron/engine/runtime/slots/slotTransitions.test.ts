import { test } from "node:test";
import assert from "node:assert/strict";
import { SlotStatus } from "../../../../shared/slots.js";
import { Slot } from "./Slot.js";
import { IllegalSlotTransition, SLOT_TRANSITIONS, StaleSlotTransition, canMove } from "./slotTransitions.js";

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
  slot.moveTo("empty", "loading");
  slot.moveTo("loading", "ready");
  slot.moveTo("ready", "ready");
  slot.moveTo("ready", "generating");
  assert.throws(() => slot.moveTo("generating", "loading"), IllegalSlotTransition);
  slot.moveTo("generating", "error", "process died");
  slot.moveTo("error", "loading");
  assert.deepEqual(seen, ["loading", "ready", "generating", "error:process died", "loading"]);
  assert.equal(slot.error, null, "leaving the error state clears the reason");
});

test("a change names the status it expects, and a stale expectation is refused without an event", () => {
  const seen: string[] = [];
  const slot = new Slot("s1", "critic", (s) => seen.push(s.status));
  slot.moveTo("empty", "loading");
  assert.throws(
    () => slot.moveTo("swapping", "ready"),
    (e: unknown) => e instanceof StaleSlotTransition && /expected in 'swapping' to go to 'ready', but it is 'loading'/.test(e.message),
  );
  assert.equal(slot.status, "loading", "the refused change left the seat as it was");
  slot.moveTo(["swapping", "loading"], "ready");
  assert.deepEqual(seen, ["loading", "ready"], "one event per change, none for the refused one");
});
