/**
 * Replays on the real model, through the engine's front door: a deterministic pipeline replayed with
 * its stored experiment and seed reports no divergence; a session whose stored experiment was changed
 * since reports the first diverging message on each side and the counts. The report is stored on
 * the replay, which names its source, and the source lists its replays.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Message, SessionInfo } from "../../../../shared/conversation.js";
import type { Experiment } from "../../../../shared/experiment.js";
import { realTestModel } from "../../../../models/test/testModels.js";
import { createEngine } from "../../createEngine.js";
import { withStoreFile } from "../../data/store/test/storeFile.js";
import type { Engine } from "../../Engine.js";
import { engineParts } from "../../engineParts.js";

let dir: string;
let engine: Engine;
let pipeline: Experiment;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "conclave-replay-"));
  engine = await openEngine();
  const model = await realTestModel();
  pipeline = {
    title: "replay me",
    task: "Write a story about a dragon who is afraid of the dark.",
    seed: 3,
    roles: ["drafter", "editor", "checker"].map((name) => ({ name, model, maxTokens: 96, contextSize: 1024 })),
    protocol: { kind: "pipeline" },
    swaps: [],
    context: { policy: "drop-oldest" },
  };
});

after(async () => {
  await engine?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function openEngine(): Promise<Engine> {
  return createEngine({ dbPath: path.join(dir, "c.db"), modelsDir: path.join(dir, "models"), exportDir: path.join(dir, "exports"), stateRoot: path.join(dir, "state"), threads: 1, keepWarmMs: 0, log: () => undefined });
}

async function runToEnd(start: Promise<SessionInfo>): Promise<SessionInfo> {
  const s = await start;
  const outcome = await engine.sessions.wait(s.id);
  assert.equal(outcome.status, "completed", outcome.error ?? "");
  return engine.sessions.get(s.id);
}

const all = (sessionId: string): Message[] => engineParts(engine).store.listMessages(sessionId, { limit: 10_000 }).messages;

test("replaying a deterministic pipeline with its seed reports no divergence", async () => {
  const source = await runToEnd(engine.sessions.create(pipeline));
  const { session, warnings } = await engine.sessions.replay(source.id);
  assert.deepEqual(warnings, [], "a sequential, local pipeline can be replayed exactly");
  assert.deepEqual(session.origin, { kind: "replay", sessionId: source.id, atSeq: null });
  assert.equal(session.title, "replay me · replay");
  assert.deepEqual(session.experiment, source.experiment, "the stored experiment, seed included, as it was");
  const running = (await engine.sessions.lineage(session.id)).report;
  assert.equal(running?.state, "running", "the report (and its warnings) exist before the replay ends");

  await runToEnd(Promise.resolve(session));
  const { report, parent } = await engine.sessions.lineage(session.id);
  assert.equal(parent?.id, source.id);
  assert.ok(report);
  assert.equal(report.state, "done");
  assert.equal(report.replayStatus, "completed");
  assert.equal(report.firstDivergence, null, JSON.stringify(report.firstDivergence));
  const turns = all(source.id).filter((m) => m.provenance);
  assert.equal(turns.length, 3, "one turn per pipeline step");
  assert.ok(turns.every((m) => m.content.length > 0), "the turns say something to compare");
  assert.ok(report.compared.source >= 6);
  assert.deepEqual([report.matched, report.compared.replay, report.differing, report.sourceOnly, report.replayOnly], [report.compared.source, report.compared.source, 0, 0, 0]);
  assert.deepEqual(all(session.id).map((m) => [m.from, m.type, m.content]), all(source.id).map((m) => [m.from, m.type, m.content]));
  assert.deepEqual((await engine.sessions.lineage(source.id)).children.map((s) => s.id), [session.id]);
});

test("replaying a session whose stored experiment was changed reports the first divergence", async () => {
  const source = await runToEnd(engine.sessions.create(pipeline));
  const changed = { ...pipeline, roles: pipeline.roles.map((r) => (r.name === "editor" ? { ...r, maxTokens: 52 } : r)) };
  withStoreFile(engineParts(engine).store, (db) => db.prepare("UPDATE sessions SET experiment = ? WHERE id = ?").run([JSON.stringify(changed), source.id]));

  const { session } = await engine.sessions.replay(source.id);
  await runToEnd(Promise.resolve(session));
  const report = (await engine.sessions.lineage(session.id)).report!;
  const editor = all(source.id).find((m) => m.from === "editor" && m.provenance)!;
  const d = report.firstDivergence;
  assert.ok(d, "the transcripts diverge");
  assert.equal(d.source?.seq, editor.seq, "at the editor's turn in the source");
  assert.equal(d.source?.from, "editor");
  assert.equal(d.replay?.from, "editor");
  assert.ok(d.fields.length > 0, JSON.stringify(d));
  const text = editor.content.replace(/\s+/g, " ").trim();
  assert.equal(d.source?.excerpt, text.length > 160 ? `${text.slice(0, 159)}…` : text);
  assert.equal(report.matched, d.index - 1, "everything before it matched");
  assert.equal(d.index, editor.seq, "no event notes precede it, so positions are seqs");
  assert.ok(report.differing >= 1);
});

test("a replay interrupted by the engine closing keeps its report open; resumed, it is compared", async () => {
  const source = await runToEnd(engine.sessions.create(pipeline));
  const firstTurn = new Promise<void>((resolve) => {
    const off = engine.onEvent((e) => {
      if (e.type === "message" && e.message.provenance) {
        off();
        resolve();
      }
    });
  });
  const { session } = await engine.sessions.replay(source.id);
  await firstTurn;
  await engine.dispose();

  engine = await openEngine();
  assert.equal((await engine.sessions.get(session.id)).status, "interrupted");
  assert.equal((await engine.sessions.lineage(session.id)).report?.state, "running", "not compared while it may be resumed");
  await engine.sessions.control(session.id, "resume");
  await runToEnd(Promise.resolve(session));
  const report = (await engine.sessions.lineage(session.id)).report!;
  assert.equal(report.state, "done");
  assert.equal(report.replayStatus, "completed");
  assert.equal(report.firstDivergence, null, "resumed from the store, the replay still matches its source");
});
