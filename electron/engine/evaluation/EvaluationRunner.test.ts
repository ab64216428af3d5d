/**
 * Task-set evaluations on real models and a real SQLite file, through the engine's front door:
 * each task's committee session, its check and a same-budget baseline whose tokens match the
 * committee's within 10% on every task; `results.json` on disk and in the store, valid against the
 * shared schema; arena outcomes recorded; and a run interrupted by closing the engine continues
 * where it stopped when run again (finished tasks skipped, the interrupted session resumed).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { EvalResults } from "../../../shared/evalResults.js";
import type { ExperimentInput } from "../../../shared/experiment.js";
import type { EvaluationSummary } from "../../../shared/evaluation.js";
import { realTestModel } from "../../../models/test/testModels.js";
import { createEngine } from "../createEngine.js";
import type { Engine } from "../Engine.js";
import { tempDir } from "../data/store/test/testSupport.js";
import { withinBudget } from "./test/withinBudget.js";
import { engineParts } from "../engineParts.js";

const open = (dir: string): Promise<Engine> =>
  createEngine({ dbPath: path.join(dir, "c.db"), modelsDir: path.join(dir, "models"), exportDir: path.join(dir, "exports"), stateRoot: path.join(dir, "state"), keepWarmMs: 0, threads: 1, log: () => undefined });

async function arithmetic(): Promise<ExperimentInput> {
  const model = await realTestModel();
  return {
    title: "Arithmetic on the test model",
    task: "Answer the question. End with 'Answer: <number>'.",
    seed: 5,
    roles: [
      { name: "solver", model, maxTokens: 24 },
      { name: "checker", model, maxTokens: 24 },
    ],
    protocol: { kind: "roundtable", rounds: 1, chair: "solver" },
    tasks: [
      { id: "add", prompt: "What is 17 + 25?", reference: 42 },
      { id: "mul", prompt: "What is 6 × 7?", reference: 42 },
      { id: "sub", prompt: "What is 9 + 10?", reference: 19 },
    ],
    check: { kind: "numeric" },
    extract: "(-?\\d+)",
    baseline: { kind: "self-consistency", model: "solver" },
  };
}

test("a task set runs with a same-budget baseline: tokens within 10% on every task, results.json valid, outcomes recorded; a rerun continues an interrupted run", async () => {
  const t = tempDir("conclave-eval-");
  const out = path.join(t.dir, "out");
  const experiment = await arithmetic();
  try {
    // 1. Start, and close the engine once the first task is done: the run is interrupted mid-way.
    const first = await open(t.dir);
    let stopping: Promise<void> | null = null;
    let cutSession: string | null = null;
    const seen: EvaluationSummary[] = [];
    first.onEvent((e) => {
      if (e.type !== "evaluation") return;
      seen.push(e.run);
      // The second task's committee is running: close the engine under it.
      if (e.run.done === 1 && e.run.current?.phase === "committee" && e.run.current.sessionId && !stopping) {
        cutSession = e.run.current.sessionId;
        stopping = first.dispose();
      }
    });
    const started = await first.evaluations.run(experiment, { out });
    assert.equal(started.total, 3);
    await first.evaluations.wait(started.id).catch(() => undefined);
    await (stopping ?? first.dispose());
    assert.ok(seen.some((s) => s.current?.phase === "baseline"), "progress names the phase");

    // 2. Run it again into the same folder: the same run continues, the finished task is skipped.
    const engine = await open(t.dir);
    try {
      const interrupted = (await engine.evaluations.list()).find((r) => r.id === started.id);
      assert.equal(interrupted?.status, "interrupted");
      assert.equal(interrupted?.done, 1);
      const sessionsBefore = (await engine.sessions.list()).length;
      const again = await engine.evaluations.run(experiment, { out });
      assert.equal(again.id, started.id, "same experiment and folder: the same run");
      const run = await engine.evaluations.wait(again.id);
      assert.equal(run.status, "completed", run.error ?? "");
      assert.equal(run.skipped, 1, "the finished task was skipped");
      const sessions = await engine.sessions.list();
      // The interrupted task's session was resumed, not started afresh: one session per task.
      assert.ok(cutSession, "the engine closed during the second task");
      assert.equal(sessions.length - sessionsBefore, 1, "only the third task needed a new session");
      assert.equal(sessions.length, 3);
      assert.ok(sessions.every((s) => s.status === "completed"));
      assert.equal(run.tasks.find((x) => x.id === "mul")?.sessionId, cutSession);

      // 3. results.json: on disk and in the store, the shared schema's shape.
      const onDisk = EvalResults.parse(JSON.parse(readFileSync(path.join(out, "results.json"), "utf8")));
      assert.deepEqual(onDisk, run.results);
      assert.deepEqual(onDisk.tasks.map((x) => x.id), ["add", "mul", "sub"]);
      assert.equal(onDisk.check, "numeric");
      assert.equal(onDisk.baselineKind, "self-consistency");
      assert.equal(onDisk.tokens.committee, onDisk.tasks.reduce((s, x) => s + x.committee.tokens, 0));
      assert.ok(onDisk.mcnemar && onDisk.mcnemar.p >= 0 && onDisk.mcnemar.p <= 1);
      assert.ok(onDisk.ci95 && onDisk.ci95[0] <= onDisk.delta! && onDisk.delta! <= onDisk.ci95[1]);
      assert.ok(onDisk.conformity && onDisk.conformity.sessions === 3);

      for (const task of onDisk.tasks) {
        const b = task.baseline!;
        // The baseline spent the committee's budget.
        assert.ok(task.committee.tokens > 0);
        assert.ok(withinBudget(task.committee.tokens, b.tokens), `${task.id}: committee ${task.committee.tokens} tokens, baseline ${b.tokens}`);
        process.stdout.write(`# ${task.id}: committee ${task.committee.tokens} tokens, baseline ${b.tokens}\n`);
        assert.equal(typeof task.committee.correct, "boolean");
        assert.equal(typeof b.correct, "boolean");
        // The answers came from stored messages: the session's result and a baseline sample.
        const messages = (await engine.sessions.messages(task.sessionId!, 0, 1000)).messages;
        const result = await engine.evaluations.sessionResult(task.sessionId!);
        assert.equal(task.committee.messageId, result?.messageId);
        const samples = messages.filter((m) => m.from === "baseline");
        assert.ok(samples.length >= 2, "self-consistency drew several samples");
        assert.ok(samples.every((m) => m.type === "answer" && m.provenance?.fileName && m.usage));
        assert.equal(samples.reduce((s, m) => s + m.usage!.completionTokens, 0), b.tokens);
        assert.ok(samples.some((m) => m.id === b.messageId));
        // Committee against baseline is in the arena, decided by the check.
        const outcomes = engineParts(engine).store.pairwise.list({ sessionId: task.sessionId! });
        const vs = outcomes.filter((o) => o.source === "baseline");
        assert.equal(vs.length, 1, `${task.id}: one committee-vs-baseline outcome`);
        assert.equal(vs[0]!.judge, "checker:numeric");
        const expected = task.committee.correct && !b.correct ? "a" : b.correct && !task.committee.correct ? "b" : task.committee.correct ? "tie" : "both-bad";
        assert.equal(vs[0]!.winner, expected);
        for (const o of outcomes.filter((x) => x.source === "checker")) assert.ok(o.winner === "a" || o.winner === "b");
      }
      assert.equal(run.tasks.filter((x) => x.status === "done").length, 3);
    } finally {
      await engine.dispose();
    }
  } finally {
    t.cleanup();
  }
});
