/**
 * Without a check, the members compare the committee's answer with the baseline's blind, on the
 * real model: each votes on its own seat, the order is shuffled per task from the seed, the verdict
 * is recorded as a committee-against-baseline outcome with where each answer was shown.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { realTestModel } from "../../../models/test/testModels.js";
import { seededShuffle } from "../conversation/protocols/seededRandom.js";
import { createEngine } from "../createEngine.js";
import { tempDir } from "../data/store/test/testSupport.js";
import { engineParts } from "../engineParts.js";

test("the presentation order is shuffled per task and fixed by the seed", () => {
  const orders = Array.from({ length: 16 }, (_, i) => seededShuffle(["committee", "baseline"], `7:task-${i}:baseline-order`)[0]);
  assert.ok(orders.includes("committee") && orders.includes("baseline"), "both orders occur across tasks");
  assert.deepEqual(orders, Array.from({ length: 16 }, (_, i) => seededShuffle(["committee", "baseline"], `7:task-${i}:baseline-order`)[0]));
});

test("without a check the members vote blind on committee against baseline, and the verdict is recorded", async () => {
  const t = tempDir("conclave-blind-");
  const model = await realTestModel();
  const engine = await createEngine({ dbPath: path.join(t.dir, "c.db"), modelsDir: path.join(t.dir, "models"), exportDir: path.join(t.dir, "exports"), stateRoot: path.join(t.dir, "state"), keepWarmMs: 0, threads: 1, log: () => undefined });
  try {
    const started = await engine.evaluations.run(
      {
        title: "Unchecked",
        task: "Tell a very short story.",
        seed: 9,
        roles: [{ name: "teller", model, maxTokens: 16 }, { name: "editor", model, maxTokens: 16 }],
        protocol: { kind: "pipeline" },
        tasks: [{ id: "fox", prompt: "About a fox." }],
        baseline: { kind: "single", model: "teller" },
      },
      { out: path.join(t.dir, "out") },
    );
    const run = await engine.evaluations.wait(started.id);
    assert.equal(run.status, "completed", run.error ?? "");
    const [task] = run.results!.tasks;
    assert.equal(task!.committee.correct, null, "nothing checks the answers");
    assert.equal(task!.baseline!.correct, null);
    assert.equal(run.results!.committee.accuracy, null);
    const outcomes = engineParts(engine).store.pairwise.list({ sessionId: task!.sessionId! }).filter((o) => o.source === "baseline");
    // Two voters whose verdicts are read under a grammar: a verdict, recorded once.
    assert.equal(outcomes.length, 1);
    const o = outcomes[0]!;
    assert.match(o.judge, /^members' blind vote \(teller: (committee|baseline|tie|both-bad|unreadable), editor: (committee|baseline|tie|both-bad|unreadable)\)$/);
    assert.deepEqual([o.positionA, o.positionB].sort(), [0, 1], "where each answer was shown");
    assert.equal(o.anonymous, true);
    assert.equal(task!.comparison?.winner, o.winner);
    assert.equal(o.messageA, task!.committee.messageId);
    assert.equal(o.messageB, task!.baseline!.messageId);
    // Member advice over the run names its task sessions; the baseline and the voters are not members.
    const advice = await engine.advice.advise({ target: run.id });
    assert.equal(advice.kind, "run");
    assert.deepEqual(advice.sessionIds, [task!.sessionId]);
    assert.deepEqual(advice.members.map((m) => m.figures.member).sort(), ["editor", "teller"]);
    // The voters' seats are gone again; the committee's were never touched.
    assert.deepEqual(engineParts(engine).registry.list(task!.sessionId!).filter((s) => s.role.startsWith("eval-")), []);
  } finally {
    await engine.dispose();
    t.cleanup();
  }
});
