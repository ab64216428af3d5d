/**
 * Engine benchmarks (issue 2): each figure is a ratio against a baseline measured in the same run,
 * on the same files, so machine noise and speed cancel out.
 */
import os from "node:os";
import path from "node:path";
import { mkdtempSync, rmSync } from "node:fs";
import { getLlama, LlamaChatSession, LlamaLogLevel, type Llama } from "node-llama-cpp";
import { SlotRegistry } from "../electron/engine/runtime/slots/SlotRegistry.js";
import { libraryResolver } from "../electron/engine/runtime/library/libraryResolver.js";
import { toChatHistory } from "../electron/engine/runtime/worker/chatHistory.js";
import { defaultThreads } from "../electron/engine/runtime/worker/threads.js";
import { generatedModel, realTestModel } from "../models/test/testModels.js";
import { PRESETS } from "../models/gguf/presets.js";
import type { ChatTurn } from "../shared/slots.js";

/** The lab seat named `role` (benchmarks run outside sessions). */
const lab = (role: string) => ({ sessionId: null, role });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A conversation of about `turns` turns, ~25 tokens each, to carry across swaps. */
function conversation(turns: number): ChatTurn[] {
  const history: ChatTurn[] = [{ role: "system", content: "You are the critic of a story committee." }];
  for (let i = 0; i < turns; i++) {
    history.push(
      i % 2
        ? { role: "assistant", content: `In turn ${i} I said the story needs a clearer ending and a braver hero.` }
        : { role: "user", name: "writer", content: `Turn ${i}: the little fox walked to the river and met a kind old turtle.` },
    );
  }
  return history;
}

function newRegistry(tmp: string, options: Partial<ConstructorParameters<typeof SlotRegistry>[0]> = {}) {
  return new SlotRegistry({ resolver: libraryResolver({ modelsDir: tmp }), defaultContextSize: 2048, ...options });
}

let llamaInstance: Llama | null = null;
async function rawLlama(): Promise<Llama> {
  llamaInstance ??= await getLlama({ build: "never", gpu: false, logLevel: LlamaLogLevel.error });
  // The same thread count the engine's model processes use, so the comparison is like for like.
  llamaInstance.maxThreads = defaultThreads(llamaInstance.cpuMathCores);
  return llamaInstance;
}

/** Raw node-llama-cpp doing a swap in one process: dispose A, load B, re-ingest the history. */
async function rawSwap(fromPath: string, toPath: string, history: ChatTurn[]): Promise<number> {
  const llama = await rawLlama();
  const { history: items, prompt } = toChatHistory(history);
  const a = await llama.loadModel({ modelPath: fromPath });
  const ctxA = await a.createContext({ contextSize: 2048 });
  const sA = new LlamaChatSession({ contextSequence: ctxA.getSequence() });
  sA.setChatHistory(items);
  await sA.preloadPrompt(prompt);
  const t0 = performance.now();
  await ctxA.dispose();
  await a.dispose();
  const b = await llama.loadModel({ modelPath: toPath });
  const ctxB = await b.createContext({ contextSize: 2048 });
  const sB = new LlamaChatSession({ contextSequence: ctxB.getSequence() });
  sB.setChatHistory(items);
  await sB.preloadPrompt(prompt);
  const ms = performance.now() - t0;
  await ctxB.dispose();
  await b.dispose();
  return ms;
}

/**
 * The other topology, for comparison: every swap in one long-lived process. Returns the RSS that
 * process keeps per swap (freed model memory that glibc does not hand back).
 */
async function singleProcessGrowthMbPerSwap(a: string, b: string, history: ChatTurn[], cycles: number): Promise<number> {
  await rawSwap(a, b, history);
  const start = process.memoryUsage.rss();
  for (let i = 0; i < cycles; i++) await rawSwap(i % 2 ? b : a, i % 2 ? a : b, history);
  return (process.memoryUsage.rss() - start) / 1e6 / cycles;
}

/** Our hot-swap of a role that has never used the target model (a cold swap). */
async function ourColdSwap(reg: SlotRegistry, role: string, fromPath: string, toPath: string, history: ChatTurn[]) {
  await reg.load(lab(role), fromPath);
  await reg.prefetch(lab(role), history);
  // Like a real session, where turns pass between swaps: the warm process is up before the swap.
  await reg.ready();
  const t0 = performance.now();
  const event = await reg.hotSwap(lab(role), toPath);
  const ms = performance.now() - t0;
  if (event.outcome !== "ok") throw new Error(event.error ?? "swap failed");
  return { ms, event };
}

export interface EngineBenchResult {
  swapGapRatio: number;
  swapOursMs: number;
  swapRawMs: number;
  swapBackRatio: number;
  swapBackMs: number;
  coldSwapMs: number;
  rssGrowthMbPerSwap: number;
  singleProcessRssGrowthMbPerSwap: number;
  memoryEstimateErrorPct: number;
  /** `realistic`: sizes a researcher loads (100M+ params); the aim is judged on these. */
  memoryEstimates: { model: string; estimateMb: number; measuredMb: number; errorPct: number; realistic: boolean }[];
  parallelSpeedup4: number;
  parallelTps: number;
  sequentialTps: number;
}

