/**
 * The engine's slot contract: what a role slot is, what it reports, and the events it emits.
 * Declared once here (zod + inferred types); the engine implements it and every transport
 * (Electron IPC, WebSocket, CLI) only carries these shapes.
 */
import { z } from "zod";
import { MemoryEstimate } from "./memoryEstimate.js";

/** A role name such as `analyzer` or `critic`: short, stable, usable as an OpenAI `name`. */
export const RoleName = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, "a role name is 1-64 letters, digits, '_' or '-'");
export type RoleName = z.infer<typeof RoleName>;

/**
 * Where a seat is in its life. `parked` means a model is assigned but not resident: the seat was
 * seated without loading, or its model was unloaded to make room (rotation, eviction); its history
 * and saved KV state are kept, so loading it again resumes where it stopped. The allowed moves
 * between these states are one table in the engine (runtime/slots/slotTransitions.ts).
 */
export const SlotStatus = z.enum(["empty", "loading", "ready", "generating", "swapping", "parked", "error"]);
export type SlotStatus = z.infer<typeof SlotStatus>;

/**
 * A seat is (session, role): concurrent sessions with the same role names never share one.
 * `sessionId` null is the lab's own seats, loaded by hand outside any session.
 */
export const SeatRef = z.object({
  sessionId: z.string().min(1).nullable(),
  role: RoleName,
});
export type SeatRef = z.infer<typeof SeatRef>;

/** A stable string key for a seat (`lab/critic`, `<sessionId>/critic`), for maps and UI keys. */
export function seatKey(seat: SeatRef): string {
  return `${seat.sessionId ?? "lab"}/${seat.role}`;
}

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

/** Thought tokens a generation may spend when no budget is given (a role's `thinking.budget`). */
export const DEFAULT_THOUGHT_BUDGET = 512;

export const SamplingParams = z.object({
  temperature: z.number().min(0).max(5).default(0.7),
  topP: z.number().gt(0).max(1).optional(),
  topK: z.number().int().nonnegative().optional(),
  minP: z.number().min(0).max(1).optional(),
  repeatPenalty: z.number().min(0).max(5).optional(),
  seed: z.number().int().nonnegative().optional(),
  /** Tokens of the answer (a thought segment has its own budget beside them). */
  maxTokens: z.number().int().positive().max(32768).default(256),
  /**
   * Most tokens a thought segment may take before the runtime closes it; the generation may then run
   * to `maxTokens` more for the answer. Absent: the role's default (DEFAULT_THOUGHT_BUDGET).
   */
  thoughtBudget: z.number().int().nonnegative().max(32768).optional(),
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
  /** The total of `estimate`: this seat's share of weights and process, plus its context. */
  estimateBytes: z.number().nonnegative(),
  /** Weights, KV cache and process, as the library list and load dialog count them (shared/memoryEstimate.ts). */
  estimate: MemoryEstimate,
  /** Measured (in the memory report's measure): growth of the model process attributed to this slot (null until loaded). */
  measuredBytes: z.number().nonnegative().nullable(),
});
export type SlotMemory = z.infer<typeof SlotMemory>;

export const SlotInfo = z.object({
  /** The session this seat belongs to; null for the lab's hand-loaded seats. */
  sessionId: z.string().nullable(),
  role: RoleName,
  status: SlotStatus,
  /** 0..1 while loading or swapping. */
  progress: z.number().min(0).max(1).nullable(),
  error: z.string().nullable(),
  model: ModelIdentity.nullable(),
  contextSize: z.number().int().nonnegative(),
  /** Pinned by the user: never evicted, never released when its session ends. */
  pinned: z.boolean(),
  /** Pinned by its running session: no other session or hand load may evict it. */
  sessionPinned: z.boolean(),
  lastUsedAt: z.number(),
  sampling: SamplingParams,
  metrics: SlotMetrics,
  memory: SlotMemory,
  /** pid of the model process serving this slot. */
  pid: z.number().int().nullable(),
  /** Other seats served by the same loaded model (ref-counted sharing), in any session. */
  sharedWith: z.array(SeatRef),
  /** Tokens currently held in this slot's context sequence. */
  contextTokens: z.number().int().nonnegative(),
  /**
   * The seat's context sequences: one for a conversation seat, N for a seat that serves concurrent
   * requests (continuous batching in one llama context), and how many are generating now.
   */
  sequences: z.object({ total: z.number().int().positive(), inUse: z.number().int().nonnegative() }),
});
export type SlotInfo = z.infer<typeof SlotInfo>;

