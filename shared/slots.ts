/**
 * The engine's slot contract: what a role slot is, what it reports, and the events it emits.
 * Declared once here (zod + inferred types); the engine implements it and every transport
 * (Electron IPC, WebSocket, CLI) only carries these shapes.
 */
import { z } from "zod";

/** A role name such as `analyzer` or `critic`: short, stable, usable as an OpenAI `name`. */
export const RoleName = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, "a role name is 1-64 letters, digits, '_' or '-'");
export type RoleName = z.infer<typeof RoleName>;

export const SlotStatus = z.enum(["empty", "loading", "ready", "generating", "swapping", "error"]);
export type SlotStatus = z.infer<typeof SlotStatus>;

/** Identity of a GGUF file, read from its header without loading weights. */
export const ModelIdentity = z.object({
  path: z.string(),
  fileName: z.string(),
  name: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  /** `fp1:` + sha256 over (file size, first 4 MiB, last 4 MiB): stable and cheap for multi-GB files. */
  fingerprint: z.string(),
  architecture: z.string(),
  parameterCount: z.number().int().nonnegative(),
  quantization: z.string(),
  trainContextSize: z.number().int().nonnegative(),
  vocabSize: z.number().int().nonnegative(),
  hasChatTemplate: z.boolean(),
});
export type ModelIdentity = z.infer<typeof ModelIdentity>;

export const SamplingParams = z.object({
  temperature: z.number().min(0).max(5).default(0.7),
  topP: z.number().gt(0).max(1).optional(),
  topK: z.number().int().nonnegative().optional(),
  minP: z.number().min(0).max(1).optional(),
  repeatPenalty: z.number().min(0).max(5).optional(),
  seed: z.number().int().nonnegative().optional(),
  maxTokens: z.number().int().positive().max(32768).default(256),
});
export type SamplingParams = z.infer<typeof SamplingParams>;
export type SamplingInput = z.input<typeof SamplingParams>;

/** Live generation metrics of a slot; `null` until the slot has generated. */
export const SlotMetrics = z.object({
  ttftMs: z.number().nullable(),
  promptTokensPerSec: z.number().nullable(),
  genTokensPerSec: z.number().nullable(),
  tokensSoFar: z.number().int().nonnegative(),
  promptTokens: z.number().int().nonnegative(),
  generations: z.number().int().nonnegative(),
});
export type SlotMetrics = z.infer<typeof SlotMetrics>;

export const SlotMemory = z.object({
  /** Estimate before loading: weights (shared, counted once per file) + this slot's context. */
  estimateBytes: z.number().nonnegative(),
  /** Measured: RSS growth of the model process attributed to this slot (null until loaded). */
  measuredBytes: z.number().nonnegative().nullable(),
});
export type SlotMemory = z.infer<typeof SlotMemory>;

export const SlotInfo = z.object({
  role: RoleName,
  status: SlotStatus,
  /** 0..1 while loading or swapping. */
  progress: z.number().min(0).max(1).nullable(),
  error: z.string().nullable(),
  model: ModelIdentity.nullable(),
  contextSize: z.number().int().nonnegative(),
  pinned: z.boolean(),
  lastUsedAt: z.number(),
  sampling: SamplingParams,
  metrics: SlotMetrics,
  memory: SlotMemory,
  /** pid of the model process serving this slot. */
  pid: z.number().int().nullable(),
  /** Other roles served by the same loaded model (ref-counted sharing). */
  sharedWith: z.array(RoleName),
  /** Tokens currently held in this slot's context sequence. */
  contextTokens: z.number().int().nonnegative(),
});
export type SlotInfo = z.infer<typeof SlotInfo>;

export const ProcessMemory = z.object({
  pid: z.number().int(),
  modelPath: z.string(),
  roles: z.array(RoleName),
  estimateBytes: z.number().nonnegative(),
  rssBytes: z.number().nonnegative(),
  /** RSS of the same process before the model was loaded: the runtime's own cost. */
  baselineRssBytes: z.number().nonnegative(),
});
export type ProcessMemory = z.infer<typeof ProcessMemory>;

export const MemoryReport = z.object({
  totalRamBytes: z.number(),
  budgetBytes: z.number(),
  /** How the budget was chosen, in words, for the UI and logs. */
  budgetRule: z.string(),
  estimatedTotalBytes: z.number(),
  measuredTotalBytes: z.number(),
  mainRssBytes: z.number(),
  processes: z.array(ProcessMemory),
});
export type MemoryReport = z.infer<typeof MemoryReport>;

/** One turn of a role's history as the engine feeds it to a model. */
export const ChatTurn = z.object({
  role: z.enum(["system", "user", "assistant"]),
  content: z.string(),
  /** The speaker, for turns that came from another role (shown to the model by name). */
  name: z.string().optional(),
});
export type ChatTurn = z.infer<typeof ChatTurn>;

export const CompressionPolicy = z.enum(["drop-oldest"]);
export type CompressionPolicy = z.infer<typeof CompressionPolicy>;

export const SwapEvent = z.object({
  role: RoleName,
  from: ModelIdentity.nullable(),
  to: ModelIdentity,
  outcome: z.enum(["ok", "failed-kept-old", "failed-error"]),
  error: z.string().nullable(),
  unloadMs: z.number(),
  loadMs: z.number(),
  prefillMs: z.number(),
  /** Tokens of history in the new model's context after the swap. */
  tokensReingested: z.number().int(),
  /** Of those, the tokens actually evaluated (fewer when a saved state was restored). */
  tokensEvaluated: z.number().int(),
  /** Token count of the whole history in the new model's template, before any compression. */
  historyTokens: z.number().int(),
  historyTurns: z.number().int(),
  keptTurns: z.number().int(),
  droppedTurns: z.number().int(),
  compression: CompressionPolicy.nullable(),
  usedSavedState: z.boolean(),
  at: z.number(),
});
export type SwapEvent = z.infer<typeof SwapEvent>;

export const LoadOptions = z.object({
  contextSize: z.number().int().min(64).max(262144).optional(),
  pinned: z.boolean().optional(),
  sampling: SamplingParams.partial().optional(),
  systemPrompt: z.string().optional(),
});
export type LoadOptions = z.infer<typeof LoadOptions>;

export const GenerationResult = z.object({
  text: z.string(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  ttftMs: z.number().nullable(),
  promptTokensPerSec: z.number().nullable(),
  genTokensPerSec: z.number().nullable(),
  aborted: z.boolean(),
  /** Tokens in the slot's sequence after this generation. */
  contextTokens: z.number().int(),
  /** Oldest turns left out because the history outgrew the context (policy: drop-oldest). */
  droppedTurns: z.number().int(),
});
export type GenerationResult = z.infer<typeof GenerationResult>;

export const EngineEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("slot"), slot: SlotInfo }),
  z.object({ type: z.literal("slot-removed"), role: RoleName }),
  z.object({ type: z.literal("token"), role: RoleName, generationId: z.string(), text: z.string() }),
  z.object({ type: z.literal("swap"), event: SwapEvent }),
  z.object({ type: z.literal("memory"), report: MemoryReport }),
  z.object({ type: z.literal("process-exit"), pid: z.number(), modelPath: z.string(), code: z.number().nullable(), signal: z.string().nullable(), roles: z.array(RoleName) }),
]);
export type EngineEvent = z.infer<typeof EngineEvent>;