export async function benchEngine(log: (line: string) => void = () => {}): Promise<EngineBenchResult> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "conclave-bench-"));
  try {
    log("generating benchmark models (cached after the first run)…");
    const big = await generatedModel("small-100m");
    const bigB = await generatedModel({ ...PRESETS["small-100m"], seed: 2, name: "bench-100m-b" });
    const real = await realTestModel();
    const chat = await generatedModel("tiny-chat");
    const history = conversation(40);

    // swapGapRatio: same files, same history, median of 3 each.
    log("swap gap: ours vs raw node-llama-cpp…");
    const raw: number[] = [];
    const ours: number[] = [];
    const reg = newRegistry(tmp);
    for (let i = 0; i < 3; i++) {
      raw.push(await rawSwap(big, bigB, history));
      ours.push((await ourColdSwap(reg, `gap${i}`, big, bigB, history)).ms);
      await reg.unload(lab(`gap${i}`));
    }
    const swapRawMs = median(raw);
    const swapOursMs = median(ours);

    // swapBackRatio: back to a model the role used before (saved state) vs a cold swap.
    log("swap back with saved state…");
    const backs: number[] = [];
    const colds: number[] = [];
    for (let i = 0; i < 3; i++) {
      const cold = await ourColdSwap(reg, `back${i}`, big, bigB, history);
      colds.push(cold.ms);
      await reg.ready();
      const t0 = performance.now();
      const back = await reg.hotSwap(lab(`back${i}`), big);
      backs.push(performance.now() - t0);
      if (!back.usedSavedState) throw new Error("swap-back did not use the saved state");
      await reg.unload(lab(`back${i}`));
    }
    await reg.dispose();

    // rssGrowthMbPerSwap: the whole app (this process + every model process) over 50 swaps.
    log("RSS growth over 50 swaps…");
    const cyc = newRegistry(tmp);
    await cyc.load(lab("cycler"), real, { sampling: { maxTokens: 4 } });
    cyc.setHistory(lab("cycler"), conversation(6));
    const total = async () => {
      const m = await cyc.memory();
      return m.mainMeasuredBytes + m.processes.filter((p) => !p.modelPath.includes("inspector")).reduce((sum, p) => sum + p.measuredBytes, 0);
    };
    for (let i = 0; i < 6; i++) await cyc.hotSwap(lab("cycler"), i % 2 ? real : chat);
    const rssStart = await total();
    for (let i = 0; i < 50; i++) await cyc.hotSwap(lab("cycler"), i % 2 ? real : chat);
    const rssGrowthMbPerSwap = ((await total()) - rssStart) / 1e6 / 50;
    await cyc.dispose();
    log("the same swaps in one process, for the topology comparison…");
    const singleProcessRssGrowthMbPerSwap = await singleProcessGrowthMbPerSwap(big, bigB, conversation(6), 10);

    // memoryEstimateErrorPct on realistically sized models, measured after a generation.
    log("memory estimate vs measured…");
    const memoryEstimates: EngineBenchResult["memoryEstimates"] = [];
    const probes = [
      ["small-100m (125M, F16, 32k vocab)", big, true],
      ["medium-400m (407M, F16, 32k vocab)", await generatedModel("medium-400m"), true],
      ["small (4M, F32; fixed overheads dominate)", await generatedModel("small"), false],
    ] as const;
    for (const [name, file, realistic] of probes) {
      const m = newRegistry(tmp, { warmSpare: false });
      await m.load(lab("probe"), file, { sampling: { maxTokens: 8 } });
      await m.generate(lab("probe"), { append: [{ role: "user", content: "Measure me." }] });
      const report = await m.memory();
      const proc = report.processes.find((p) => p.roles.includes("probe"))!;
      // The model's own cost, beside its estimate: both without the process's baseline.
      const measured = proc.measuredBytes - proc.baselineBytes;
      const estimate = proc.estimateBytes - proc.baselineBytes;
      memoryEstimates.push({
        model: name,
        estimateMb: estimate / 1e6,
        measuredMb: measured / 1e6,
        errorPct: (Math.abs(estimate - measured) / measured) * 100,
        realistic,
      });
      await m.dispose();
    }

    // parallelSpeedup4: 4 sequences on one model at once vs the 4 one after another.
    log("parallel sequences…");
    const par = newRegistry(tmp, { warmSpare: false });
    await par.load(lab("p"), big, { sampling: { maxTokens: 48, temperature: 0.8, seed: 5 } });
    const prompts = [0, 1, 2, 3].map((i) => [{ role: "user" as const, content: `Write story ${i}.` }]);
    await par.sampleParallel(lab("p"), prompts.slice(0, 1)); // warm-up
    let t0 = performance.now();
    const together = await par.sampleParallel(lab("p"), prompts);
    const parallelTps = together.reduce((s, r) => s + r.completionTokens, 0) / ((performance.now() - t0) / 1000);
    t0 = performance.now();
    let seqTokens = 0;
    for (const p of prompts) seqTokens += (await par.sampleParallel(lab("p"), [p]))[0]!.completionTokens;
    const sequentialTps = seqTokens / ((performance.now() - t0) / 1000);
    await par.dispose();

    return {
      swapGapRatio: swapOursMs / swapRawMs,
      swapOursMs,
      swapRawMs,
      swapBackRatio: median(backs) / median(colds),
      swapBackMs: median(backs),
      coldSwapMs: median(colds),
      rssGrowthMbPerSwap,
      singleProcessRssGrowthMbPerSwap,
      memoryEstimateErrorPct: Math.max(...memoryEstimates.filter((e) => e.realistic).map((e) => e.errorPct)),
      memoryEstimates,
      parallelSpeedup4: parallelTps / sequentialTps,
      parallelTps,
      sequentialTps,
    };
  } finally {
    await llamaInstance?.dispose();
    llamaInstance = null;
    rmSync(tmp, { recursive: true, force: true });
  }
}
