/**
 * The judge on a real model: verdicts asked for as typed JSON under a grammar come back readable,
 * through the engine's backend pool with the judge's provenance; a task set checked by a judge role
 * gets its answers graded (correct or incorrect, never guessed) and a best-of-n baseline picked by it.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { realTestModel } from "../../../models/test/testModels.js";
import { createEngine } from "../createEngine.js";
import { tempDir } from "../data/store/test/testSupport.js";
import { EvalSeat } from "./evalSeat.js";
import { ModelJudge, readVerdictField } from "./modelJudge.js";
import { engineParts } from "../engineParts.js";

test("a verdict is read from whole JSON or from a cut-off reply, and never guessed", () => {
  assert.equal(readVerdictField('{"verdict": "correct", "reason": "42"}', "verdict", ["correct", "incorrect"]), "correct");
  assert.equal(readVerdictField('{"verdict": "incorrect", "reason": "the sum is', "verdict", ["correct", "incorrect"]), "incorrect");
  assert.equal(readVerdictField('{"verdict": "maybe"}', "verdict", ["correct", "incorrect"]), null);
  assert.equal(readVerdictField("{\"verd", "verdict", ["correct", "incorrect"]), null);
});

test("the judge grades blind on a real model through the pool, and a judge-checked task set runs with it", async () => {
  const t = tempDir("conclave-judge-");
  const model = await realTestModel();
  const engine = await createEngine({ dbPath: path.join(t.dir, "c.db"), modelsDir: path.join(t.dir, "models"), exportDir: path.join(t.dir, "exports"), stateRoot: path.join(t.dir, "state"), keepWarmMs: 0, threads: 1, log: () => undefined });
  try {
    // 1. Direct: a judge seat in a session, graded and compared through the pool.
    const session = await engine.sessions.create({ task: "What is 2 + 2?", roles: [{ name: "a", model, maxTokens: 8 }], protocol: { kind: "pipeline" } });
    await engine.sessions.wait(session.id);
    const seat = new EvalSeat(engineParts(engine).registry, { sessionId: session.id, role: "eval-judge" }, model);
    try {
      await seat.open();
      const judge = new ModelJudge({ generator: engineParts(engine).pool, sessionId: session.id, role: "eval-judge", seed: 3, maxTokens: 48 });
      const task = { id: "t", prompt: "What is 2 + 2?", reference: 4 };
      const graded = [await judge.grade({ task, answer: "4", judge: "a" }), await judge.grade({ task, answer: "5", judge: "a" })];
      const compared = await judge.compare(task, "4", "5");
      assert.equal(judge.turns.length, 3);
      for (const turn of judge.turns) {
        assert.equal(turn.grammarConstrained, true, "the verdict was held to its schema");
        assert.equal(turn.provenance.fileName, path.basename(model));
        assert.equal(turn.routing?.backend, "local");
      }
      // Under the grammar the verdict comes first, so it is readable even when the reason is cut off.
      for (const g of graded) assert.equal(typeof g.correct, "boolean", g.detail);
      assert.notEqual(compared.pick, null, compared.detail);
      process.stdout.write(`# verdicts: ${graded.map((g) => g.detail).join(", ")}; compare: ${compared.detail}\n`);
    } finally {
      await seat.close();
    }
    assert.equal(engineParts(engine).registry.get({ sessionId: session.id, role: "eval-judge" }), null, "the judge's seat is removed");

    // 2. A task set checked by a judge role, with a best-of-n baseline the judge picks from.
    const started = await engine.evaluations.run(
      {
        title: "Judged",
        task: "Answer briefly.",
        seed: 2,
        roles: [{ name: "writer", model, maxTokens: 16 }, { name: "grader", model, maxTokens: 16 }],
        protocol: { kind: "pipeline", steps: ["writer"] },
        tasks: [{ id: "capital", prompt: "What is the capital of France?", reference: "Paris" }],
        check: { kind: "judge", judge: "grader" },
        baseline: { kind: "best-of-n", model: "writer" },
      },
      { out: path.join(t.dir, "out") },
    );
    const run = await engine.evaluations.wait(started.id);
    assert.equal(run.status, "completed", run.error ?? "");
    const [result] = run.results!.tasks;
    assert.equal(run.results!.check, "judge");
    assert.equal(typeof result!.committee.correct, "boolean", "the judge's verdict on the committee's answer was read");
    assert.notEqual(result!.baseline, null);
    const vs = engineParts(engine).store.pairwise.list({ sessionId: result!.sessionId! }).filter((o) => o.source === "baseline");
    if (result!.baseline!.correct !== null) assert.match(vs[0]!.judge, /^judge:grader \(/);
  } finally {
    await engine.dispose();
    t.cleanup();
  }
});
