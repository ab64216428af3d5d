import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Message } from "../../../../shared/conversation.js";
import type { ModelIdentity } from "../../../../shared/slots.js";
import type { SessionStore } from "../store/sessionStore.js";
import { modelDraft, tempStore } from "../store/test/testSupport.js";
import { exportSession } from "./exportSession.js";
import { parseJsonl } from "./formatValidators.js";
import { openAIChatErrors, openAIDpoErrors, sessionJsonErrors, shareGptErrors, trlPreferenceErrors } from "./test/formatErrors.js";

interface ChatLine { role: string; content: string; name?: string; weight?: number }
interface OpenAIRecord { messages: ChatLine[] }
interface ShareGptRecord { conversations: { from: string; value: string }[]; system?: string }

const model: ModelIdentity = {
  path: "/m/a.gguf", fileName: "a.gguf", name: "a", sizeBytes: 1, fingerprint: "fp1:a", architecture: "llama",
  parameterCount: 1, quantization: "Q8_0", trainContextSize: 512, vocabSize: 32, hasChatTemplate: true,
};

/** A small roundtable: proposals, a private critique, a revision, a summary, votes. */
function roundtable(store: SessionStore): Record<string, Message> {
  const s = store.createSession({
    id: "rt",
    title: "Roundtable",
    task: "Name a colour.",
    protocolKind: "roundtable",
    experiment: { roles: [{ name: "analyzer", system: "You analyse." }, { name: "critic", system: "You critique." }, { name: "chair" }] },
  });
  store.recordAssignment({ sessionId: s.id, role: "critic", model, systemPrompt: "Be harsh.", fromSeq: 1 });
  const add = (from: string, type: Message["type"], content: string, extra: Partial<Message> = {}): Message =>
    store.appendMessage(modelDraft(s.id, from, type, content, extra));
  const m: Record<string, Message> = {};
  m.start = add("system", "system", "Round 1 begins.", { provenance: null, usage: null, confidence: null });
  m.pa = add("analyzer", "proposal", "Blue, because \"sky\"\nand sea.");
  m.pc = add("critic", "proposal", "Grëen.");
  m.crit = add("critic", "critique", "Blue is dull.", { to: ["analyzer"], referencesTo: [m.pa.id] });
  m.rev = add("analyzer", "revision", "Cobalt blue.", { referencesTo: [m.crit.id], round: 2 });
  m.empty = add("critic", "analysis", "   ", { round: 2 });
  m.sum = add("chair", "summary", "Analyzer says blue; critic green.", { round: 2 });
  m.ans = add("chair", "answer", "Cobalt blue.", { round: 2, confidence: 0.5 });
  store.recordVote({ sessionId: s.id, voter: "chair", targetMessageId: m.pa.id, score: 0.9, round: 1 });
  store.recordVote({ sessionId: s.id, voter: "chair", targetMessageId: m.pc.id, score: 0.3, round: 1 });
  store.recordVote({ sessionId: s.id, voter: "critic", targetMessageId: m.pa.id, rank: 1, rankOf: 2, round: 1 });
  store.recordVote({ sessionId: s.id, voter: "analyzer", targetMessageId: m.pc.id, rank: 2, rankOf: 2, round: 1 });
  store.recordSwap({
    sessionId: s.id, round: 2, event: {
      role: "critic", from: model, to: { ...model, name: "b", fingerprint: "fp1:b" }, outcome: "ok", error: null, unloadMs: 1,
      loadMs: 2, prefillMs: 3, tokensReingested: 4, tokensEvaluated: 4, historyTokens: 4, historyTurns: 1, keptTurns: 1,
      droppedTurns: 0, compression: null, usedSavedState: false, at: 10,
    },
  });
  return m;
}

async function withSession(fn: (store: SessionStore, m: Record<string, Message>, dir: string) => Promise<void>): Promise<void> {
  const { store, dir, cleanup } = tempStore();
  try {
    await fn(store, roundtable(store), dir);
  } finally {
    cleanup();
  }
}

function lines<T>(path: string, errorsOf: (r: unknown) => string[]): T[] {
  const records = parseJsonl(readFileSync(path, "utf8"));
  records.forEach((r, i) => assert.deepEqual(errorsOf(r), [], `record ${i}: ${JSON.stringify(r)}`));
  return records as T[];
}

