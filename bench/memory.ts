/**
 * Memory benchmark: does a run's peak stay within its budget, in the engine's one memory measure
 * (electron/engine/runtime/worker/processMemory.ts)?
 *
 * - rotationPeakOverBudget: four small models (the `small` shape, four seeds) in a two-round
 *   roundtable under a 450 MB budget that seats only some of them at once: the peak of every
 *   process the engine started (warm spare and estimate inspector included), sampled every 100 ms,
 *   ÷ the budget. Mapped-file pages are reported beside it.
 */
import os from "node:os";
import path from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { SlotRegistry } from "../electron/engine/runtime/slots/SlotRegistry.js";
import { libraryResolver } from "../electron/engine/runtime/library/libraryResolver.js";
import { SessionRunner } from "../electron/engine/conversation/session/SessionRunner.js";
import { openStore } from "../electron/engine/data/store/sessionStore.js";
import { generatedModel } from "../models/generatedModels.js";
import { PRESETS } from "../models/gguf/presets.js";
import type { Experiment } from "../shared/experiment.js";
import { samplePeak } from "./peakMemory.js";

const BUDGET_BYTES = 450e6;

/** The small rotation under a fixed budget, in the engine's memory measure. */
export interface RotationPeakResult {
  rotationPeakOverBudget: number;
  peakBytes: number;
  /** Mapped-file pages at their peak, beside the measure (not in it). */
  peakFileBytes: number;
  budgetBytes: number;
  /** Each process's measure in the sample that set the peak (Linux), largest first. */
  peakProcessesBytes: number[];
  /** tsx's esbuild services at their peak, beside the measure (not started by the engine; a built app has none). */
  peakLoaderBytes: number;
  /** The budget's own count of what is in use, at its peak. */
  peakCountedBytes: number;
  rotations: number;
  messages: number;
  /** What the measure is on this machine. */
  measure: string;
}

export async function benchRotationPeak(log: (line: string) => void = () => {}): Promise<RotationPeakResult> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "conclave-bench-memory-"));
  const models = await Promise.all([0, 1, 2, 3].map((i) => generatedModel({ ...PRESETS.small, seed: 31 + i, name: `bench-small-${i}` })));
  const reg = new SlotRegistry({ resolver: libraryResolver({ modelsDir: tmp }), defaultContextSize: 1024, stateRoot: path.join(tmp, "state") });
  const store = openStore(path.join(tmp, "rotation-peak.db"));
  try {
    reg.budget = { bytes: BUDGET_BYTES, rule: "bench: 450 MB" };
    const experiment: Experiment = {
      title: "rotation peak bench",
      task: "Tell a short story about a fox and a turtle.",
      seed: 5,
      roles: ["a", "b", "c", "d"].map((name, i) => ({ name, model: models[i]!, maxTokens: 32, contextSize: 1024, temperature: 0.7 })),
      protocol: { kind: "roundtable", rounds: 2, stopWhen: "rounds", vote: false },
      swaps: [],
      context: { policy: "drop-oldest" },
    };
    log("four small models under a 450 MB budget, sampling the peak…");
    const sampler = samplePeak(async () => (await reg.memory()).measuredTotalBytes);
    // What the budget counted at its own peak, beside the measured peak: a measured peak over the
    // budget while the count stayed within it means the count misses something.
    let peakCountedBytes = 0;
    const counting = setInterval(() => (peakCountedBytes = Math.max(peakCountedBytes, reg.usage().inUseBytes)), 100);
    const runner = new SessionRunner({ experiment, store, registry: reg });
    const out = await runner.run();
    const peak = sampler.stop();
    clearInterval(counting);
    if (out.status !== "completed") throw new Error(`rotation peak: ${out.status} ${out.error ?? ""}`);
    const rotations = store.listSwaps(runner.sessionId).filter((s) => s.event.kind === "rotation").length;
    const { measure } = await reg.memory();
    return {
      rotationPeakOverBudget: peak.peakBytes / BUDGET_BYTES,
      peakBytes: peak.peakBytes,
      peakFileBytes: peak.peakFileBytes,
      peakProcessesBytes: peak.peakProcesses,
      peakLoaderBytes: peak.peakLoaderBytes,
      peakCountedBytes,
      budgetBytes: BUDGET_BYTES,
      rotations,
      messages: out.messages.length,
      measure,
    };
  } finally {
    await reg.dispose();
    store.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
