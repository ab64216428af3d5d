import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { BackendConfig } from "../types.js";
import { weightedPolicy } from "./policy.js";
import { firstOf } from "./test/firstOf.js";
import { complexityPolicy, rulesPolicy } from "./test/rules.js";
import { LearnedWeights } from "./learned.js";
import type { Message, Vote } from "../../../../shared/conversation.js";

const cfg = (name: string, weight = 1) => BackendConfig.parse({ name, provider: "openai", weight });
const candidates = [cfg("local", 3), cfg("cloud", 1)];

describe("routing policies", () => {
  test("rules: the first matching pattern whose backend is a candidate", () => {
    const p = rulesPolicy([{ pattern: "prove|derive", backend: "cloud" }, { pattern: ".*", backend: "local" }]);
    assert.deepEqual(p({ task: "Prove it", role: "r", candidates }), { backend: "cloud", reason: "rule 1 /prove|derive/i matched" });
    assert.equal(p({ task: "Prove it", role: "r", candidates: [cfg("local")] })?.backend, "local");
  });

  test("complexity: seed 000's score picks a band", () => {
    const p = complexityPolicy([{ upTo: 0.3, backend: "local" }, { upTo: 1, backend: "cloud" }]);
    assert.equal(p({ task: "Hi", role: "r", candidates })?.backend, "local");
    const hard = "Why? Explain and derive step by step: 3*(4+5)=27, 2^10=1024, (7-2)/5=1? " + "word ".repeat(100);
    assert.match(p({ task: hard, role: "r", candidates })?.reason ?? "", /^complexity 0\.\d+ ≤ 1$/);
    assert.equal(p({ task: hard, role: "r", candidates })?.backend, "cloud");
  });

  test("weights: deterministic per task, distributed by weight", () => {
    const once = weightedPolicy({ task: "t1", role: "r", candidates });
    assert.deepEqual(weightedPolicy({ task: "t1", role: "r", candidates }), once);
    let local = 0;
    for (let i = 0; i < 2000; i++) if (weightedPolicy({ task: `task ${i}`, role: "r", candidates })?.backend === "local") local++;
    assert.ok(local > 1350 && local < 1650, `~75% local, got ${local}`);
  });

  test("learned weights prefer the backend with better outcomes; firstOf composes", () => {
    const w = new LearnedWeights();
    const learned = w.policy();
    assert.equal(learned({ task: "t", role: "r", candidates }), null, "no opinion before outcomes");
    for (let i = 0; i < 10; i++) {
      w.record({ backend: "cloud", ok: i % 2 === 0, latencyMs: 900, cost: 0.01, vote: 0.3 });
      w.record({ backend: "local", ok: true, latencyMs: 300, cost: 0, vote: 0.8 });
    }
    const s = w.scores(["local", "cloud"]);
    assert.ok((s.get("local") ?? 0) > (s.get("cloud") ?? 1));
    assert.equal(firstOf(rulesPolicy([]), learned, weightedPolicy)({ task: "t", role: "r", candidates })?.backend, "local");
  });

  test("learned weights read stored sessions: routing, usage and votes", () => {
    const msg = (id: string, backend: string, tps: number): Message => ({
      id, sessionId: "s", seq: 1, from: "a", to: "all", type: "answer", content: "x", referencesTo: [], confidence: null,
      provenance: null, usage: { promptTokens: 10, completionTokens: 20, ttftMs: 5, tokensPerSec: tps }, createdAt: 1, round: 1, repairs: [],
      routing: { backend, reason: "r" },
    });
    const vote = (target: string, score: number): Vote => ({ sessionId: "s", voter: "v", targetMessageId: target, score, rank: null, rankOf: null, round: 1, rationale: "", messageId: null, createdAt: 1 });
    const w = new LearnedWeights();
    assert.equal(w.learnFromSession([msg("m1", "fast", 100), msg("m2", "slow", 5)], [vote("m1", 0.9), vote("m2", 0.1)]), 2);
    assert.equal(w.policy()({ task: "t", role: "r", candidates: [cfg("fast"), cfg("slow")] })?.backend, "fast");
  });
});

test("a backend rule whose pattern backtracks catastrophically is matched in linear time", { timeout: 120_000 }, () => {
  const p = rulesPolicy([{ pattern: "^(a+)+$", backend: "cloud" }, { pattern: "b$", backend: "local" }]);
  assert.equal(p({ task: `${"a".repeat(40)}b`, role: "r", candidates })?.backend, "local");
});
