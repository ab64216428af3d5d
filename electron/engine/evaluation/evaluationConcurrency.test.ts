/**
 * `execution.concurrency`: an evaluation runs several tasks at once (each in its own committee
 * session, on real models and a real SQLite file), progress names every task in flight, a run
 * closed mid-way loses only the tasks in flight and continues when run again, and `results.json`
 * comes out the same as the one-at-a-time run of the same set.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { EvalResults } from "../../../shared/evalResults.js";
import type { ExperimentInput } from "../../../shared/experiment.js";
import type { EvaluationSummary } from "../../../shared/evaluation.js";
import { scriptedModel } from "../../../models/test/testModels.js";
import { createEngine } from "../createEngine.js";
import type { Engine } from "../Engine.js";
import { tempDir } from "../data/store/test/testSupport.js";

const open = (dir: string): Promise<Engine> =>
  createEngine({ dbPath: path.join(dir, "c.db"), modelsDir: path.join(dir, "models"), exportDir: path.join(dir, "exports"), stateRoot: path.join(dir, "state"), keepWarmMs: 0, threads: 1, log: () => undefined });

async function experiment(concurrency: number): Promise<ExperimentInput> {
  // A scripted model: batched decoding sums in another order than one sequence alone, so a
  // random-weight model's near-tie tokens may differ between the two runs; a scripted model's
  // choices are far from any tie, so what is compared is the evaluation's bookkeeping.
  const model = await scriptedModel(["Answer: 8", JSON.stringify({ type: "answer", content: "Answer: 8", referencesTo: [], confidence: 0.8 })]);
  return {
    title: "Sums, several at once",
    task: "Answer the question. End with 'Answer: <number>'.",
    seed: 9,
    roles: [
      { name: "solver", model, maxTokens: 16 },
      { name: "checker", model, maxTokens: 16 },
    ],
    protocol: { kind: "roundtable", rounds: 1, chair: "solver" },
    tasks: [1, 2, 3, 4, 5].map((i) => ({ id: `t${i}`, prompt: `What is ${i} + ${i * 3}?`, reference: i * 4 })),
    check: { kind: "numeric" },
    extract: "(-?\\d+)",
    baseline: { kind: "self-consistency", model: "solver" },
    execution: { concurrency },
  };
}

/** results.json without what names this run's own sessions and messages. */
function comparable(file: string): unknown {
  const results = EvalResults.parse(JSON.parse(readFileSync(file, "utf8")));
  return JSON.parse(JSON.stringify(results, (key, value: unknown) => (key === "sessionId" || key === "messageId" ? null : value)));
}

test("concurrency 3: tasks in flight together, a closed run resumes losing only those in flight, results.json as with concurrency 1", async () => {
  const t = tempDir("conclave-eval-concurrency-");
  try {
    // The reference: one task at a time.
    const serial = await open(path.join(t.dir, "serial"));
    try {
      const run = await serial.evaluations.wait((await serial.evaluations.run(await experiment(1), { out: path.join(t.dir, "out1") })).id);
      assert.equal(run.status, "completed", run.error ?? "");
    } finally {
      await serial.dispose();
    }

    // Three at once, closed under the run once a task is done while others are in flight.
    const dir = path.join(t.dir, "concurrent");
    const out = path.join(t.dir, "out3");
    const first = await open(dir);
    let stopping: Promise<void> | null = null;
    let doneAtClose = 0;
    const seen: EvaluationSummary[] = [];
    first.onEvent((e) => {
      if (e.type !== "evaluation") return;
      seen.push(e.run);
      if (e.run.done >= 1 && e.run.inFlight.length >= 2 && !stopping) {
        doneAtClose = e.run.done;
        stopping = first.dispose();
      }
    });
    const started = await first.evaluations.run(await experiment(3), { out });
    await first.evaluations.wait(started.id).catch(() => undefined);
    await (stopping ?? first.dispose());
    const peak = Math.max(...seen.map((s) => s.inFlight.length));
    assert.ok(peak >= 2 && peak <= 3, `progress showed several tasks in flight (peak ${peak})`);
    assert.ok(seen.every((s) => s.current === (s.inFlight[0] ?? null) || s.current?.taskId === s.inFlight[0]?.taskId), "current is the first in flight");
    assert.ok(stopping, "the engine was closed while tasks were in flight");
    assert.ok(seen.some((s) => s.concurrency === 3), "the budget admits the three asked for");

    const engine = await open(dir);
    try {
      const interrupted = (await engine.evaluations.list()).find((r) => r.id === started.id);
      assert.equal(interrupted?.status, "interrupted");
      assert.ok((interrupted?.done ?? 0) >= doneAtClose, "every task finished before the close is kept");
      const again = await engine.evaluations.run(await experiment(3), { out });
      assert.equal(again.id, started.id, "the same run continues");
      const run = await engine.evaluations.wait(again.id);
      assert.equal(run.status, "completed", run.error ?? "");
      assert.equal(run.skipped, interrupted?.done, "the tasks stored before the close were skipped");
      assert.equal(run.inFlight.length, 0);
      assert.equal(run.tasks.filter((x) => x.status === "done").length, 5);
    } finally {
      await engine.dispose();
    }
    assert.deepEqual(comparable(path.join(out, "results.json")), comparable(path.join(t.dir, "out1", "results.json")), "results.json is the same as one task at a time");
  } finally {
    t.cleanup();
  }
});
