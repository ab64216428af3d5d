/**
 * The solution library over real sessions on the real test model: a task set whose second half
 * repeats the first half. Successful results (rated 4 stars or more) are reused on the repeats —
 * one confirmation instead of the protocol — while a result rated under 4 stars never enters the
 * library; the path, the hit rate and the time saved are recorded per session, and a replay takes
 * the same path as its source.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExperimentInput } from "../../../../shared/experiment.js";
import type { SessionInfo } from "../../../../shared/conversation.js";
import { realTestModel } from "../../../../models/test/testModels.js";
import { createEngine } from "../../createEngine.js";
import type { Engine } from "../../Engine.js";
import { exportSession } from "../export/exportSession.js";
import { sessionSuccess } from "./successEvidence.js";
import { engineParts } from "../../engineParts.js";

const TASKS = [
  "Write about a red fox hunting mice in the snowy forest.",
  "Describe the song of a blue whale in the deep ocean.",
  "Explain how honey bees build wax honeycomb cells.",
];

async function run(engine: Engine, experiment: ExperimentInput): Promise<SessionInfo> {
  const session = await engine.sessions.create(experiment);
  const outcome = await engine.sessions.wait(session.id);
  assert.equal(outcome.status, "completed", outcome.error ?? "");
  return outcome.session;
}

test("a task set whose second half repeats the first: the library reuses the successful results, records path, hit rate and time saved (real model)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "conclave-library-"));
  const engine = await createEngine({ dbPath: join(dir, "c.db"), modelsDir: join(dir, "models"), exportDir: join(dir, "exports"), stateRoot: join(dir, "state"), log: () => undefined, keepWarmMs: 0, threads: 1 });
  try {
    const model = await realTestModel();
    const experiment = (task: string): ExperimentInput => ({
      title: "library series",
      task,
      seed: 5,
      roles: [
        { name: "writer", model, maxTokens: 80, contextSize: 512 },
        { name: "checker", model, maxTokens: 80, contextSize: 512 },
      ],
      protocol: { kind: "pipeline" },
      library: { use: true, topK: 2, minScore: 0.3, reuseAt: 0.9 },
    });
    const sessions: SessionInfo[] = [];
    for (const [i, task] of [...TASKS, ...TASKS].entries()) {
      const s = await run(engine, experiment(task));
      sessions.push(s);
      if (i < TASKS.length) {
        // The researcher rates the first two results 5 stars and the third 2 stars.
        const result = engineParts(engine).store.results.message(s.id);
        assert.ok(result, `session ${i} has a result`);
        await engine.arena.rate({ messageId: result.id, stars: i < 2 ? 5 : 2 });
      }
    }
    const uses = sessions.map((s) => engineParts(engine).store.libraryUses.get(s.id));
    assert.deepEqual(uses.map((u) => u?.path), ["fresh", "fresh", "fresh", "reuse", "reuse", "fresh"]);
    assert.equal(sessionSuccess(engineParts(engine).store, sessions[2]!.id), null, "a result rated 2 stars is not a success");

    for (const i of [3, 4]) {
      const use = uses[i]!;
      const source = sessions[i - 3]!;
      const item = use.items[0]!;
      assert.equal(use.items.length, 1);
      assert.equal(item.sourceSessionId, source.id, "the repeat reuses its own earlier task");
      assert.ok(item.similarity >= 0.9, String(item.similarity));
      assert.deepEqual(item.basis, ["rating"]);
      assert.match(item.evidence.join(" "), /rated 5 stars by user/);
      assert.equal(item.model?.name.length ? true : false, true, "the past answer's model is named");
      assert.ok(item.generationMs !== null && item.generationMs > 0, "the past session's generation time is known");

      const { messages } = await engine.sessions.messages(sessions[i]!.id, 0, 100);
      const retrieved = messages.filter((m) => m.type === "retrieved");
      assert.equal(retrieved.length, 1);
      assert.equal(retrieved[0]!.id, item.messageId, "the item records the message that carried it");
      assert.match(retrieved[0]!.content, new RegExp(`From session “library series” \\(${source.id}`));
      assert.ok(retrieved[0]!.content.includes(item.answer), "the past answer is quoted");
      assert.ok(messages.some((m) => m.from === "system" && m.content.startsWith("Library: reuse")));
      const spoken = messages.filter((m) => m.from === "writer" || m.from === "checker");
      assert.deepEqual(spoken.map((m) => m.from), ["checker"], "one confirmation by the pipeline's last step, nothing generated afresh");
      assert.ok(use.savedMs !== null, "time saved is recorded");
      assert.equal(engineParts(engine).store.listMetrics(sessions[i]!.id, "library.savedMs").at(-1)?.value, use.savedMs);
    }

    // A fresh session runs the whole pipeline and records nothing saved.
    const fresh = (await engine.sessions.messages(sessions[5]!.id, 0, 100)).messages;
    assert.deepEqual(fresh.filter((m) => m.from === "writer" || m.from === "checker").map((m) => m.from), ["writer", "checker"]);
    assert.ok(fresh.some((m) => m.content.startsWith("Library: fresh generation")));
    assert.equal(uses[5]!.savedMs, 0);

    const hits = sessions.map((s) => engineParts(engine).store.listMetrics(s.id, "library.hit").at(-1)?.value);
    assert.deepEqual(hits, [0, 0, 0, 1, 1, 0]);
    const rates = sessions.map((s) => engineParts(engine).store.listMetrics(s.id, "library.hitRate").at(-1)?.value);
    assert.deepEqual(rates.map((r) => Number(r?.toFixed(3))), [0, 0, 0, 0.25, 0.4, Number((2 / 6).toFixed(3))]);

    // A retrieved message is context in an export, never a trained-on turn.
    const out = join(dir, "reuse.jsonl");
    await exportSession(engineParts(engine).store, sessions[3]!.id, { format: "openai", out });
    const records = (await readFile(out, "utf8")).split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as { messages: { role: string; name?: string; content: string }[] });
    assert.equal(records.length, 1, "only the confirmation is a training example");
    assert.ok(records[0]!.messages.some((t) => t.role === "user" && t.content.includes("Past answer")), "the retrieved answer is part of the context");

    // A replay takes its source's path: the same past result is reused.
    const replay = await engine.sessions.replay(sessions[3]!.id);
    assert.equal((await engine.sessions.wait(replay.session.id)).status, "completed");
    const again = engineParts(engine).store.libraryUses.get(replay.session.id);
    assert.equal(again?.path, "reuse");
    assert.equal(again?.items[0]?.sourceSessionId, sessions[0]!.id);
  } finally {
    await engine.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});
