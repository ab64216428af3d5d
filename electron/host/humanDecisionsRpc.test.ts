/**
 * The researcher's decisions on a real engine and SQLite file. A tie is made exactly by two human
 * voters ranking two models' proposals in opposite orders, so the test needs no particular model
 * output: the session pauses on it, a decision over RPC settles it (vote record, `human` arena
 * source), the same experiment under scripted answers decides it the same way, a replay takes the
 * decision back as a fixed input, and with a timeout the fallback applies and is recorded. A manual
 * next speaker waits with a predicted wait per choice; a human approval can reject with a note.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ExperimentInput } from "../../shared/experiment.js";
import type { HumanAnswer, HumanWait } from "../../shared/human.js";
import type { Message } from "../../shared/conversation.js";
import { createEngine } from "../engine/createEngine.js";
import type { Engine } from "../engine/Engine.js";
import { RpcDispatcher } from "./dispatcher.js";
import { distinctModels } from "../engine/test/registries.js";
import { engineParts } from "../engine/engineParts.js";

function open(dir: string): Promise<Engine> {
  return createEngine({ dbPath: path.join(dir, "c.db"), modelsDir: path.join(dir, "models"), exportDir: path.join(dir, "exports"), stateRoot: path.join(dir, "state"), threads: 1, keepWarmMs: 0, log: () => undefined });
}

async function withEngine(fn: (engine: Engine, models: string[]) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), "conclave-decide-"));
  const engine = await open(dir);
  try {
    await fn(engine, await distinctModels(2));
  } finally {
    await engine.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Two models propose and critique; two human seats do too and are the only voters. */
function tieTable(a: string, b: string, extra: Partial<ExperimentInput> = {}): ExperimentInput {
  return {
    title: "tie",
    task: "Name a river.",
    seed: 7,
    roles: [
      { name: "a", model: a, maxTokens: 24, contextSize: 512 },
      { name: "b", model: b, maxTokens: 24, contextSize: 512 },
      { name: "you", human: true },
      { name: "me", human: true },
    ],
    protocol: { kind: "roundtable", rounds: 1, stopWhen: "rounds", voters: ["you", "me"] },
    arbitration: { on: ["tie"], fallback: "chair" },
    ...extra,
  };
}

/** The human seats' turns of the tie table, in order: opposite ballots over a and b. */
const SEAT_TURNS: HumanAnswer[] = [
  { role: "you", content: "The Nile.", type: "proposal" },
  { role: "me", content: "The Amazon.", type: "proposal" },
  { role: "you", content: "Both fine.", type: "consensus" },
  { role: "me", content: "Both fine.", type: "consensus" },
  { role: "you", content: "a first", type: "vote", referencesTo: ["a", "b", "me"] },
  { role: "me", content: "b first", type: "vote", referencesTo: ["b", "a", "you"] },
];

/** Answers every human seat turn from `turns` as it is asked (over `say`) and hands decision waits to `onDecision`. */
function answerSeats(engine: Engine, turns: HumanAnswer[], onDecision: (sessionId: string, wait: HumanWait) => void): () => void {
  const left = [...turns];
  return engine.onEvent((e) => {
    if (e.type !== "waiting" || !e.wait) return;
    if (e.wait.kind === "turn") {
      const next = left.shift()!;
      void engine.sessions.say({ sessionId: e.sessionId, content: next.content!, ...(next.type ? { type: next.type } : {}), ...(next.referencesTo ? { referencesTo: next.referencesTo } : {}) });
    } else onDecision(e.sessionId, e.wait);
  });
}

const decisionOf = (messages: readonly Message[]) => messages.find((m) => m.from === "user" && m.content.startsWith("Decision ("));

