/**
 * Messages between the engine and a model process. This is an internal transport of the engine
 * (both ends are ours), but the model process still validates every request: a malformed message
 * must produce an error reply, never undefined behaviour inside llama.cpp.
 */
import { z } from "zod";
import type { MeasuredMemory } from "./processMemory.js";
import { ChatTurn, SamplingParams, type Thought } from "../../../../shared/slots.js";

/** Names one llama context in a model process (a seat, or a group of parallel sequences). */
const ContextKey = z.string().min(1);

/**
 * Batch size of every context. On the CPU prefill speed barely changes between 256 and 512, but
 * the logits buffer (vocabulary x batch x 4 bytes) halves: 33 MB less for a 32k vocabulary.
 */
export const DEFAULT_BATCH_SIZE = 256;

export const WorkerRequestBody = z.discriminatedUnion("op", [
  z.object({ op: z.literal("load"), modelPath: z.string(), threads: z.number().int().positive(), useMmap: z.boolean().optional() }),
  z.object({
    op: z.literal("openContext"),
    key: ContextKey,
    contextSize: z.number().int().positive(),
    sequences: z.number().int().positive().max(64).default(1),
    batchSize: z.number().int().positive().default(DEFAULT_BATCH_SIZE),
  }),
  z.object({ op: z.literal("closeContext"), key: ContextKey }),
  /** Closes every context and the model, leaving a process that can load another file. */
  z.object({ op: z.literal("unload") }),
  z.object({ op: z.literal("prefill"), key: ContextKey, sequence: z.number().int().nonnegative().default(0), turns: z.array(ChatTurn) }),
  z.object({
    op: z.literal("generate"),
    key: ContextKey,
    sequence: z.number().int().nonnegative().default(0),
    generationId: z.string(),
    turns: z.array(ChatTurn),
    sampling: SamplingParams,
    jsonSchema: z.record(z.string(), z.unknown()).optional(),
    /** The output may also be free text not starting with `{` (content-first turns); ignored by models that think. */
    orFreeText: z.boolean().optional(),
  }),
  z.object({ op: z.literal("abort"), generationId: z.string() }),
  z.object({
    op: z.literal("fitHistory"),
    turns: z.array(ChatTurn),
    maxTokens: z.number().int().positive(),
    /** The first turn kept last time: kept again while the turns from it on fit. */
    preferFrom: z.number().int().positive().optional(),
    /** When turns must be dropped anew, drop down to this many tokens (default: `maxTokens`). */
    lowWater: z.number().int().positive().optional(),
  }),
  z.object({ op: z.literal("saveState"), key: ContextKey, sequence: z.number().int().nonnegative().default(0), file: z.string() }),
  z.object({ op: z.literal("loadState"), key: ContextKey, sequence: z.number().int().nonnegative().default(0), file: z.string() }),
  z.object({ op: z.literal("setThreads"), threads: z.number().int().positive() }),
  z.object({ op: z.literal("stats") }),
  z.object({
    op: z.literal("estimate"),
    modelPath: z.string(),
    contextSize: z.number().int().positive(),
    sequences: z.number().int().positive().default(1),
    batchSize: z.number().int().positive().default(DEFAULT_BATCH_SIZE),
  }),
]);
export type WorkerRequestBody = z.infer<typeof WorkerRequestBody>;
export type WorkerRequestInput = z.input<typeof WorkerRequestBody>;

export const WorkerRequest = z.object({ id: z.number().int(), body: WorkerRequestBody });

/** What each op replies with on success. */
export interface WorkerResults {
  load: { loadMs: number; memory: MeasuredMemory; modelBytes: number; trainContextSize: number; useMmap: boolean };
  openContext: { contextSize: number; sequences: number; memory: MeasuredMemory; stateBytes: number };
  closeContext: { memory: MeasuredMemory };
  unload: { memory: MeasuredMemory };
  prefill: { tokens: number; evaluatedTokens: number; ms: number };
  generate: {
    text: string;
    promptTokens: number;
    completionTokens: number;
    ttftMs: number | null;
    genMs: number;
    aborted: boolean;
    contextTokens: number;
    /** The thought segment, apart from `text` (the answer); null when the model did not think. */
    thought: Thought | null;
  };
  abort: { found: boolean };
  fitHistory: { keptFrom: number; tokens: number; totalTokens: number };
  saveState: { bytes: number; tokens: number; ms: number };
  loadState: { tokens: number; ms: number };
  setThreads: { threads: number };
  estimate: MemoryEstimate;
  stats: { memory: MeasuredMemory; heapBytes: number; threads: number; contexts: number; gpu: string | false };
}

/** A memory estimate before loading, split the way the budget needs it. */
export interface MemoryEstimate {
  /** Weights in RAM (or unified memory): GgufInsights' model estimate. */
  weightsBytes: number;
  /** KV cache, compute and output buffers for the context: GgufInsights' context estimate. */
  contextBytes: number;
  /** The vocabulary's native structures, which GgufInsights leaves out. */
  vocabBytes: number;
  /** What loading any model costs the process besides its tensors (measured, see modelWorker). */
  runtimeBytes: number;
  trainContextSize: number;
  contextSize: number;
}

export type WorkerEvent =
  | { type: "ready"; pid: number; memory: MeasuredMemory; cpuMathCores: number; gpu: string | false }
  | { type: "progress"; progress: number }
  | { type: "token"; generationId: string; text: string; thought?: true };

export type WorkerMessage =
  | { kind: "reply"; id: number; ok: true; result: unknown }
  | { kind: "reply"; id: number; ok: false; error: { message: string; code?: string } }
  | { kind: "event"; event: WorkerEvent };