test("openai: one valid example per role turn, from that role's point of view", () =>
  withSession(async (store, m, dir) => {
    const out = join(dir, "x", "openai.jsonl");
    const result = await exportSession(store, "rt", { format: "openai", out });
    assert.equal(result.path, out);
    assert.ok(!existsSync(`${out}.partial`));
    const records = lines<OpenAIRecord>(out, openAIChatErrors);
    // pa, pc, crit, rev, sum, ans: the empty analysis is no turn; the system notice is nobody's turn.
    assert.equal(result.records, 6);
    assert.equal(records.length, 6);

    const finals = records.map((r) => r.messages.at(-1)?.content);
    assert.deepEqual(finals, [m.pa, m.pc, m.crit, m.rev, m.sum, m.ans].map((x) => x?.content));

    const rev = records[3]?.messages;
    assert.deepEqual(rev, [
      { role: "system", content: "You analyse." },
      { role: "user", content: "Name a colour." },
      { role: "user", name: "system", content: "Round 1 begins." },
      { role: "assistant", content: m.pa?.content, weight: 0 },
      { role: "user", name: "critic", content: "Grëen." },
      { role: "user", name: "critic", content: "Blue is dull." },
      { role: "assistant", content: "Cobalt blue.", weight: 1 },
    ]);
    // The critique went only to the analyzer: the chair never saw it. The assignment's prompt wins for the critic.
    assert.ok(!records[4]?.messages.some((x) => x.content === "Blue is dull."));
    assert.equal(records[4]?.messages[0]?.role, "user", "the chair has no system prompt");
    assert.deepEqual(records[1]?.messages[0], { role: "system", content: "Be harsh." });
  }));

test("openai: filters by role, type and minimum rating", () =>
  withSession(async (store, m, dir) => {
    const out = join(dir, "f.jsonl");
    const finals = async (filters: object): Promise<(string | undefined)[]> => {
      await exportSession(store, "rt", { format: "openai", out, ...filters });
      return lines<OpenAIRecord>(out, openAIChatErrors).map((r) => r.messages.at(-1)?.content);
    };
    assert.deepEqual(await finals({ roles: ["critic"] }), [m.pc?.content, m.crit?.content]);
    assert.deepEqual(await finals({ types: ["revision", "summary"] }), [m.rev?.content, m.sum?.content]);
    // pa: votes 0.9 and rank 1/2 (=1) -> 0.95, blended with confidence 0.8 -> 0.92; pc -> 0.28; others 0.8 or 0.5.
    assert.deepEqual(await finals({ minRating: 0.85 }), [m.pa?.content]);
    assert.deepEqual(await finals({ minRating: 0.6, roles: ["chair"] }), [m.sum?.content]);
  }));

test("sharegpt: strict alternation, speakers named in human turns, same-side turns merged", () =>
  withSession(async (store, m, dir) => {
    const out = join(dir, "sharegpt.jsonl");
    const result = await exportSession(store, "rt", { format: "sharegpt", out });
    const records = lines<ShareGptRecord>(out, (r) => shareGptErrors(r));
    assert.equal(result.records, 6);
    const chairSummary = records[4];
    assert.equal(chairSummary?.system, undefined);
    assert.deepEqual(chairSummary?.conversations, [
      { from: "human", value: `Name a colour.\n\nsystem: Round 1 begins.\n\nanalyzer: ${m.pa?.content}\n\ncritic: Grëen.\n\nanalyzer: Cobalt blue.` },
      { from: "gpt", value: m.sum?.content },
    ]);
    assert.equal(records[3]?.system, "You analyse.");
    assert.deepEqual(records[3]?.conversations.map((t) => t.from), ["human", "gpt", "human", "gpt"]);
  }));

test("dpo: pairs from votes and from critique -> revision, in both TRL forms and OpenAI's", () =>
  withSession(async (store, m, dir) => {
    const out = join(dir, "dpo.jsonl");
    const r1 = await exportSession(store, "rt", { format: "dpo", out });
    assert.equal(r1.records, 2);
    type Pair = { prompt: ChatLine[]; chosen: ChatLine[]; rejected: ChatLine[] };
    const [votes, revision] = lines<Pair>(out, trlPreferenceErrors);
    assert.deepEqual(votes?.chosen, [{ role: "assistant", content: m.pa?.content }]);
    assert.deepEqual(votes?.rejected, [{ role: "assistant", content: "Grëen." }]);
    assert.deepEqual(votes?.prompt, [
      { role: "user", content: "Name a colour." },
      { role: "user", name: "system", content: "Round 1 begins." },
    ]);
    assert.deepEqual(revision?.chosen, [{ role: "assistant", content: "Cobalt blue." }]);
    assert.deepEqual(revision?.rejected, [{ role: "assistant", content: m.pa?.content }]);
    assert.deepEqual(revision?.prompt[0], { role: "system", content: "You analyse." });

    await exportSession(store, "rt", { format: "dpo", out, dpoForm: "string" });
    const strings = lines<{ prompt: string; chosen: string; rejected: string }>(out, trlPreferenceErrors);
    assert.equal(strings[0]?.prompt, "user: Name a colour.\n\nsystem: Round 1 begins.\n\n");
    assert.equal(strings[1]?.chosen, "Cobalt blue.");

    const r3 = await exportSession(store, "rt", { format: "dpo-openai", out });
    assert.equal(r3.records, 2);
    const openai = lines<{ preferred_output: ChatLine[] }>(out, openAIDpoErrors);
    assert.equal(openai[1]?.preferred_output[0]?.content, "Cobalt blue.");

    const onlyRevisions = await exportSession(store, "rt", { format: "dpo", out, types: ["revision"] });
    assert.equal(onlyRevisions.records, 1);
    // When the votes prefer the original, the revision pair is not claimed.
    store.recordRating({ sessionId: "rt", messageId: m.rev?.id ?? "", score: 0.1 });
    assert.equal((await exportSession(store, "rt", { format: "dpo", out, types: ["revision"] })).records, 0);
  }));

