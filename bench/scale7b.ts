/**
 * `npm run bench -- --scale 7b`: opt-in, never part of the default bench or CI. Four 7B-class
 * Q4_0 models (the `7b` shape, four seeds, ~4.1 GB each, generated into the model cache and
 * deleted afterwards) run a short roundtable by rotation under a 16 GB budget. Reported:
 * - the peak of every process the engine started, in the engine's memory measure, against the budget
 *   (mapped-file pages beside it);
 * - the time per turn;
 * - each rotation's load time against raw node-llama-cpp loading the same file in this process
 *   (after the run, same thread count, the same `useMmap` the engine's CPU default uses);
 * - the visible wait per rotation (the rotated seat's turn asked for → its first token);
 * - the measured per-model figure, from which the README's "what a Mac seats" table is computed.
 */
import os from "node:os";
import path from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { getLlama, LlamaLogLevel } from "node-llama-cpp";
import { SlotRegistry } from "../electron/engine/runtime/slots/SlotRegistry.js";
import { libraryResolver } from "../electron/engine/runtime/library/libraryResolver.js";
import { SessionRunner } from "../electron/engine/conversation/session/SessionRunner.js";
import { openStore } from "../electron/engine/data/store/sessionStore.js";
import { defaultThreads } from "../electron/engine/runtime/worker/threads.js";
import { generatedModel } from "../models/generatedModels.js";
import { PRESETS } from "../models/gguf/presets.js";
import type { Experiment } from "../shared/experiment.js";
import { samplePeak } from "./peakMemory.js";

const BUDGET_BYTES = 16e9;
/**
 * One round by default: three seats fit and the fourth rotates in. `CONCLAVE_SCALE_ROUNDS=2` adds
 * the rotations of a second round, at roughly twice the time (about 1 token/s at this size on 2 cores).
 */
const ROUNDS = Number(process.env.CONCLAVE_SCALE_ROUNDS ?? 1);

export interface Scale7bResult {
  budgetBytes: number;
  peakBytes: number;
  peakOverBudget: number;
  peakFileBytes: number;
  measure: string;
  fileBytes: number;
  /** One loaded 7B process in the measure, less its baseline: what each seated model costs. */
  perModelBytes: number;
  processBaselineBytes: number;
  turns: number;
  msPerTurn: number;
  tokens: number;
  wallMs: number;
  rotations: { role: string; loadMs: number; rawLoadMs: number; visibleWaitMs: number | null }[];
}

/** The four files, generated once into the model cache (about a minute each, disk-bound). */
export function scaleModels(): Promise<string[]> {
  return Promise.all([0, 1, 2, 3].map((i) => generatedModel({ ...PRESETS["7b"], seed: 7 + i, name: `scale-7b-${i}` })));
}

async function rawLoadMs(file: string): Promise<number> {
  const llama = await getLlama({ build: "never", gpu: false, logLevel: LlamaLogLevel.error });
  llama.maxThreads = defaultThreads(llama.cpuMathCores);
  const t0 = performance.now();
  const model = await llama.loadModel({ modelPath: file, useMmap: false });
  const ms = performance.now() - t0;
  await model.dispose();
  return ms;
}

export async function benchScale7b(log: (line: string) => void = () => {}): Promise<Scale7bResult> {
  log("generating four 7B-class Q4_0 models (cached; deleted after the run)…");
  const models = await scaleModels();
  const tmp = mkdtempSync(path.join(os.tmpdir(), "conclave-bench-7b-"));
  const reg = new SlotRegistry({ resolver: libraryResolver({ modelsDir: tmp }), defaultContextSize: 512, stateRoot: path.join(tmp, "state") });
  const store = openStore(path.join(tmp, "scale.db"));
  try {
    reg.budget = { bytes: BUDGET_BYTES, rule: "bench: 16 GB" };
    const experiment: Experiment = {
      title: "7B scale bench",
      task: "Name one colour.",
      seed: 7,
      roles: ["a", "b", "c", "d"].map((name, i) => ({ name, model: models[i]!, maxTokens: 2, contextSize: 512, temperature: 0 })),
      protocol: { kind: "roundtable", rounds: ROUNDS, stopWhen: "rounds", vote: false },
      swaps: [],
      context: { policy: "drop-oldest" },
    };
    const sampler = samplePeak(async () => (await reg.memory()).measuredTotalBytes, 250);
    let perModelBytes = 0;
    let baseline = 0;
    let fileBytes = 0;
    const unsubscribe = reg.onEvent((e) => {
      if (e.type !== "slot" || e.slot.status !== "ready") return;
      void reg.memory().then((m) => {
        for (const p of m.processes) {
          if (!p.roles.length) continue;
          perModelBytes = Math.max(perModelBytes, p.measuredBytes - p.baselineBytes);
          baseline = Math.max(baseline, p.baselineBytes);
          fileBytes = Math.max(fileBytes, p.fileBytes);
        }
      }, () => undefined);
    });
    const runner = new SessionRunner({ experiment, store, registry: reg });
    log(`four 7B Q4_0 models, roundtable of ${ROUNDS} round(s) by rotation under 16 GB…`);
    const progress = reg.onEvent((e) => {
      if (e.type === "slot" && (e.slot.status === "ready" || e.slot.status === "parked")) log(`${new Date().toISOString()} '${e.slot.role}' ${e.slot.status}`);
    });
    const t0 = performance.now();
    const out = await runner.run();
    const wallMs = performance.now() - t0;
    unsubscribe();
    progress();
    const peak = sampler.stop();
    if (out.status !== "completed") throw new Error(`7B roundtable: ${out.status} ${out.error ?? ""}`);
    const spoken = out.messages.filter((m) => m.usage !== null);
    const at = spoken.map((m) => m.createdAt);
    const swaps = store.listSwaps(runner.sessionId).filter((s) => s.event.kind === "rotation");
    const { measure } = await reg.memory();
    await reg.dispose();
    log("raw node-llama-cpp loads of the rotated files…");
    const rotations = [];
    for (const s of swaps) {
      rotations.push({ role: s.event.role, loadMs: s.event.loadMs, rawLoadMs: await rawLoadMs(s.event.to.path), visibleWaitMs: s.event.visibleGapMs });
    }
    return {
      budgetBytes: BUDGET_BYTES,
      peakBytes: peak.peakBytes,
      peakOverBudget: peak.peakBytes / BUDGET_BYTES,
      peakFileBytes: peak.peakFileBytes,
      measure,
      fileBytes,
      perModelBytes,
      processBaselineBytes: baseline,
      turns: spoken.length,
      // From the first message to the last, over the turns between them: loads included, as a user waits.
      msPerTurn: spoken.length > 1 ? (Math.max(...at) - Math.min(...at)) / (spoken.length - 1) : wallMs,
      tokens: spoken.reduce((s, m) => s + (m.usage?.completionTokens ?? 0), 0),
      wallMs,
      rotations,
    };
  } finally {
    await reg.dispose();
    store.close();
    rmSync(tmp, { recursive: true, force: true });
    for (const m of models) rmSync(m, { force: true });
  }
}