test("a tie pauses the session; a decision over RPC settles it, in the vote record and the human leaderboard; scripted answers and a replay decide it the same", async () => {
  await withEngine(async (engine, [ma, mb]) => {
    const rpc = new RpcDispatcher(engine);
    try {
      let seen: Extract<HumanWait, { kind: "decision" }> | null = null;
      const off = answerSeats(engine, SEAT_TURNS, (sessionId, wait) => {
        if (wait.kind !== "decision") return;
        seen = wait;
        void (async () => {
          assert.equal((await engine.sessions.get(sessionId)).status, "waiting");
          const bad = await rpc.handle({ kind: "request", id: 1, method: "sessions.decide", params: { sessionId, decision: "Z" } });
          assert.match(!bad.ok ? bad.error.message : "", /'Z' is none of the candidates \(A = a, B = b\)/);
          const ok = await rpc.handle({ kind: "request", id: 2, method: "sessions.decide", params: { sessionId, decision: "b", reason: "shorter and clearer" } });
          assert.equal(ok.ok, true, JSON.stringify(ok));
        })();
      });
      const session = await engine.sessions.create(tieTable(ma!, mb!));
      const outcome = await engine.sessions.wait(session.id);
      off();
      assert.equal(outcome.status, "completed", outcome.error ?? "");
      assert.ok(seen, "the session waited for a decision");
      const wait = seen as Extract<HumanWait, { kind: "decision" }>;
      assert.equal(wait.trigger, "tie");
      assert.deepEqual(wait.candidates.map((c) => c.from).sort(), ["a", "b"]);

      const decision = decisionOf(outcome.messages)!;
      assert.match(decision.content, /^Decision \(tie, round \d+\): [AB] by b wins\. Reason: shorter and clearer$/);
      assert.equal(decision.provenance?.human, true);
      const bProposal = outcome.messages.find((m) => m.from === "b" && m.type === "proposal")!;
      assert.deepEqual(decision.referencesTo, [bProposal.id]);
      const votes = engineParts(engine).store.listVotes(session.id).filter((v) => v.voter === "user");
      assert.deepEqual(votes.map((v) => [v.targetMessageId, v.rank, v.rationale, v.messageId]), [[bProposal.id, 1, "shorter and clearer", decision.id]]);
      const board = await rpc.handle({ kind: "request", id: 3, method: "leaderboard.get", params: { source: "human" } });
      assert.equal(board.ok, true, JSON.stringify(board));
      const lb = (board.ok ? board.result : null) as { outcomes: number; entries: { name: string }[] };
      assert.equal(lb.outcomes, 1, "one human outcome: b's model over a's");

      // The same experiment with the answers scripted, nobody attending: the same decision.
      const scripted = await engine.sessions.create(tieTable(ma!, mb!), { answers: [...SEAT_TURNS, { decision: "b", reason: "shorter and clearer" }], attended: false });
      const again = await engine.sessions.wait(scripted.id);
      assert.equal(again.status, "completed", again.error ?? "");
      assert.equal(decisionOf(again.messages)!.content.replace(/^.*: [AB] by/, ""), decision.content.replace(/^.*: [AB] by/, ""));

      // A replay takes the human turns and the decision back as fixed inputs: it never waits.
      let waited = false;
      const offReplay = engine.onEvent((e) => {
        if (e.type === "waiting" && e.wait) waited = true;
      });
      const replay = await engine.sessions.replay(session.id);
      const replayed = await engine.sessions.wait(replay.session.id);
      offReplay();
      assert.equal(replayed.status, "completed", replayed.error ?? "");
      assert.equal(waited, false, "nothing was asked again");
      const human = (ms: readonly Message[]) => ms.filter((m) => m.provenance?.human).map((m) => [m.from, m.type, m.content.replace(/^(Decision \(tie, round \d+\)): [AB]/, "$1")]);
      assert.deepEqual(human(replayed.messages), human(outcome.messages));
    } finally {
      rpc.close();
    }
  });
});

