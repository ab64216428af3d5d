import { strict as assert } from "node:assert";
import { test } from "node:test";
import type { ModelIdentity, SwapEvent } from "../../../../shared/slots.js";
import { openStore } from "./sessionStore.js";
import { modelDraft, tempStore, testProvenance } from "./test/testSupport.js";

const model: ModelIdentity = {
  path: "/models/stories260K.gguf",
  fileName: "stories260K.gguf",
  name: "stories260K",
  sizeBytes: 1_185_376,
  fingerprint: "fp1:abc",
  architecture: "llama",
  parameterCount: 260_000,
  quantization: "F32",
  trainContextSize: 512,
  vocabSize: 512,
  hasChatTemplate: false,
};

test("sessions: create, status, list newest first, last", () => {
  const { store, cleanup } = tempStore();
  try {
    const a = store.createSession({ title: "A", task: "t", protocolKind: "roundtable", experiment: { seed: 1 }, createdAt: 1000 });
    const b = store.createSession({ id: "b", title: "B", task: "t", protocolKind: "compare", experiment: [1, "x"], createdAt: 2000 });
    assert.equal(a.status, "running");
    assert.equal(a.messageCount, 0);
    assert.deepEqual(b.experiment, [1, "x"]);
    assert.deepEqual(store.listSessions().map((s) => s.id), ["b", a.id]);
    assert.equal(store.lastSession()?.id, "b");
    const done = store.updateSessionStatus(a.id, "completed");
    assert.equal(done.status, "completed");
    assert.ok(done.updatedAt >= a.updatedAt);
    assert.throws(() => store.updateSessionStatus("nope", "paused"), /unknown session/);
    assert.throws(() => store.createSession({ title: "x", task: "t", protocolKind: "chat" as "debate", experiment: {} }));
    assert.equal(store.getSession("nope"), null);
  } finally {
    cleanup();
  }
});

test("appendMessage: seq per session, every field round-trips, bad input is rejected", () => {
  const { store, cleanup } = tempStore();
  try {
    const s1 = store.createSession({ title: "1", task: "t", protocolKind: "debate", experiment: {} });
    const s2 = store.createSession({ title: "2", task: "t", protocolKind: "debate", experiment: {} });
    const seqs = [s1, s2, s1, s1, s2].map((s) => store.appendMessage(modelDraft(s.id, "analyzer", "analysis", "hi")).seq);
    assert.deepEqual(seqs, [1, 1, 2, 3, 2]);

    const full = store.appendMessage({
      id: "m-full",
      sessionId: s1.id,
      from: "critic",
      to: ["analyzer", "chair"],
      type: "critique",
      content: "needs \"quotes\" and ünïcode",
      referencesTo: ["x1", "x2"],
      confidence: 0.25,
      provenance: testProvenance,
      usage: { promptTokens: 5, completionTokens: 7, ttftMs: null, tokensPerSec: 31.5 },
      createdAt: 1234,
      round: 2,
      repairs: ["confidence 1.7 clamped to 1"],
      routing: { backend: "llama", reason: "short prompt" },
    });
    assert.equal(full.seq, 4);
    assert.deepEqual(store.getMessage("m-full"), full);
    assert.equal(store.getMessage("missing"), null);

    const minimal = store.appendMessage({ sessionId: s1.id, from: "user", to: "all", type: "question", content: "why?" });
    assert.equal(minimal.confidence, null);
    assert.deepEqual(minimal.repairs, []);
    assert.equal(typeof minimal.id, "string");
    assert.deepEqual(store.getMessage(minimal.id), minimal);

    assert.throws(() => store.appendMessage(modelDraft("nope", "a", "answer", "x")), /unknown session nope/);
    assert.throws(() => store.appendMessage({ ...modelDraft(s1.id, "a", "answer", "x"), id: "m-full" }), /duplicate message id/);
    assert.throws(() => store.appendMessage(modelDraft(s1.id, "a", "answer", "x", { confidence: 1.5 })));
    assert.throws(() => store.appendMessage(modelDraft(s1.id, "bad name!", "answer", "x")));
    assert.throws(() => store.appendMessage(modelDraft(s1.id, "a", "shout" as "answer", "x")));
    assert.equal(store.getSession(s1.id)?.messageCount, 5);
  } finally {
    cleanup();
  }
});