/**
 * The one figure a process's memory is measured in (the engine's `processMemory.ts` says how):
 * on Linux anonymous plus unevictable resident memory (mmapped file pages, which the kernel can
 * reclaim, are reported apart); on macOS the physical footprint, as Activity Monitor shows it; RSS
 * where neither can be read.
 */
export const MemoryMeasure = z.enum(["linux-anon-unevictable", "darwin-phys-footprint", "rss"]);
export type MemoryMeasure = z.infer<typeof MemoryMeasure>;

export const ProcessMemory = z.object({
  pid: z.number().int(),
  modelPath: z.string(),
  roles: z.array(RoleName),
  estimateBytes: z.number().nonnegative(),
  /** Measured now, in the report's {@link MemoryMeasure}. */
  measuredBytes: z.number().nonnegative(),
  /** Resident pages of mapped files (the model file under mmap): reclaimable, so not in `measuredBytes`. */
  fileBytes: z.number().nonnegative(),
  /** The same process's figure before a model was loaded: the runtime's own cost. */
  baselineBytes: z.number().nonnegative(),
});
export type ProcessMemory = z.infer<typeof ProcessMemory>;

export const MemoryReport = z.object({
  totalRamBytes: z.number(),
  budgetBytes: z.number(),
  /** What every measured figure in this report is. */
  measure: MemoryMeasure,
  /**
   * What the budget counts as in use: every model process's measured baseline (the estimate
   * inspector's and the warm spare's included), for each loaded file the larger of its weights
   * estimate and its measured load growth, and each resident seat's context estimate.
   */
  inUseBytes: z.number(),
  /** Of that, the processes' baselines (model processes, the warm spare and the estimate inspector). */
  baselineBytes: z.number(),
  /** How the budget was chosen, in words, for the UI and logs. */
  budgetRule: z.string(),
  estimatedTotalBytes: z.number(),
  /** Sum of `measuredBytes` over every process the engine started (inspector and spare included). */
  measuredTotalBytes: z.number(),
  /** Sum of the processes' `fileBytes`, apart from the measured total. */
  fileTotalBytes: z.number(),
  /** This (the engine's own) process in the same measure; not part of the model budget. */
  mainMeasuredBytes: z.number(),
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

/**
 * Why a seat's model changed: a hand swap (UI, RPC), a swap the experiment scheduled, a rotation
 * reload (the committee's models do not all fit), a first load, or a reload after the seat's model
 * process died.
 */
export const SwapKind = z.enum(["manual", "scheduled", "rotation", "load", "fault-reload"]);
export type SwapKind = z.infer<typeof SwapKind>;

export const SwapEvent = z.object({
  sessionId: z.string().nullable().default(null),
  role: RoleName,
  kind: SwapKind.default("manual"),
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
  /** The new model was loaded and pre-filled ahead of time, while another seat generated. */
  prefetched: z.boolean().default(false),
  /** Predicted unload + load + re-ingest, from this machine's measured speeds; null when not predicted. */
  predictedMs: z.number().nullable().default(null),
  /** Predicted cost of the same swap done cold (load + re-ingest of the whole history), for comparison. */
  coldMs: z.number().nullable().default(null),
  /**
   * How long the seat's next turn waited for its first token, from the moment the turn was asked
   * for; filled in once that token arrives (null until then, and for swaps nobody spoke after).
   */
  visibleGapMs: z.number().nullable().default(null),
  at: z.number(),
});
export type SwapEvent = z.output<typeof SwapEvent>;
export type SwapEventInput = z.input<typeof SwapEvent>;

export const LoadOptions = z.object({
  contextSize: z.number().int().min(64).max(262144).optional(),
  pinned: z.boolean().optional(),
  sampling: SamplingParams.partial().optional(),
  systemPrompt: z.string().optional(),
  /**
   * Sequences of the seat's llama context (default 1). A seat with N serves up to N concurrent
   * stateless requests batched together; the budget counts the context N times.
   */
  parallel: z.number().int().min(1).max(64).optional(),
});
export type LoadOptions = z.infer<typeof LoadOptions>;

/**
 * What a reasoning model thought before it answered (its thought segment), kept apart from the
 * content: extraction, votes, checks and the solution library read the content only, and peers see
 * a thought only when its role shares them (`thinking.share`).
 */
export const Thought = z.object({
  text: z.string(),
  /** Tokens the thought took (the local runtime's count; a remote backend's when it reports one, else an estimate: see `tokensFrom`). */
  tokens: z.number().int().nonnegative(),
  /**
   * Where `tokens` comes from; absent means the local runtime counted them. `reported`: the server's
   * own reasoning-token count. `share-of-total`: the server's total generated count (thought and
   * answer together, as Ollama's `eval_count`) split by the two texts' share of characters.
   * `characters`: no count at all, about 4 characters a token.
   */
  tokensFrom: z.enum(["reported", "share-of-total", "characters"]).optional(),
  /** Time from the thought's first token to its end; null when not measured (a remote backend's whole reply). */
  ms: z.number().nonnegative().nullable(),
  /** Whether the thought budget closed the thought before the model did. */
  cut: z.boolean().default(false),
});
export type Thought = z.output<typeof Thought>;
export type ThoughtInput = z.input<typeof Thought>;

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
  /** The thought segment before the answer (reasoning models); null when there was none. */
  thought: Thought.nullable().optional(),
});
export type GenerationResult = z.infer<typeof GenerationResult>;

