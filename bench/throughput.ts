/**
 * Throughput benchmarks, each a ratio against raw node-llama-cpp measured in the same run on the
 * same generated 100M model, with the same thread count, context size, prompts and sampling:
 * - `batchedServeRatio`: aggregate tok/s of 8 concurrent chat requests through the compatible API
 *   (real host over HTTP, the library model's seat with 8 sequences) ÷ raw node-llama-cpp with 8
 *   sequences of one context in this process; also the speedup over the 8 sent one at a time.
 * - `parallelVsRaw`: the registry's `sampleParallel` with 4 sequences ÷ raw with 4 sequences.
 * Ours and raw alternate, best of {@link REPS} each, so a neighbour's burst on a shared machine
 * hits both alike rather than one.
 */
import os from "node:os";
import path from "node:path";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { getLlama, LlamaChatSession, LlamaLogLevel, type Llama, type LlamaModel } from "node-llama-cpp";
import { createEngine } from "../electron/engine/createEngine.js";
import { startHost } from "../electron/host/server.js";
import { SlotRegistry } from "../electron/engine/runtime/slots/SlotRegistry.js";
import { libraryResolver } from "../electron/engine/runtime/library/libraryResolver.js";
import { defaultThreads } from "../electron/engine/runtime/worker/threads.js";
import { generatedModel } from "../models/generatedModels.js";
import { engineParts } from "../electron/engine/engineParts.js";

const CONTEXT = 1024;
const SERVE_REQUESTS = 8;
const SERVE_TOKENS = 32;
const PARALLEL_SEQUENCES = 4;
const PARALLEL_TOKENS = 48;
const REPS = 2;

export interface ThroughputBenchResult {
  batchedServeRatio: number;
  batchedServeTps: number;
  rawServeTps: number;
  oneAtATimeTps: number;
  batchedServeSpeedup: number;
  parallelVsRaw: number;
  oursParallelTps: number;
  rawParallelTps: number;
  loadAverage: number;
}

/** Raw node-llama-cpp: `prompts.length` sequences of one context generating at once; tok/s. */
async function rawSequences(model: LlamaModel, prompts: string[], maxTokens: number, seed: number): Promise<number> {
  const context = await model.createContext({ contextSize: CONTEXT, sequences: prompts.length, batchSize: 256 });
  try {
    const chats = prompts.map(() => new LlamaChatSession({ contextSequence: context.getSequence(), autoDisposeSequence: true }));
    const t0 = performance.now();
    const counts = await Promise.all(
      chats.map(async (chat, i) => {
        let tokens = 0;
        await chat.prompt(prompts[i]!, { maxTokens, temperature: 0.8, seed: seed + i, onToken: (t) => (tokens += t.length) });
        return tokens;
      }),
    );
    const ms = performance.now() - t0;
    for (const c of chats) c.dispose();
    return counts.reduce((a, b) => a + b, 0) / (ms / 1000);
  } finally {
    await context.dispose();
  }
}