test("listMessages: pages by afterSeq and filters by speaker and type", () => {
  const { store, cleanup } = tempStore();
  try {
    const s = store.createSession({ title: "p", task: "t", protocolKind: "roundtable", experiment: {} });
    const roles = ["analyzer", "critic", "chair"];
    const types = ["proposal", "critique", "summary"] as const;
    for (let i = 0; i < 25; i++) store.appendMessage(modelDraft(s.id, roles[i % 3] ?? "x", types[i % 3] ?? "answer", `m${i}`));

    const seen: number[] = [];
    let after = 0;
    let pages = 0;
    for (;;) {
      const page = store.listMessages(s.id, { afterSeq: after, limit: 10 });
      pages++;
      seen.push(...page.messages.map((m) => m.seq));
      if (page.nextAfterSeq === null) break;
      after = page.nextAfterSeq;
    }
    assert.equal(pages, 3);
    assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => i + 1));

    const exact = store.listMessages(s.id, { limit: 25 });
    assert.equal(exact.messages.length, 25);
    assert.equal(exact.nextAfterSeq, null, "a page that ends exactly at the end says so");

    const critic = store.listMessages(s.id, { roles: ["critic"], limit: 100 });
    assert.ok(critic.messages.every((m) => m.from === "critic"));
    assert.equal(critic.messages.length, 8);
    const mixed = store.listMessages(s.id, { roles: ["analyzer", "chair"], types: ["summary"], afterSeq: 10 });
    assert.deepEqual(mixed.messages.map((m) => m.seq), [12, 15, 18, 21, 24]);
    assert.deepEqual(store.listMessages(s.id, { roles: [] }).messages, []);
    assert.throws(() => store.listMessages(s.id, { limit: 0 }));
  } finally {
    cleanup();
  }
});

test("roleStats: counts, tokens, averages and votes received per speaker", () => {
  const { store, cleanup } = tempStore();
  try {
    const s = store.createSession({ title: "r", task: "t", protocolKind: "roundtable", experiment: {} });
    store.appendMessage({ sessionId: s.id, from: "user", to: "all", type: "question", content: "q" });
    const a1 = store.appendMessage(modelDraft(s.id, "analyzer", "proposal", "a1", { confidence: 0.6, usage: { promptTokens: 10, completionTokens: 4, ttftMs: 10, tokensPerSec: 40 } }));
    store.appendMessage(modelDraft(s.id, "analyzer", "revision", "a2", { confidence: 1, usage: { promptTokens: 30, completionTokens: 6, ttftMs: 30, tokensPerSec: 60 } }));
    const c1 = store.appendMessage(modelDraft(s.id, "critic", "critique", "c1", { confidence: null, usage: null }));
    store.recordVote({ sessionId: s.id, voter: "critic", targetMessageId: a1.id, score: 1 });
    store.recordVote({ sessionId: s.id, voter: "chair", targetMessageId: a1.id, score: 0.5 });
    store.recordVote({ sessionId: s.id, voter: "analyzer", targetMessageId: c1.id, rank: 1, rankOf: 2 });

    const stats = store.roleStats(s.id);
    assert.deepEqual(stats.map((r) => r.role), ["user", "analyzer", "critic"]);
    const analyzer = stats[1];
    assert.deepEqual(analyzer, {
      role: "analyzer",
      messages: 2,
      promptTokens: 40,
      completionTokens: 10,
      avgTokensPerSec: 50,
      avgTtftMs: 20,
      avgConfidence: 0.8,
      votesReceived: 2,
      avgVoteScore: 0.75,
    });
    assert.deepEqual(stats[2], {
      role: "critic", messages: 1, promptTokens: 0, completionTokens: 0, avgTokensPerSec: null, avgTtftMs: null,
      avgConfidence: null, votesReceived: 1, avgVoteScore: null,
    });
    assert.equal(stats[0]?.votesReceived, 0);
  } finally {
    cleanup();
  }
});

