/**
 * A human seat at a real roundtable, fed over the RPC dispatcher on a real engine and SQLite file:
 * the session waits (status `waiting`, saying for whom), `sessions.say` answers the seat's turn and
 * interjects, the next turn of the addressee sees both, the seat's messages carry `human: true`, take
 * no seat and no residency, and exports write them as user turns only. A session waiting for the
 * researcher when the engine closes is resumed by the next engine and waits again.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ExperimentInput } from "../../shared/experiment.js";
import type { HumanWait } from "../../shared/human.js";
import type { RpcReplyFrame } from "../../shared/rpc.js";
import { realTestModel } from "../../models/test/testModels.js";
import { createEngine } from "../engine/createEngine.js";
import type { Engine } from "../engine/Engine.js";
import { RpcDispatcher } from "./dispatcher.js";
import { roleView } from "../engine/conversation/bus/perspective.js";
import { exportSession } from "../engine/data/export/exportSession.js";
import { engineParts } from "../engine/engineParts.js";

function table(model: string): ExperimentInput {
  return {
    title: "human seat",
    task: "Name a good colour for a front door.",
    seed: 3,
    roles: [
      { name: "writer", model, maxTokens: 64, contextSize: 1024 },
      { name: "you", human: true },
    ],
    protocol: { kind: "roundtable", rounds: 1, vote: false, stopWhen: "rounds" },
  };
}

function open(dir: string): Promise<Engine> {
  return createEngine({ dbPath: path.join(dir, "c.db"), modelsDir: path.join(dir, "models"), exportDir: path.join(dir, "exports"), stateRoot: path.join(dir, "state"), threads: 1, keepWarmMs: 0, log: () => undefined });
}

/** Resolves with the next wait `engine` reports for a human seat's turn. */
function nextTurnWait(engine: Engine): Promise<{ sessionId: string; wait: Extract<HumanWait, { kind: "turn" }> }> {
  return new Promise((resolve) => {
    const off = engine.onEvent((e) => {
      if (e.type === "waiting" && e.wait?.kind === "turn") {
        off();
        resolve({ sessionId: e.sessionId, wait: e.wait });
      }
    });
  });
}

function result(reply: RpcReplyFrame): unknown {
  assert.equal(reply.ok, true, JSON.stringify(reply));
  return reply.ok ? reply.result : null;
}