/** A seat's model process died during a session: reloaded once, or the session failed. */
export const SeatFault = z.object({
  sessionId: z.string().nullable(),
  role: RoleName,
  error: z.string(),
  action: z.enum(["reloaded", "failed"]),
  at: z.number(),
});
export type SeatFault = z.infer<typeof SeatFault>;

/** Every engine event names the session it concerns (null: the lab's seats, or the whole engine). */
export const EngineEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("slot"), sessionId: z.string().nullable(), slot: SlotInfo }),
  z.object({ type: z.literal("slot-removed"), sessionId: z.string().nullable(), role: RoleName }),
  z.object({
    type: z.literal("token"),
    sessionId: z.string().nullable(),
    role: RoleName,
    generationId: z.string(),
    text: z.string(),
    /** Part of the turn's thought segment, not of its content. */
    thought: z.literal(true).optional(),
  }),
  z.object({ type: z.literal("swap"), sessionId: z.string().nullable(), event: SwapEvent }),
  /** A swap's visible gap, measured when the seat's next turn produced its first token. */
  z.object({ type: z.literal("swap-gap"), sessionId: z.string().nullable(), role: RoleName, swapAt: z.number(), visibleGapMs: z.number() }),
  z.object({ type: z.literal("fault"), sessionId: z.string().nullable(), fault: SeatFault }),
  z.object({ type: z.literal("memory"), sessionId: z.null(), report: MemoryReport }),
  z.object({
    type: z.literal("process-exit"),
    sessionId: z.null(),
    pid: z.number(),
    modelPath: z.string(),
    code: z.number().nullable(),
    signal: z.string().nullable(),
    seats: z.array(SeatRef),
  }),
]);
export type EngineEvent = z.infer<typeof EngineEvent>;