test("assignments, swaps, votes, ratings, metrics and settings round-trip", () => {
  const { store, cleanup } = tempStore();
  try {
    const s = store.createSession({ title: "x", task: "t", protocolKind: "roundtable", experiment: {} });
    const first = store.recordAssignment({ sessionId: s.id, role: "critic", model, systemPrompt: "Be harsh." });
    assert.equal(first.fromSeq, 1, "defaults to the next message");
    const m = store.appendMessage(modelDraft(s.id, "critic", "critique", "c"));
    const event: SwapEvent = {
      sessionId: s.id, role: "critic", kind: "manual", prefetched: false, predictedMs: 50, coldMs: 60, visibleGapMs: null, from: model, to: { ...model, fingerprint: "fp1:def", name: "other" }, outcome: "ok", error: null,
      unloadMs: 3, loadMs: 40, prefillMs: 9, tokensReingested: 120, tokensEvaluated: 120, historyTokens: 120, historyTurns: 4, keptTurns: 4, droppedTurns: 0,
      compression: null, usedSavedState: false, at: 5000,
    };
    const swap = store.recordSwap({ sessionId: s.id, event, round: 2 });
    assert.equal(swap.fromSeq, 2);
    store.recordAssignment({ sessionId: s.id, role: "critic", model: event.to });
    assert.deepEqual(store.listSwaps(s.id), [swap]);
    assert.deepEqual(store.listAssignments(s.id).map((a) => [a.fromSeq, a.model.name, a.systemPrompt]), [
      [1, "stories260K", "Be harsh."],
      [2, "other", null],
    ]);

    const vote = store.recordVote({ sessionId: s.id, voter: "chair", targetMessageId: m.id, rank: 2, rankOf: 3, round: 1, rationale: "ok" });
    assert.deepEqual(store.listVotes(s.id), [vote]);
    assert.deepEqual(store.listVotes(s.id, { round: 2 }), []);
    assert.throws(() => store.recordVote({ sessionId: s.id, voter: "chair", targetMessageId: m.id }), /score or a rank/);
    assert.throws(() => store.recordVote({ sessionId: s.id, voter: "chair", targetMessageId: "ghost", score: 1 }), /FOREIGN KEY/);

    const rating = store.recordRating({ sessionId: s.id, messageId: m.id, score: 0.9, note: "good" });
    assert.deepEqual(store.listRatings(s.id), [rating]);
    assert.equal(rating.source, "user");
    // Saving a note on a rated message revises the user's rating; another source's stays beside it.
    const revised = store.recordRating({ sessionId: s.id, messageId: m.id, score: 0.9, note: "good, on reflection" });
    const critic = store.recordRating({ sessionId: s.id, messageId: m.id, score: 0.5, source: "model:critic" });
    assert.deepEqual(store.listRatings(s.id), [revised, critic]);

    store.recordMetric({ sessionId: s.id, name: "tok/s", value: 50, role: "critic", at: 2 });
    store.recordMetric({ sessionId: s.id, name: "tok/s", value: 40, role: "critic", at: 1 });
    store.recordMetric({ name: "rss", value: 1e9 });
    assert.deepEqual(store.listMetrics(s.id, "tok/s").map((x) => x.value), [40, 50]);
    assert.equal(store.listMetrics(null).length, 1);

    assert.equal(store.getSetting("theme"), undefined);
    store.setSetting("theme", { dark: true });
    store.setSetting("theme", { dark: false, accents: ["a"] });
    assert.deepEqual(store.getSetting("theme"), { dark: false, accents: ["a"] });
  } finally {
    cleanup();
  }
});

// appendMessage's speed is measured by `npm run bench` (appendP99Ms), against a raw insert.
test("two connections appending to one session keep seq gapless", () => {
  const { store, file, cleanup } = tempStore();
  const other = openStore(file, { backgroundCheckpoint: false });
  try {
    const s = store.createSession({ title: "two", task: "t", protocolKind: "debate", experiment: {} });
    const seqs: number[] = [];
    for (let i = 0; i < 6; i++) seqs.push((i % 3 === 2 ? other : store).appendMessage(modelDraft(s.id, "a", "answer", `m${i}`)).seq);
    assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(other.listMessages(s.id).messages.map((m) => m.content), ["m0", "m1", "m2", "m3", "m4", "m5"]);
  } finally {
    other.close();
    cleanup();
  }
});

test("a message's thought and raw output are stored and read back; messages without them read as before", () => {
  const t = tempStore();
  try {
    const s = t.store.createSession({ title: "t", task: "x", protocolKind: "pipeline", experiment: {} });
    const thought = { text: "Weigh both.", tokens: 4, ms: 12.5, cut: false };
    const m = t.store.appendMessage({ ...modelDraft(s.id, "a", "proposal", "Use a queue."), thought, raw: "Use a queue.\n\n[labels] {", repairs: ["no confidence given; left empty"] });
    const plain = t.store.appendMessage(modelDraft(s.id, "b", "critique", "Fine."));
    const [a, b] = t.store.listMessages(s.id).messages;
    assert.deepEqual([a?.thought, a?.raw], [thought, "Use a queue.\n\n[labels] {"]);
    assert.deepEqual(t.store.getMessage(m.id)?.thought, thought);
    assert.ok(b && !("thought" in b) && !("raw" in b), JSON.stringify(b));
    assert.equal(plain.thought, undefined);
  } finally {
    t.cleanup();
  }
});