test("a roundtable with a human seat fed over RPC: waits, takes the turn and an interjection, exports them as user turns", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "conclave-human-"));
  const engine = await open(dir);
  const rpc = new RpcDispatcher(engine);
  let id = 0;
  const call = async (method: string, params: unknown) => result(await rpc.handle({ kind: "request", id: ++id, method, params }));
  try {
    const model = await realTestModel();
    const plan = (await call("sessions.preview", { experiment: table(model) })) as { seats: { role: string }[] };
    assert.deepEqual(plan.seats.map((s) => s.role), ["writer"], "the human seat takes no memory and is not in the residency plan");

    const first = nextTurnWait(engine);
    const session = (await call("sessions.create", table(model))) as { id: string };
    const { wait } = await first;
    assert.deepEqual([wait.role, wait.types, wait.round], ["you", ["proposal"], 1]);
    assert.equal(((await call("sessions.get", { sessionId: session.id })) as { status: string }).status, "waiting");
    assert.deepEqual(await call("sessions.waiting", { sessionId: session.id }), wait);
    const paused = await rpc.handle({ kind: "request", id: ++id, method: "sessions.control", params: { sessionId: session.id, action: "pause" } });
    assert.match(!paused.ok ? paused.error.message : "", /waiting for you: you's turn/, "a wait is answered or aborted, not paused");

    // An interjection while waiting is a message from `user` to the writer, not the seat's turn.
    const interjection = (await call("sessions.say", { sessionId: session.id, content: "Think about the neighbours.", to: ["writer"], interject: true })) as { id: string; from: string; provenance: { human?: boolean } };
    assert.equal(interjection.from, "user");
    assert.equal(interjection.provenance.human, true);

    const writerProposal = engineParts(engine).store.listMessages(session.id, { limit: 100 }).messages.find((m) => m.from === "writer")!;
    const second = nextTurnWait(engine);
    assert.equal(await call("sessions.say", { sessionId: session.id, content: "Blue, like the sea.", type: "proposal", referencesTo: [`m${writerProposal.seq}`], confidence: 0.7 }), null);
    await second;
    assert.equal(await call("sessions.say", { sessionId: session.id, content: "I agree with the writer.", type: "consensus" }), null);
    const outcome = await engine.sessions.wait(session.id);
    assert.equal(outcome.status, "completed", outcome.error ?? "");

    const messages = outcome.messages;
    const mine = messages.filter((m) => m.from === "you");
    assert.deepEqual(mine.map((m) => [m.type, m.content, m.confidence]), [["proposal", "Blue, like the sea.", 0.7], ["consensus", "I agree with the writer.", null]]);
    assert.ok(mine.every((m) => m.provenance?.human === true && m.usage === null));
    assert.deepEqual(mine[0]!.referencesTo, [writerProposal.id], "a label reference is stored as the message id");
    assert.equal(engine.slots.list().some((s) => s.sessionId === session.id && s.role === "you"), false, "no seat for the human");

    // The writer's next turn (its critique) saw the interjection and the seat's proposal.
    const critique = messages.find((m) => m.from === "writer" && m.seq > mine[0]!.seq)!;
    const view = roleView(messages.filter((m) => m.seq < critique.seq), "writer", { system: "", budgetTokens: 100_000 });
    const seen = view.turns.map((t) => t.content).join("\n");
    assert.match(seen, /Think about the neighbours\./);
    assert.match(seen, /Blue, like the sea\./);

    const out = path.join(dir, "chat.jsonl");
    await exportSession(engineParts(engine).store, session.id, { format: "openai", out });
    const examples = (await readFile(out, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { messages: { role: string; name?: string; content: string }[] });
    assert.ok(examples.length > 0);
    const all = examples.flatMap((e) => e.messages);
    assert.ok(all.some((m) => m.role === "user" && m.name === "you" && m.content === "Blue, like the sea."), "the seat's turn is a user turn");
    assert.ok(!all.some((m) => m.role === "assistant" && /Blue, like the sea|I agree with the writer/.test(m.content)), "never an assistant target");
  } finally {
    rpc.close();
    await engine.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});

test("a session waiting for the researcher when the engine closes is resumed by the next engine and waits again", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "conclave-human-resume-"));
  try {
    const model = await realTestModel();
    let engine = await open(dir);
    let sessionId: string;
    let before: number;
    try {
      const waiting = nextTurnWait(engine);
      sessionId = (await engine.sessions.create(table(model))).id;
      await waiting;
      before = engineParts(engine).store.listMessages(sessionId, { limit: 100 }).messages.length;
    } finally {
      await engine.dispose();
    }
    engine = await open(dir);
    try {
      assert.equal((await engine.sessions.get(sessionId)).status, "interrupted");
      const again = nextTurnWait(engine);
      await engine.sessions.control(sessionId, "resume");
      const { wait } = await again;
      assert.equal(wait.role, "you");
      assert.equal((await engine.sessions.get(sessionId)).status, "waiting");
      assert.equal(engineParts(engine).store.listMessages(sessionId, { limit: 100 }).messages.length, before, "nothing was generated twice while catching up");
      const next = nextTurnWait(engine);
      await engine.sessions.say({ sessionId, content: "Green." });
      await next;
      await engine.sessions.say({ sessionId, content: "Fine by me.", type: "consensus" });
      const outcome = await engine.sessions.wait(sessionId);
      assert.equal(outcome.status, "completed", outcome.error ?? "");
      assert.equal(new Set(outcome.messages.map((m) => m.id)).size, outcome.messages.length);
      assert.deepEqual(outcome.messages.filter((m) => m.from === "you").map((m) => m.content), ["Green.", "Fine by me."]);
    } finally {
      await engine.dispose();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