test("with a timeout and nobody deciding, the fallback applies and is recorded as such", async () => {
  await withEngine(async (engine, [ma, mb]) => {
    const session = await engine.sessions.create(tieTable(ma!, mb!, { arbitration: { on: ["tie"], timeoutMs: 1, fallback: "chair" } }), { answers: SEAT_TURNS, attended: false });
    const outcome = await engine.sessions.wait(session.id);
    assert.equal(outcome.status, "completed", outcome.error ?? "");
    const note = outcome.messages.find((m) => m.content.startsWith("Arbitration fallback ("))!;
    assert.equal(note.from, "system");
    assert.match(note.content, /^Arbitration fallback \(chair\) after 1 ms without a decision on a tie .*: [AB] by a stands \(the chair's winner\)\.$/);
    assert.equal(decisionOf(outcome.messages), undefined);
    assert.equal(engineParts(engine).store.listVotes(session.id).some((v) => v.voter === "user"), false, "no human vote was recorded");

    const aborting = await engine.sessions.create(tieTable(ma!, mb!, { arbitration: { on: ["tie"], timeoutMs: 1, fallback: "abort" } }), { answers: SEAT_TURNS, attended: false });
    const ended = await engine.sessions.wait(aborting.id);
    assert.equal(ended.status, "aborted");
    assert.match(ended.error ?? "", /no decision on a tie .* within 1 ms/);
  });
});

test("nextSpeaker manual waits with a predicted wait per choice, and the chosen speaker speaks", async () => {
  await withEngine(async (engine, [ma, mb]) => {
    const waits: Extract<HumanWait, { kind: "speaker" }>[] = [];
    const picks = ["b", "a"];
    const off = engine.onEvent((e) => {
      if (e.type !== "waiting" || e.wait?.kind !== "speaker") return;
      waits.push(e.wait);
      const sessionId = e.sessionId;
      void (async () => {
        await assert.rejects(engine.sessions.decide({ sessionId, decision: "nobody" }), /'nobody' cannot speak next \(choose a, b\)/);
        await engine.sessions.decide({ sessionId, decision: picks.shift()!, reason: "curious" });
      })();
    });
    const session = await engine.sessions.create({
      title: "manual",
      task: "Name a mountain.",
      seed: 5,
      roles: [
        { name: "a", model: ma!, maxTokens: 16, contextSize: 512 },
        { name: "b", model: mb!, maxTokens: 16, contextSize: 512 },
      ],
      protocol: { kind: "debate", rounds: 1, vote: false, nextSpeaker: "manual" },
    });
    const outcome = await engine.sessions.wait(session.id);
    off();
    assert.equal(outcome.status, "completed", outcome.error ?? "");
    assert.equal(waits.length, 1, "one free turn with two who could speak (the last one left speaks without asking)");
    assert.deepEqual(waits[0]!.choices.map((c) => c.role), ["a", "b"]);
    assert.ok(waits[0]!.choices.every((c) => Number.isFinite(c.predictedWaitMs) && c.predictedWaitMs >= 0));
    const turns = outcome.messages.filter((m) => m.provenance && !m.provenance.human).map((m) => m.from);
    assert.deepEqual(turns.slice(0, 2), ["b", "a"], "b spoke first, as chosen");
    assert.match(outcome.messages.find((m) => m.content.startsWith("Next speaker:"))!.content, /^Next speaker: b, chosen by the researcher \(predicted wait \d+ ms\): curious$/);
  });
});

test("validate with approval human: a rejection's note goes to the corrector, an approval passes", async () => {
  await withEngine(async (engine, [ma]) => {
    const decisions = [
      { decision: "reject", reason: "cite a source" },
      { decision: "approve", reason: "good now" },
    ];
    const off = engine.onEvent((e) => {
      if (e.type !== "waiting" || !e.wait) return;
      if (e.wait.kind === "turn") void engine.sessions.say({ sessionId: e.sessionId, content: "Looks right to me.", type: "consensus" });
      else if (e.wait.kind === "approval") void engine.sessions.decide({ sessionId: e.sessionId, ...decisions.shift()! });
    });
    const session = await engine.sessions.create({
      title: "approval",
      task: "Name a lake.",
      seed: 5,
      roles: [
        { name: "writer", model: ma!, maxTokens: 16, contextSize: 512 },
        { name: "you", human: true },
      ],
      protocol: { kind: "validate", producer: "writer", validator: "you", maxAttempts: 3, approval: "human" },
    });
    const outcome = await engine.sessions.wait(session.id);
    off();
    assert.equal(outcome.status, "completed", outcome.error ?? "");
    const rejected = outcome.messages.find((m) => m.content === "Rejected by the researcher: cite a source")!;
    assert.equal(rejected.type, "critique");
    const correction = outcome.messages.find((m) => m.from === "writer" && m.seq > rejected.seq)!;
    assert.ok(correction, "the corrector took another attempt after the rejection");
    assert.ok(outcome.messages.some((m) => m.content === "Approved by the researcher: good now" && m.seq > correction.seq));
    assert.ok(outcome.messages.some((m) => /^Validation passed on attempt 2/.test(m.content)));
  });
});

test("check-failed: the researcher lets the checked answer stand over a failed check", async () => {
  await withEngine(async (engine, [ma]) => {
    let trigger = "";
    const off = engine.onEvent((e) => {
      if (e.type !== "waiting" || !e.wait) return;
      if (e.wait.kind === "turn") void engine.sessions.say({ sessionId: e.sessionId, content: "Not convinced.", type: "critique" });
      else if (e.wait.kind === "decision") {
        trigger = e.wait.trigger;
        void engine.sessions.decide({ sessionId: e.sessionId, decision: "writer", reason: "the answer is fine" });
      }
    });
    const session = await engine.sessions.create({
      title: "check",
      task: "Name a lake.",
      seed: 5,
      roles: [
        { name: "writer", model: ma!, maxTokens: 16, contextSize: 512 },
        { name: "you", human: true },
      ],
      protocol: { kind: "validate", producer: "writer", validator: "you", maxAttempts: 2 },
      arbitration: { on: ["check-failed"], fallback: "protocol" },
    });
    const outcome = await engine.sessions.wait(session.id);
    off();
    assert.equal(outcome.status, "completed", outcome.error ?? "");
    assert.equal(trigger, "check-failed");
    assert.match(outcome.messages.find((m) => m.content.startsWith("Decision ("))!.content, /^Decision \(check-failed, round 1\): B by writer wins\. Reason: the answer is fine$/);
    assert.ok(outcome.messages.some((m) => /^Validation passed on attempt 1/.test(m.content)));
  });
});
