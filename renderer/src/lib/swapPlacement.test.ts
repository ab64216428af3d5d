/** Placing a swap after the old model's last turn, and reading its predicted and measured cost together. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { MessageDraft, type Message } from "../../../shared/conversation.js";
import { SwapEvent, type ModelIdentity } from "../../../shared/slots.js";
import { timelineItems } from "./timelineOrder.js";
import { swapCostText, swapPlace } from "./swapPlacement.js";

const model = (name: string): ModelIdentity => ({
  path: `/m/${name}.gguf`, fileName: `${name}.gguf`, name, sizeBytes: 1, fingerprint: `fp1:${name}`, architecture: "llama",
  parameterCount: 1, quantization: "F32", trainContextSize: 128, vocabSize: 32, hasChatTemplate: false,
});
const message = (seq: number, from: string, createdAt: number, by: ModelIdentity | null): Message =>
  ({
    ...MessageDraft.parse({
      sessionId: "s", from, to: "all", type: from === "system" ? "system" : "proposal", content: `#${seq}`,
      ...(by ? { provenance: { modelName: by.name, fingerprint: by.fingerprint, quantization: "F32", sampling: {}, seed: 1, fileName: by.fileName } } : {}),
    }),
    id: `m${seq}`, seq, createdAt,
  }) as Message;
const swap = SwapEvent.parse({
  sessionId: "s", role: "critic", from: model("old"), to: model("new"), outcome: "ok", error: null, unloadMs: 86, loadMs: 1000, prefillMs: 200,
  tokensReingested: 10, tokensEvaluated: 10, historyTokens: 10, historyTurns: 2, keptTurns: 2, droppedTurns: 0, compression: null,
  usedSavedState: false, predictedMs: 377, at: 1500,
});

test("a swap that starts while the old model writes a turn is placed after that turn", () => {
  // #16 was being written by the old model when the swap began at 1500 and was stored at 2000.
  const messages = [message(15, "teller", 1000, model("t")), message(16, "critic", 2000, model("old")), message(17, "system", 2001, null), message(18, "critic", 3000, model("new"))];
  assert.equal(swapPlace(swap, messages), 2000.5);
  const order = timelineItems(messages, [swap], {}, [], [], ["teller", "critic"]).map((i) => (i.kind === "message" ? `#${i.message.seq}` : i.kind));
  assert.deepEqual(order, ["#15", "#16", "swap", "#17", "#18"]);
  // A swap between turns stays where its time puts it.
  const between = [message(15, "critic", 1000, model("old")), message(16, "critic", 3000, model("new"))];
  assert.equal(swapPlace(swap, between), 1500);
});

test("a swap reads its prediction beside what it took", () => {
  assert.equal(swapCostText(swap), "predicted 377 ms · took 1.29 s");
  assert.equal(swapCostText({ ...swap, predictedMs: null }), "took 1.29 s");
});