test("json: the full session with provenance, swaps, votes and ratings", () =>
  withSession(async (store, m, dir) => {
    const out = join(dir, "session.json");
    const result = await exportSession(store, "rt", { format: "json", out });
    const doc = JSON.parse(readFileSync(out, "utf8")) as {
      session: { id: string }; swaps: unknown[]; votes: unknown[]; assignments: unknown[];
      messages: (Message & { rating: number | null })[];
    };
    assert.deepEqual(sessionJsonErrors(doc), []);
    assert.equal(result.records, 8);
    assert.equal(doc.session.id, "rt");
    assert.equal(doc.swaps.length, 1);
    assert.equal(doc.votes.length, 4);
    assert.equal(doc.assignments.length, 1);
    const pa = doc.messages.find((x) => x.id === m.pa?.id);
    assert.equal(pa?.provenance?.fingerprint, "fp1:0123456789abcdef");
    assert.ok(Math.abs((pa?.rating ?? 0) - 0.92) < 1e-9);

    const filtered = await exportSession(store, "rt", { format: "json", out, roles: ["critic"] });
    const fdoc = JSON.parse(readFileSync(out, "utf8")) as { votes: { targetMessageId: string }[]; messages: Message[] };
    assert.deepEqual(sessionJsonErrors(fdoc), []);
    assert.equal(filtered.records, 3);
    assert.ok(fdoc.votes.every((v) => v.targetMessageId === m.pc?.id));
  }));

test("context window: the last N visible messages, the task, and the summary that scrolled out", async () => {
  const { store, dir, cleanup } = tempStore();
  try {
    store.createSession({ id: "long", title: "l", task: "Count.", protocolKind: "debate", experiment: {} });
    for (let i = 1; i <= 40; i++) {
      store.appendMessage(modelDraft("long", i % 2 ? "a" : "b", i === 10 ? "summary" : "analysis", `n${i}`));
    }
    const out = join(dir, "w.jsonl");
    await exportSession(store, "long", { format: "openai", out, contextMessages: 4, roles: ["a"] });
    const last = lines<OpenAIRecord>(out, openAIChatErrors).at(-1);
    assert.deepEqual(last?.messages.map((x) => x.content), ["Count.", "n10", "n35", "n36", "n37", "n38", "n39"]);
    await exportSession(store, "long", { format: "sharegpt", out, contextMessages: 4, roles: ["a"] });
    const sg = lines<ShareGptRecord>(out, (r) => shareGptErrors(r)).at(-1);
    assert.equal(sg?.conversations[0]?.value, "Count.\n\nb: n10");
    await exportSession(store, "long", { format: "openai", out, contextMessages: null, roles: ["a"] });
    assert.equal(lines<OpenAIRecord>(out, openAIChatErrors).at(-1)?.messages.length, 40);
  } finally {
    cleanup();
  }
});

test("exports 10,000 messages, every one valid, and refuses unknown sessions", async () => {
  const { store, dir, cleanup } = tempStore();
  try {
    store.createSession({ id: "big", title: "b", task: "Go.", protocolKind: "roundtable", experiment: {} });
    const roles = ["analyzer", "critic", "chair", "skeptic"];
    for (let i = 0; i < 10_000; i++) {
      store.appendMessage(modelDraft("big", roles[i % 4] ?? "x", "analysis", `Message ${i}: ${"word ".repeat(40)}`));
    }
    const out = join(dir, "big.jsonl");
    // Speed is tracked by the benchmarks (bench/evaluation.ts, export10kRatio), not asserted here.
    const result = await exportSession(store, "big", { format: "openai", out });
    assert.equal(result.records, 10_000);
    assert.equal(result.validation.valid, 10_000);
    const sample = parseJsonl(readFileSync(out, "utf8").split("\n").slice(9_990).join("\n"));
    for (const r of sample) assert.deepEqual(openAIChatErrors(r), []);

    await assert.rejects(exportSession(store, "nope", { format: "json", out: join(dir, "n.json") }), /unknown session/);
    assert.ok(!existsSync(join(dir, "n.json")));
  } finally {
    cleanup();
  }
});
