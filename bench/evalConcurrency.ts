/**
 * evalConcurrencyRatio: wall time of an 8-task evaluation at `execution.concurrency: 4` ÷ the same
 * evaluation at concurrency 1, each in a fresh engine on the real test model (a two-role
 * roundtable with a self-consistency baseline per task). Reported, not aimed: on a machine whose
 * cores the model processes already keep busy, running tasks at once can only overlap what is not
 * decoding (session set-up, the store, the checks, the baseline's seat load).
 */
import os from "node:os";
import path from "node:path";
import { mkdtemp, rm } from "node:fs/promises";
import { createEngine } from "../electron/engine/createEngine.js";
import { realTestModel } from "../models/test/testModels.js";
import type { ExperimentInput } from "../shared/experiment.js";
import { engineParts } from "../electron/engine/engineParts.js";

const TASKS = 8;

async function experiment(concurrency: number): Promise<ExperimentInput> {
  const model = await realTestModel();
  return {
    title: "Concurrency bench",
    task: "Answer the question. End with 'Answer: <number>'.",
    seed: 3,
    roles: [
      { name: "solver", model, maxTokens: 32 },
      { name: "checker", model, maxTokens: 32 },
    ],
    protocol: { kind: "roundtable", rounds: 1, chair: "solver" },
    tasks: Array.from({ length: TASKS }, (_, i) => ({ id: `t${i + 1}`, prompt: `What is ${i + 2} + ${i * 5}?`, reference: i + 2 + i * 5 })),
    check: { kind: "numeric" },
    extract: "(-?\\d+)",
    baseline: { kind: "self-consistency", model: "solver" },
    execution: { concurrency },
  };
}

async function wallMs(concurrency: number): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "conclave-bench-evalconc-"));
  const engine = await createEngine({ dbPath: path.join(dir, "c.db"), modelsDir: path.join(dir, "models"), exportDir: path.join(dir, "exports"), stateRoot: path.join(dir, "state"), keepWarmMs: 0, log: () => undefined });
  try {
    await engineParts(engine).registry.ready();
    const t0 = performance.now();
    const run = await engine.evaluations.wait((await engine.evaluations.run(await experiment(concurrency), { out: path.join(dir, "out") })).id);
    if (run.status !== "completed") throw new Error(`evaluation ${run.status}: ${run.error ?? ""}`);
    return performance.now() - t0;
  } finally {
    await engine.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function benchEvalConcurrency(log: (line: string) => void = () => {}): Promise<{ ratio: number; concurrentMs: number; serialMs: number; tasks: number; loadAverage: number }> {
  log("evaluation concurrency: 8 tasks at concurrency 1…");
  const serialMs = await wallMs(1);
  log("evaluation concurrency: 8 tasks at concurrency 4…");
  const concurrentMs = await wallMs(4);
  return { ratio: concurrentMs / serialMs, concurrentMs, serialMs, tasks: TASKS, loadAverage: os.loadavg()[0] ?? 0 };
}
