/**
 * Evaluations through the RPC dispatcher over a real engine, a real model and a real SQLite file:
 * `evaluations.run` starts one and answers at once, progress arrives as `evaluation` events,
 * `evaluations.get` returns the results in the contract's shape, `evaluations.list` lists it,
 * `sessions.result` names each task's result message; bad input is refused naming the field.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EvaluationRun, EvaluationSummary, SessionResult } from "../../shared/evaluation.js";
import type { RpcEvent } from "../../shared/rpc.js";
import { realTestModel } from "../../models/test/testModels.js";
import { createEngine } from "../engine/createEngine.js";
import { RpcDispatcher } from "./dispatcher.js";

test("evaluations.run / get / list and sessions.result over the RPC; bad input names its field", async () => {
  const dir = await mkdtemp(join(tmpdir(), "conclave-eval-rpc-"));
  const engine = await createEngine({ dbPath: join(dir, "c.db"), modelsDir: join(dir, "models"), exportDir: join(dir, "exports"), stateRoot: join(dir, "state"), keepWarmMs: 0, threads: 1, log: () => undefined });
  const d = new RpcDispatcher(engine);
  const call = async (method: string, params: unknown): Promise<unknown> => {
    const reply = await d.handle({ kind: "request", id: 1, method, params });
    if (!reply.ok) throw new Error(`${method}: ${reply.error.code}: ${reply.error.message}`);
    return reply.result;
  };
  try {
    const model = await realTestModel();
    const experiment = {
      title: "RPC evaluation",
      task: "Answer.",
      seed: 1,
      roles: [{ name: "a", model, maxTokens: 12 }],
      protocol: { kind: "pipeline" },
      tasks: [{ id: "one", prompt: "Say yes.", reference: "yes" }],
      check: "regex",
      baseline: { kind: "single" },
    };
    const noTasks = await d.handle({ kind: "request", id: 2, method: "evaluations.run", params: { experiment: { ...experiment, tasks: undefined, check: undefined, baseline: undefined } } });
    assert.equal(noTasks.ok, false);
    assert.match(!noTasks.ok ? noTasks.error.message : "", /experiment\.tasks: an evaluation needs `tasks`/);
    const badCheck = await d.handle({ kind: "request", id: 3, method: "evaluations.run", params: { experiment: { ...experiment, check: { kind: "fuzzy" } } } });
    assert.match(!badCheck.ok ? badCheck.error.message : "", /experiment\.check\.kind/);

    const events: EvaluationSummary[] = [];
    let ended: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (ended = resolve));
    d.subscribe((e: RpcEvent) => {
      if (e.type !== "evaluation") return;
      events.push(e.run);
      if (e.run.status !== "running") ended();
    });
    const started = EvaluationSummary.parse(await call("evaluations.run", { experiment }));
    assert.equal(started.status, "running");
    assert.equal(started.total, 1);
    await done;
    const run = EvaluationRun.parse(await call("evaluations.get", { runId: started.id }));
    assert.equal(run.status, "completed", run.error ?? "");
    assert.ok(events.some((e) => e.current?.phase === "committee"));
    assert.equal(run.results?.tasks.length, 1);
    assert.equal(run.tasks[0]?.status, "done");
    assert.ok(run.outDir.startsWith(join(dir, "exports", "evaluations")), "without an out folder, results go under the export folder");
    const list = (await call("evaluations.list", {})) as EvaluationSummary[];
    assert.deepEqual(list.map((r) => [r.id, r.done]), [[started.id, 1]]);
    const result = SessionResult.nullable().parse(await call("sessions.result", { sessionId: run.tasks[0]!.sessionId }));
    assert.equal(result?.messageId, run.results!.tasks[0]!.committee.messageId);
    assert.match(result?.basis ?? "", /^generate by a$/);
    const unknown = await d.handle({ kind: "request", id: 4, method: "evaluations.get", params: { runId: "nope" } });
    assert.match(!unknown.ok ? unknown.error.message : "", /no evaluation run nope/);
  } finally {
    d.close();
    await engine.dispose();
    await rm(dir, { recursive: true, force: true });
  }
});
