/**
 * The policies a user picks by name: `first` has no opinion (pool order decides), `weighted`
 * follows weights, `cost` takes the cheapest backend, and `learned` reads outcomes recorded in a real
 * SQLite store the first time it is asked, leaving out sessions of the running engine.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { BackendConfig } from "../types.js";
import { cheapestPolicy } from "./cost.js";
import { namedPolicy } from "./namedPolicy.js";
import { learnedFromStore } from "./learnedFromStore.js";
import { LearnedWeights } from "./learned.js";
import { openStore } from "../../data/store/sessionStore.js";

const cfg = (name: string, prices: [number, number] = [0, 0], weight = 1) =>
  BackendConfig.parse({ name, provider: "openai", pricePer1kInput: prices[0], pricePer1kOutput: prices[1], weight });

test("cost: the cheapest backend at blended prices, free first, ties in pool order", () => {
  const candidates = [cfg("cloud", [0.5, 1.5]), cfg("mini", [0.15, 0.6]), cfg("local"), cfg("spare")];
  assert.deepEqual(cheapestPolicy({ task: "t", role: "r", candidates }), { backend: "local", reason: "cheapest: local is free" });
  const paid = cheapestPolicy({ task: "t", role: "r", candidates: candidates.slice(0, 2) });
  assert.equal(paid?.backend, "mini");
  assert.match(paid?.reason ?? "", /^cheapest: mini at \$0\.24 per 1K tokens \(blended\)$/);
  // Output is priced higher: cheap output wins over cheap input at these ratios.
  assert.equal(cheapestPolicy({ task: "t", role: "r", candidates: [cfg("in", [0.1, 2]), cfg("out", [0.3, 0.3])] })?.backend, "out");
  assert.equal(cheapestPolicy({ task: "t", role: "r", candidates: [] }), null);
});

test("names map to policies; first has no opinion", () => {
  const learned = { weights: new LearnedWeights() };
  const ctx = { task: "a task", role: "r", candidates: [cfg("a", [0, 0], 0), cfg("b", [1, 1], 2)] };
  assert.equal(namedPolicy("first", learned), null);
  assert.equal(namedPolicy("weighted", learned)?.(ctx)?.backend, "b", "weight 0 is never picked");
  assert.equal(namedPolicy("cost", learned)?.(ctx)?.backend, "a");
  assert.equal(namedPolicy("learned", learned)?.(ctx), null, "no outcomes, no opinion");
});

test("learned: seeded once from the sessions stored before the engine opened", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "conclave-learned-"));
  const store = openStore(path.join(dir, "s.db"));
  try {
    const session = (createdAt: number) =>
      store.createSession({ title: "t", task: "t", protocolKind: "pipeline", experiment: {}, status: "completed", createdAt }).id;
    const say = (sessionId: string, backend: string, tps: number) =>
      store.appendMessage({
        sessionId, from: "a", to: "all", type: "answer", content: "x",
        provenance: { modelName: "m", fingerprint: "f", quantization: "q", sampling: { temperature: 0.7, maxTokens: 32 }, seed: null },
        usage: { promptTokens: 10, completionTokens: 20, ttftMs: 5, tokensPerSec: tps }, routing: { backend, reason: "r" },
      });
    const old = session(1000);
    for (let i = 0; i < 4; i++) {
      const fast = say(old, "fast", 200);
      const slow = say(old, "slow", 4);
      store.recordVote({ sessionId: old, voter: "v", targetMessageId: fast.id, score: 0.9 });
      store.recordVote({ sessionId: old, voter: "v", targetMessageId: slow.id, score: 0.1 });
    }
    const openedAt = 2000;
    // A session of the running engine: the pool records its turns live, so seeding skips it.
    const mine = session(3000);
    for (let i = 0; i < 30; i++) say(mine, "slow", 1000);

    const source = learnedFromStore(store, openedAt);
    assert.equal(source.weights.outcomes("fast"), 0, "nothing is read before the policy is asked");
    const choice = namedPolicy("learned", source)?.({ task: "t", role: "r", candidates: [cfg("slow"), cfg("fast")] });
    assert.equal(choice?.backend, "fast");
    assert.match(choice?.reason ?? "", /^learned weights: score 0\.\d+ over 4 outcomes$/);
    assert.equal(source.weights.outcomes("slow"), 4, "only the earlier session was read");
    namedPolicy("learned", source)?.({ task: "t", role: "r", candidates: [cfg("slow")] });
    assert.equal(source.weights.outcomes("slow"), 4, "seeded once");
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
