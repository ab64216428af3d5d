/**
 * Solution-library benchmark for `bench/results.json` (group `library`):
 *  - `libraryHitSpeedup`: the time to answer a repeated task through the library (reuse: one member
 *    confirms the past answer) divided by generating it afresh (the same committee, library off:
 *    a two-member roundtable of one round with a vote and a synthesis), on the real test model.
 *    Each of 5 tasks is answered afresh, its result rated 5 stars (so it enters the library), then
 *    asked again with the library on; the figure is the median of the reuse times over the median
 *    of the fresh ones. Seats stay warm between sessions and one unmeasured session loads the model
 *    first, so both sides measure answering, not loading. Reported; there is no aim yet.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExperimentInput } from "../shared/experiment.js";
import { realTestModel } from "../models/test/testModels.js";
import { createEngine } from "../electron/engine/createEngine.js";
import type { Engine } from "../electron/engine/Engine.js";
import { engineParts } from "../electron/engine/engineParts.js";

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const TASKS = [
  "Write about a red fox hunting mice in the snowy forest.",
  "Describe the song of a blue whale in the deep ocean.",
  "Explain how honey bees build wax honeycomb cells.",
  "Tell how a lighthouse keeper guides ships through a storm.",
  "Describe a desert caravan crossing the dunes at night.",
];

async function timed(engine: Engine, e: ExperimentInput): Promise<{ ms: number; sessionId: string }> {
  const t0 = performance.now();
  const s = await engine.sessions.create(e);
  const outcome = await engine.sessions.wait(s.id);
  const ms = performance.now() - t0;
  if (outcome.status !== "completed") throw new Error(`session ${s.id} ${outcome.status}: ${outcome.error ?? ""}`);
  return { ms, sessionId: s.id };
}

export async function benchLibraryHitSpeedup(log: (line: string) => void): Promise<{ ratio: number; reuseMs: number; freshMs: number; tasks: number; reused: number }> {
  const dir = mkdtempSync(join(tmpdir(), "conclave-bench-library-"));
  const engine = await createEngine({ dbPath: join(dir, "c.db"), modelsDir: join(dir, "models"), exportDir: join(dir, "exports"), stateRoot: join(dir, "state"), log: () => undefined, keepWarmMs: 600_000 });
  try {
    const model = await realTestModel();
    const experiment = (task: string, library: boolean): ExperimentInput => ({
      title: "library bench",
      task,
      seed: 7,
      roles: [
        { name: "teller", model, maxTokens: 96, contextSize: 1024 },
        { name: "critic", model, maxTokens: 96, contextSize: 1024 },
      ],
      protocol: { kind: "roundtable", rounds: 1, stopWhen: "rounds" },
      ...(library ? { library: { use: true } } : {}),
    });
    await timed(engine, experiment("Warm the model up with a short story.", false));
    const fresh: number[] = [];
    const reuse: number[] = [];
    let reused = 0;
    for (const task of TASKS) {
      const f = await timed(engine, experiment(task, false));
      fresh.push(f.ms);
      const result = engineParts(engine).store.results.message(f.sessionId);
      if (!result) throw new Error(`session ${f.sessionId} has no result to rate`);
      await engine.arena.rate({ messageId: result.id, stars: 5 });
      const r = await timed(engine, experiment(task, true));
      reuse.push(r.ms);
      if (engineParts(engine).store.libraryUses.get(r.sessionId)?.path === "reuse") reused++;
      log(`library: "${task.slice(0, 32)}…" fresh ${f.ms.toFixed(0)} ms, via the library ${r.ms.toFixed(0)} ms`);
    }
    const freshMs = median(fresh);
    const reuseMs = median(reuse);
    return { ratio: reuseMs / freshMs, reuseMs, freshMs, tasks: TASKS.length, reused };
  } finally {
    await engine.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
