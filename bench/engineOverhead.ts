/**
 * engineOverheadRatio: tokens per second of a committee turn through the whole stack — the bus
 * (role view, store commit), the TurnGenerator, the slot registry and its model process (IPC,
 * streamed tokens) — divided by tokens per second of the same model driven directly with
 * node-llama-cpp in this process. Same model, same turns, same sampling (greedy, so both sides
 * generate the same tokens), same token count; both timed end to end per turn, interleaved so
 * machine noise hits both alike. Aim: ≥ 0.97.
 */
import { defaultThreads } from "../electron/engine/runtime/worker/threads.js";
import os from "node:os";
import path from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { getLlama, LlamaChatSession, LlamaLogLevel } from "node-llama-cpp";
import { realTestModel } from "../models/test/testModels.js";
import { libraryResolver } from "../electron/engine/runtime/library/libraryResolver.js";
import { SlotRegistry } from "../electron/engine/runtime/slots/SlotRegistry.js";
import { SlotTurnGenerator } from "../electron/engine/conversation/bus/SlotTurnGenerator.js";
import { ConversationBus } from "../electron/engine/conversation/bus/ConversationBus.js";
import { roleView } from "../electron/engine/conversation/bus/perspective.js";
import { toChatHistory } from "../electron/engine/runtime/worker/chatHistory.js";
import { openStore } from "../electron/engine/data/store/sessionStore.js";

const TOKENS = 96;
const REPS = 8;
const CONTEXT = 1024;

export async function benchEngineOverhead(): Promise<{ ratio: number; committeeTps: number; rawTps: number }> {
  const modelPath = await realTestModel();
  const tmp = mkdtempSync(path.join(os.tmpdir(), "conclave-bench-bus-"));
  const store = openStore(path.join(tmp, "bench.db"));
  const llama = await getLlama({ build: "never", gpu: false, logLevel: LlamaLogLevel.error });
  // Both sides get the same thread count (the registry would otherwise re-split all cores per generation).
  const threads = defaultThreads(llama.cpuMathCores);
  llama.maxThreads = threads;
  const registry = new SlotRegistry({ resolver: libraryResolver({ modelsDir: tmp }), stateRoot: path.join(tmp, "state"), threads });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: CONTEXT });
  const chat = new LlamaChatSession({ contextSequence: context.getSequence(), autoDisposeSequence: false });
  try {
    await registry.load({ sessionId: null, role: "writer" }, modelPath, { contextSize: CONTEXT, sampling: { temperature: 0, maxTokens: TOKENS } });
    // Measure the steady state: the warm spare process starts after a load and would otherwise
    // share the CPU with the first turns.
    await registry.ready();
    const generator = new SlotTurnGenerator(registry);
    const session = store.createSession({ title: "bench", task: "Once upon a time", protocolKind: "debate", experiment: {} });
    const bus = new ConversationBus(session.id, store);
    bus.send({ from: "user", to: "all", type: "question", content: "Once upon a time, there was a little girl" });
    const view = roleView(bus.all(), "writer", { budgetTokens: 800 });

    const raw = { tokens: 0, ms: 0 };
    const ours = { tokens: 0, ms: 0 };
    for (let rep = 0; rep <= REPS; rep++) {
      // rep 0 warms both paths (model pages, grammar-free sampler set-up) and is not counted.
      const t0 = performance.now();
      const { history, prompt } = toChatHistory(view.turns);
      chat.setChatHistory(history);
      let rawTokens = 0;
      await chat.prompt(prompt, { maxTokens: TOKENS, temperature: 0, onToken: (t) => (rawTokens += t.length) });
      const rawMs = performance.now() - t0;

      const t1 = performance.now();
      // The view is rebuilt every turn (that is bus work) but from the opening only, so both sides
      // prompt with exactly the same turns.
      const turns = roleView(bus.all().slice(0, 1), "writer", { budgetTokens: 800 }).turns;
      const r = await generator.generateTurn("writer", { turns, sampling: { temperature: 0 } });
      bus.send({ from: "writer", to: ["writer"], type: "answer", content: r.text, usage: r.usage, provenance: r.provenance });
      const oursMs = performance.now() - t1;
      if (rep === 0) continue;
      raw.tokens += rawTokens;
      raw.ms += rawMs;
      ours.tokens += r.usage.completionTokens;
      ours.ms += oursMs;
    }
    const rawTps = (raw.tokens / raw.ms) * 1000;
    const committeeTps = (ours.tokens / ours.ms) * 1000;
    return { ratio: committeeTps / rawTps, committeeTps, rawTps };
  } finally {
    chat.dispose();
    await context.dispose();
    await model.dispose();
    await registry.dispose();
    store.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