/** One chat request to the compatible API; its completion tokens. */
async function chatRequest(base: string, token: string, model: string, content: string, seed: number): Promise<number> {
  const res = await fetch(`${base}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content }], max_tokens: SERVE_TOKENS, temperature: 0.8, seed }),
  });
  if (!res.ok) throw new Error(`chat request failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { usage: { completion_tokens: number } };
  return body.usage.completion_tokens;
}

export async function benchThroughput(log: (line: string) => void = () => {}): Promise<ThroughputBenchResult> {
  log("throughput: generating the 100M model (cached after the first run)…");
  const modelPath = await generatedModel("small-100m");
  const tmp = await mkdtemp(path.join(os.tmpdir(), "conclave-bench-throughput-"));
  const llama: Llama = await getLlama({ build: "never", gpu: false, logLevel: LlamaLogLevel.error });
  const threads = defaultThreads(llama.cpuMathCores);
  llama.maxThreads = threads;
  const rawModel = await llama.loadModel({ modelPath });
  const modelsDir = path.join(tmp, "models");
  const staticDir = path.join(tmp, "renderer");
  await mkdir(modelsDir, { recursive: true });
  await mkdir(staticDir, { recursive: true });
  await writeFile(path.join(staticDir, "index.html"), "<!doctype html>");
  const modelId = path.basename(modelPath);
  await copyFile(modelPath, path.join(modelsDir, modelId));
  const engine = await createEngine({
    dbPath: path.join(tmp, "conclave.db"),
    modelsDir,
    exportDir: path.join(tmp, "exports"),
    stateRoot: path.join(tmp, "state"),
    threads,
    defaultContextSize: CONTEXT,
    servingParallel: SERVE_REQUESTS,
    log: () => undefined,
  });
  const host = await startHost({ engine, staticDir });
  const base = `http://127.0.0.1:${host.port}`;
  const prompts = Array.from({ length: SERVE_REQUESTS }, (_, i) => `Write story ${i} about a fox.`);
  try {
    // Warm-up: the API seat loads with its 8 sequences; the raw side pages the weights in.
    await chatRequest(base, host.token, modelId, "Hello", 1);
    await engineParts(engine).registry.ready();
    await rawSequences(rawModel, prompts.slice(0, 1), 4, 1);

    log("throughput: 8 concurrent chat requests, API vs raw 8 sequences…");
    let batched = 0;
    let raw = 0;
    let oneAtATime = 0;
    for (let rep = 0; rep < REPS; rep++) {
      const rawRun = async () => (raw = Math.max(raw, await rawSequences(rawModel, prompts, SERVE_TOKENS, 10 * rep)));
      const oursRun = async () => {
        const t0 = performance.now();
        const counts = await Promise.all(prompts.map((p, i) => chatRequest(base, host.token, modelId, p, 10 * rep + i)));
        batched = Math.max(batched, counts.reduce((a, b) => a + b, 0) / ((performance.now() - t0) / 1000));
      };
      // Each side goes first once, so neither always runs right after the other has warmed the caches.
      for (const run of rep % 2 ? [oursRun, rawRun] : [rawRun, oursRun]) await run();
    }
    const t1 = performance.now();
    let sequentialTokens = 0;
    for (const [i, p] of prompts.entries()) sequentialTokens += await chatRequest(base, host.token, modelId, p, 100 + i);
    oneAtATime = sequentialTokens / ((performance.now() - t1) / 1000);

    log("throughput: sampleParallel with 4 sequences vs raw 4 sequences…");
    const reg = new SlotRegistry({ resolver: libraryResolver({ modelsDir: tmp }), defaultContextSize: CONTEXT, threads, warmSpare: false, stateRoot: path.join(tmp, "state-par") });
    const seat = { sessionId: null, role: "p" };
    let ours = 0;
    let rawPar = 0;
    try {
      await reg.load(seat, modelPath, { sampling: { maxTokens: PARALLEL_TOKENS, temperature: 0.8, seed: 5 } });
      const parPrompts = prompts.slice(0, PARALLEL_SEQUENCES);
      await reg.sampleParallel(seat, [[{ role: "user", content: "Hello" }]], { maxTokens: 4 });
      for (let rep = 0; rep < REPS; rep++) {
        const rawRun = async () => (rawPar = Math.max(rawPar, await rawSequences(rawModel, parPrompts, PARALLEL_TOKENS, 5 + 10 * rep)));
        const oursRun = async () => {
          const t0 = performance.now();
          const results = await reg.sampleParallel(seat, parPrompts.map((content) => [{ role: "user" as const, content }]), { seed: 5 + 10 * rep });
          ours = Math.max(ours, results.reduce((s, r) => s + r.completionTokens, 0) / ((performance.now() - t0) / 1000));
        };
        for (const run of rep % 2 ? [oursRun, rawRun] : [rawRun, oursRun]) await run();
      }
    } finally {
      await reg.dispose();
    }
    return {
      batchedServeRatio: batched / raw,
      batchedServeTps: batched,
      rawServeTps: raw,
      oneAtATimeTps: oneAtATime,
      batchedServeSpeedup: batched / oneAtATime,
      parallelVsRaw: ours / rawPar,
      oursParallelTps: ours,
      rawParallelTps: rawPar,
      loadAverage: os.loadavg()[0] ?? 0,
    };
  } finally {
    await host.close();
    await engine.dispose();
    await rawModel.dispose();
    await llama.dispose();
    await rm(tmp, { recursive: true, force: true });
  }
}
