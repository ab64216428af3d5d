import assert from "node:assert/strict";
import { test } from "node:test";
import { generatedModel } from "../../../models/test/testModels.js";
import { inspectGguf } from "../../../electron/engine/runtime/library/inspectGguf.js";
import { loadingHeading, loadingSeats } from "./loadingSeats.js";
import { modelNameText } from "../../../shared/names.js";
import { seatKey, SlotInfo } from "../../../shared/slots.js";

/** A seat as the engine announces it while loading, parsed by the contract so its shape is the real one. */
function seat(sessionId: string, role: string, identity: SlotInfo["model"], status: SlotInfo["status"], progress: number | null): SlotInfo {
  return SlotInfo.parse({
    sessionId, role, status, progress, error: null, model: identity, contextSize: 0, pinned: false, sessionPinned: true, lastUsedAt: 0,
    sampling: {}, metrics: { ttftMs: null, promptTokensPerSec: null, genTokensPerSec: null, tokensSoFar: 0, promptTokens: 0, generations: 0 },
    memory: { estimateBytes: 0, estimate: { weightsBytes: 0, contextBytes: 0, processBytes: 0 }, measuredBytes: null }, pid: null, sharedWith: [], contextTokens: 0, sequences: { total: 1, inUse: 0 },
  });
}

test("while models load, each role names its model file and how far its seat has got", async () => {
  const identity = await inspectGguf(await generatedModel("tiny-chat"));
  const roles = [
    { name: "teller", model: identity.fileName, backend: null, fallback: [] },
    { name: "critic", model: "other.gguf", backend: null, fallback: [] },
    { name: "you", model: "", backend: null, fallback: [] },
  ];
  // Keyed by the contract's seat key, as the slots store keys them.
  const keyed = loadingSeats("s1", roles, { [seatKey({ sessionId: "s1", role: "teller" })]: seat("s1", "teller", identity, "loading", 0.4) });
  assert.equal(keyed.length, 3);
  assert.deepEqual(keyed[0], { role: "teller", model: modelNameText(identity), state: "loading 40%" });
  assert.deepEqual(keyed[1], { role: "critic", model: "other.gguf", state: "waiting" });
  assert.deepEqual(keyed[2], { role: "you", model: null, state: "your seat" });
  assert.equal(loadingHeading(keyed), `Loading ${modelNameText(identity)}, other.gguf…`);
  assert.equal(loadingHeading([]), "Preparing the session…");
});
