/**
 * A tie between two scripted models (each ranks the other's proposal first, so both get one point)
 * pauses the session under `arbitration.on: ["tie"]`; a decision over the RPC settles it, and the
 * same experiment run by `conclave run --answers` in a real process without a TTY decides it the same.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ExperimentInput } from "../../shared/experiment.js";
import { scriptedModel } from "../../models/test/testModels.js";
import { createEngine } from "../engine/createEngine.js";
import { openStore } from "../engine/data/store/sessionStore.js";
import { RpcDispatcher } from "./dispatcher.js";
import { engineParts } from "../engine/engineParts.js";

const BIN = fileURLToPath(new URL("../../bin/conclave.mjs", import.meta.url));

/** A member's turns, one per kind of step (the grammar picks the first its step allows). */
function turns(name: string): string[] {
  return [
    `{"type":"proposal","content":"${name}: use a queue.","referencesTo":[],"confidence":0.8}`,
    `{"type":"answer","content":"${name} sums up.","referencesTo":[],"confidence":1}`,
    `{"type":"consensus","content":"${name} agrees.","referencesTo":[],"confidence":0.9}`,
    `{"type":"vote","referencesTo":["A"],"content":"${name} ranks A first.","confidence":0.7}`,
  ];
}

test("a scripted tie waits for a decision: settled over RPC, and the same under conclave run --answers", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "conclave-scripted-tie-"));
  try {
    const [a, b] = [await scriptedModel(turns("a")), await scriptedModel(turns("b"))];
    const experiment: ExperimentInput = {
      title: "scripted tie",
      task: "How should the jobs be ordered?",
      seed: 5,
      roles: [
        { name: "a", model: a, maxTokens: 200, contextSize: 2048 },
        { name: "b", model: b, maxTokens: 200, contextSize: 2048 },
      ],
      protocol: { kind: "roundtable", rounds: 1 },
      arbitration: { on: ["tie"], fallback: "protocol" },
    };
    const engine = await createEngine({ dbPath: path.join(dir, "c.db"), modelsDir: path.join(dir, "models"), exportDir: path.join(dir, "exports"), stateRoot: path.join(dir, "state"), threads: 1, keepWarmMs: 0, log: () => undefined });
    const rpc = new RpcDispatcher(engine);
    let decided = "";
    try {
      const off = engine.onEvent((e) => {
        if (e.type !== "waiting" || e.wait?.kind !== "decision") return;
        assert.equal(e.wait.trigger, "tie");
        assert.deepEqual(e.wait.candidates.map((c) => [c.from, c.points]), [["a", 1], ["b", 1]]);
        void rpc.handle({ kind: "request", id: 1, method: "sessions.decide", params: { sessionId: e.sessionId, decision: "b", reason: "b reads better" } });
      });
      const session = await engine.sessions.create(experiment);
      const outcome = await engine.sessions.wait(session.id);
      off();
      assert.equal(outcome.status, "completed", outcome.error ?? "");
      const decision = outcome.messages.find((m) => m.content.startsWith("Decision ("))!;
      assert.equal(decision.content, "Decision (tie, round 2): B by b wins. Reason: b reads better");
      const bProposal = outcome.messages.find((m) => m.from === "b" && m.type === "proposal")!;
      assert.deepEqual(engineParts(engine).store.listVotes(session.id).filter((v) => v.voter === "user").map((v) => v.targetMessageId), [bProposal.id]);
      const board = await rpc.handle({ kind: "request", id: 2, method: "leaderboard.get", params: { source: "human" } });
      const lb = (board.ok ? board.result : null) as { outcomes: number } | null;
      assert.equal(lb?.outcomes, 1, "the decision is a human outcome in the arena");
      decided = decision.content;
    } finally {
      rpc.close();
      await engine.dispose();
    }

    const file = path.join(dir, "tie.json");
    await writeFile(file, JSON.stringify(experiment));
    const answers = path.join(dir, "answers.jsonl");
    await writeFile(answers, `${JSON.stringify({ decision: "b", reason: "b reads better" })}\n`);
    const db = path.join(dir, "cli.db");
    const r = spawnSync(process.execPath, [BIN, "run", file, "--db", db, "--answers", answers], { encoding: "utf8", env: { ...process.env, CONCLAVE_HOME: dir }, timeout: 900_000 });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    const store = openStore(db);
    try {
      const [session] = store.listSessions();
      const messages = store.listMessages(session!.id, { limit: 100 }).messages;
      assert.equal(messages.find((m) => m.content.startsWith("Decision ("))?.content, decided);
    } finally {
      store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
