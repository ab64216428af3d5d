/**
 * The ONE RPC contract between the UI and the engine host.
 *
 * Every request, reply and streamed event is a zod schema here; the Electron IPC bridge and the
 * loopback WebSocket carry exactly these frames, and the host validates every request against
 * {@link rpcMethods} before any service sees it. The renderer parses replies with the same schemas,
 * so a drift between the two sides fails loudly at the boundary instead of deep in the UI.
 */
import { DecideRequest, HumanWait, SayRequest } from "./human.js";
import { SessionCodeReport } from "./sessionCode.js";
import { z } from "zod";
import {
  EngineEvent,
  GenerationResult,
  LoadOptions,
  MemoryReport,
  ModelIdentity,
  RoleName,
  SamplingParams,
  SlotInfo,
  SwapEvent,
} from "./slots.js";
import { ExportSelection, Message, SessionInfo, SessionSwap } from "./conversation.js";
import { SessionMetrics } from "./metrics.js";
import { CatalogEntry } from "./library.js";
import { Experiment } from "./experiment.js";
import { ResidencyPlan } from "./residency.js";
import { BackendEntry, BackendName, BackendUpsert } from "./backends.js";
import { RoutingPolicyName } from "./roleBackends.js";
import { ReplayStart, SessionLineage } from "./lineage.js";
import { SearchQuery, SearchResult } from "./search.js";
import { CompareVerdict, Leaderboard, LeaderboardSource } from "./arena.js";
import { MessageRating, RateMessageRequest } from "./ratings.js";
import { ExportValidation, ThoughtExport } from "./exportReport.js";
import { EvaluationRun, EvaluationRunRequest, EvaluationSummary, SessionResult } from "./evaluation.js";
import { PresetExpansion } from "./presets.js";
import { Advice, AdviceRequest } from "./advice.js";
import { LibraryUse } from "./solutionLibrary.js";
import { MemoryEstimate } from "./memoryEstimate.js";


// ---------------------------------------------------------------------------------------------
// Sessions (Message / SessionInfo come from shared/conversation.ts)
// ---------------------------------------------------------------------------------------------

/**
 * `pause`, `resume` and `abort` act on a running session; `resume` on an interrupted one continues
 * it from the store, and `end` closes an interrupted one for good.
 */
export const SessionControl = z.enum(["pause", "resume", "abort", "end"]);
export type SessionControl = z.infer<typeof SessionControl>;

// ---------------------------------------------------------------------------------------------
// Library
// ---------------------------------------------------------------------------------------------

/** A GGUF file the library knows about on disk. */
export const LibraryModel = z.object({
  /** What `slots.assign` accepts as `modelRef` for this file (an absolute path). */
  ref: z.string(),
  identity: ModelIdentity.nullable(),
  /** Set when the header could not be read or failed validation; such files cannot be loaded. */
  error: z.string().nullable(),
  /** True for generated random-weight demo models, so the UI can label them honestly. */
  demo: z.boolean(),
});
export type LibraryModel = z.infer<typeof LibraryModel>;


export const DownloadState = z.enum(["queued", "downloading", "done", "cancelled", "error"]);
export type DownloadState = z.infer<typeof DownloadState>;

export const DownloadInfo = z.object({
  id: z.string(),
  uri: z.string(),
  state: DownloadState,
  receivedBytes: z.number().nonnegative(),
  totalBytes: z.number().nonnegative().nullable(),
  /** Local path once done. */
  path: z.string().nullable(),
  error: z.string().nullable(),
});
export type DownloadInfo = z.infer<typeof DownloadInfo>;

export const LibraryState = z.object({
  modelsDir: z.string(),
  models: z.array(LibraryModel),
  catalog: z.array(CatalogEntry),
  downloads: z.array(DownloadInfo),
});
export type LibraryState = z.infer<typeof LibraryState>;

// ---------------------------------------------------------------------------------------------
// Slots extras the UI needs beyond the engine's own shapes
// ---------------------------------------------------------------------------------------------

/** What the drag-to-swap confirmation shows before anything is loaded. */
export const SwapPrediction = z.object({
  role: RoleName,
  modelRef: z.string(),
  /** `load` for an empty slot, `swap` when a model is already there. */
  action: z.enum(["load", "swap"]),
  /** What the change adds to the budget: less than `estimate`'s total when another seat has the file loaded. */
  estimateBytes: z.number().nonnegative(),
  /** The seat's memory on its own: weights, KV cache and process, as the library list and seat card count them. */
  estimate: MemoryEstimate,
  /** Estimated bytes in use after the change (the current model's share is released on swap). */
  projectedTotalBytes: z.number().nonnegative(),
  budgetBytes: z.number().nonnegative(),
  fitsBudget: z.boolean(),
  /** unload + load + re-ingest, from this machine's measured load and prefill speeds. */
  predictedMs: z.number().nonnegative(),
  unloadMs: z.number().nonnegative(),
  loadMs: z.number().nonnegative(),
  reingestMs: z.number().nonnegative(),
  /** How `predictedMs` was derived, in words: which speeds were measured and which are defaults. */
  basis: z.string(),
  historyTurns: z.number().int().nonnegative(),
});
export type SwapPrediction = z.infer<typeof SwapPrediction>;

// ---------------------------------------------------------------------------------------------
// Compare (one prompt, N models, blind voting)
// ---------------------------------------------------------------------------------------------

export const CompareColumn = z.object({
  /** Blind label shown before voting: "A", "B", … */
  label: z.string(),
  /** Revealed only after the vote (null until then). */
  model: ModelIdentity.nullable(),
  status: z.enum(["loading", "generating", "done", "error"]),
  text: z.string(),
  error: z.string().nullable(),
  result: GenerationResult.nullable(),
});
export type CompareColumn = z.infer<typeof CompareColumn>;

export const CompareRun = z.object({
  id: z.string(),
  prompt: z.string(),
  columns: z.array(CompareColumn),
  /** The verdict once voted: the chosen column's label, `tie` or `both-bad`. */
  winner: z.string().nullable(),
  createdAt: z.number(),
});
export type CompareRun = z.infer<typeof CompareRun>;

// ---------------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------------

export const Settings = z.object({
  modelsDir: z.string(),
  /** null = the engine's default rule (a safe fraction of RAM, or CONCLAVE_MEMORY_BUDGET). */
  memoryBudgetBytes: z.number().positive().nullable(),
  /** Whether loads may park idle, unpinned seats of other sessions (least recently used first). */
  eviction: z.enum(["refuse", "evict-lru"]),
  /** How long a finished session's seats stay loaded before they are released (unless pinned). */
  keepWarmMs: z.number().int().nonnegative().max(24 * 3600 * 1000),
  /** How the backend pool picks a backend for turns that name none (an experiment's `backends.policy` wins for its session). */
  routingPolicy: RoutingPolicyName,
  /**
   * Command checks run model-written code without a sandbox where none is available. Off by
   * default; the UI shows a warning beside it. `conclave run --allow-unsandboxed` sets it for one run.
   */
  allowUnsandboxed: z.boolean(),
  /** This machine's sandbox for command checks (`bubblewrap`, `sandbox-exec`), or why there is none. Read only. */
  sandbox: z.string(),
  dbPath: z.string(),
});
export type Settings = z.infer<typeof Settings>;

// ---------------------------------------------------------------------------------------------
// Method table
// ---------------------------------------------------------------------------------------------

const Empty = z.object({}).strict();
/** The session a seat belongs to; null (or left out) for the lab's hand-loaded seats. */
const SeatSession = z.string().min(1).nullable().default(null);
const Ok = z.object({ ok: z.literal(true) });

/**
 * An export as the UI asks for it: the session, the {@link ExportSelection} every front end shares,
 * and a target file name the host writes under its export folder, never an arbitrary path.
 */
export const ExportJob = ExportSelection.extend({
  sessionId: z.string().min(1),
  fileName: z
    .string()
    .regex(/^[\w.-]{1,128}$/, "a plain file name: letters, digits, '.', '_' or '-'")
    .refine((name) => name !== "." && name !== "..", "'.' and '..' name folders, not files"),
});
export type ExportJob = z.input<typeof ExportJob>;


export const ExportResult = z.object({
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  records: z.number().int().nonnegative(),
  /** Download URL on the loopback host (relative, token added by the client); null under Electron. */
  url: z.string().nullable(),
  /** Every record checked by its format's rules: error counts by kind and tokens per example. */
  validation: ExportValidation,
  /** The provenance sidecar (OpenAI chat and DPO formats), beside the file. */
  sidecar: z.string().nullable(),
  /** LLaMA-Factory's dataset_info.json updated beside the file (ShareGPT, Alpaca, TRL string pairs). */
  datasetInfo: z.string().nullable(),
  notes: z.array(z.string()),
  /** What the export did with the trained-on turns' thoughts (absent from hosts that predate thoughts). */
  thoughts: ThoughtExport.optional(),
});
export type ExportResult = z.infer<typeof ExportResult>;

/**
 * Every RPC method: its params and result schemas. The key is the wire `method` string.
 * Adding a method here is the whole contract change; the host's dispatcher table must then
 * implement it (the compiler enforces that).
 */
export const rpcMethods = {
  "slots.list": { params: Empty, result: z.array(SlotInfo) },
  /** Puts a model in a seat: the engine loads it or hot-swaps the seat, from the seat's actual state. */
  "slots.assign": {
    params: z.object({ sessionId: SeatSession, role: RoleName, modelRef: z.string().min(1), options: LoadOptions.optional() }),
    result: SwapEvent,
  },
  "slots.unload": { params: z.object({ sessionId: SeatSession, role: RoleName }), result: Ok },
  "slots.pin": { params: z.object({ sessionId: SeatSession, role: RoleName, pinned: z.boolean() }), result: SlotInfo },
  "slots.predict": {
    params: z.object({ sessionId: SeatSession, role: RoleName, modelRef: z.string().min(1), contextSize: z.number().int().positive().optional() }),
    result: SwapPrediction,
  },
  "slots.abort": { params: z.object({ generationId: z.string().min(1) }), result: Ok },
  "memory.report": { params: Empty, result: MemoryReport },

  "library.list": { params: Empty, result: LibraryState },
  "library.addPath": { params: z.object({ path: z.string().min(1) }), result: z.array(LibraryModel) },
  "library.download": { params: z.object({ uri: z.string().min(1) }), result: DownloadInfo },
  "library.cancelDownload": { params: z.object({ downloadId: z.string().min(1) }), result: Ok },
  "library.createDemoModel": { params: Empty, result: LibraryModel },
  "library.remove": { params: z.object({ ref: z.string().min(1) }), result: Ok },
  /** A seat of this library model on its own, at the default context: weights, KV cache and process. */
  "library.estimate": { params: z.object({ ref: z.string().min(1) }), result: MemoryEstimate },

  "sessions.list": { params: Empty, result: z.array(SessionInfo) },
  /** Starts a session of the whole experiment, exactly as `conclave run` reads it from a file. */
  "sessions.create": { params: Experiment, result: SessionInfo },
  "sessions.get": { params: z.object({ sessionId: z.string().min(1) }), result: SessionInfo },
  "sessions.messages": {
    params: z.object({
      sessionId: z.string().min(1),
      offset: z.number().int().nonnegative().default(0),
      limit: z.number().int().positive().max(5000).default(1000),
    }),
    result: z.object({ messages: z.array(Message), total: z.number().int().nonnegative() }),
  },
  "sessions.swaps": { params: z.object({ sessionId: z.string().min(1) }), result: z.array(SessionSwap) },
  "sessions.control": { params: z.object({ sessionId: z.string().min(1), action: SessionControl }), result: SessionInfo },
  "sessions.plan": { params: z.object({ sessionId: z.string().min(1) }), result: ResidencyPlan },
  "sessions.preview": { params: z.object({ experiment: Experiment }), result: ResidencyPlan },
  /** The series the "Metrics" view plots: speed per role, memory over time with swaps, votes and ratings. */
  "sessions.metrics": { params: z.object({ sessionId: z.string().min(1) }), result: SessionMetrics },

  // Fork and replay (shared/lineage.ts).
  /** A new session with the parent's messages 1..atSeq, continuing live; `experiment` replaces the parent's (other models, settings). */
  "sessions.fork": {
    params: z.object({ sessionId: z.string().min(1), atSeq: z.number().int().positive(), experiment: Experiment.optional() }),
    result: SessionInfo,
  },
  /** Reruns a session's stored experiment, seed included, as a new session; compared with it when it ends. */
  "sessions.replay": { params: z.object({ sessionId: z.string().min(1) }), result: ReplayStart },
  /** Where a session came from, its forks and replays, and a replay's divergence report. */
  /** The researcher speaks: the awaited human seat's turn, or an interjection (shared/human.ts). */
  "sessions.say": { params: SayRequest, result: Message.nullable() },
  /** Answers a tie, the next speaker or an approval the session waits for. */
  "sessions.decide": { params: DecideRequest, result: SessionInfo },
  "sessions.waiting": { params: z.object({ sessionId: z.string().min(1) }), result: HumanWait.nullable() },
  "sessions.lineage": { params: z.object({ sessionId: z.string().min(1) }), result: SessionLineage },

  "export.run": { params: ExportJob, result: ExportResult },

  "compare.run": {
    params: z.object({
      prompt: z.string().min(1),
      modelRefs: z.array(z.string().min(1)).min(2).max(6),
      sampling: SamplingParams.partial().optional(),
    }),
    result: CompareRun,
  },
  /**
   * Runs still awaiting their vote, oldest first, as blind as `compare.run` returned them (no model
   * named): a reloaded page keeps their sessions out of its list and shows the newest again.
   */
  "compare.pending": { params: Empty, result: z.array(CompareRun) },
  /** `winner`: the picked column's label, `tie`, or `both-bad`. */
  "compare.vote": { params: z.object({ compareId: z.string().min(1), winner: CompareVerdict }), result: CompareRun },

  // Evaluation: the arena leaderboard and message ratings (1–5 stars, stored as 0..1; shared/ratings.ts).
  "leaderboard.get": { params: z.object({ source: LeaderboardSource.default("all") }), result: Leaderboard },
  "messages.rate": { params: RateMessageRequest, result: MessageRating },
  "messages.ratings": { params: z.object({ sessionId: z.string().min(1) }), result: z.array(MessageRating) },

  "backends.list": { params: Empty, result: z.array(BackendEntry) },
  "backends.upsert": { params: BackendUpsert, result: BackendEntry },
  "backends.remove": { params: z.object({ name: BackendName }), result: Ok },
  "backends.setEnabled": { params: z.object({ name: BackendName, enabled: z.boolean() }), result: BackendEntry },

  "settings.get": { params: Empty, result: Settings },
  "settings.set": { params: Settings.omit({ dbPath: true, sandbox: true }).partial(), result: Settings },

  /** Full-text search over every stored session (titles, tasks, messages, results), BM25 order. */
  "search.sessions": { params: SearchQuery, result: SearchResult },

  /** Task-set evaluations (shared/evaluation.ts): start or continue one, follow it, list them, stop one. */
  "evaluations.run": { params: EvaluationRunRequest, result: EvaluationSummary },
  "evaluations.get": { params: z.object({ runId: z.string().min(1) }), result: EvaluationRun },
  "evaluations.list": { params: Empty, result: z.array(EvaluationSummary) },
  "evaluations.abort": { params: z.object({ runId: z.string().min(1) }), result: EvaluationSummary },
  /** The message a session ended with as its answer (null until it has one). */
  "sessions.result": { params: z.object({ sessionId: z.string().min(1) }), result: SessionResult.nullable() },
  // Committee knowledge: presets, member advice, the solution library (shared/presets.ts, advice.ts, solutionLibrary.ts).
  /** What the experiment's preset expands to on this machine now (unchanged without a preset); shown before a run. */
  "presets.expand": {
    params: z.object({ experiment: Experiment }),
    result: z.object({ experiment: Experiment, expansion: PresetExpansion.nullable() }),
  },
  /** Each member's contribution and a KEEP / PRUNE / REPLACE recommendation for a session or a series (`leaveOneOut`: sessions re-run per member). */
  "advice.get": { params: AdviceRequest, result: Advice },
  /** What the solution library did for a session (path, offered past results with provenance, hit rate, time saved); null when unused. */
  "solutions.use": { params: z.object({ sessionId: z.string().min(1) }), result: LibraryUse.nullable() },
  /** A session's attachments, the artifacts of its messages (the result's are the committee's output) and its command checks with their evidence. */
  "sessions.code": { params: z.object({ sessionId: z.string().min(1) }), result: SessionCodeReport },
} as const;

export type RpcMethods = typeof rpcMethods;
export type RpcMethod = keyof RpcMethods;
/** What a caller passes (defaults not yet applied). */
export type RpcParamsInput<M extends RpcMethod> = z.input<RpcMethods[M]["params"]>;
/** What the host hands a service (after parsing, defaults applied). */
export type RpcParams<M extends RpcMethod> = z.output<RpcMethods[M]["params"]>;
export type RpcResult<M extends RpcMethod> = z.output<RpcMethods[M]["result"]>;

/** True when `name` is a method of the contract (a type guard for untrusted strings). */
export function isRpcMethod(name: string): name is RpcMethod {
  return Object.prototype.hasOwnProperty.call(rpcMethods, name);
}

// ---------------------------------------------------------------------------------------------
// Streamed events
// ---------------------------------------------------------------------------------------------

/** Events that come from the app layer (sessions, library, compare) rather than the slot engine. */
export const AppEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("session"), session: SessionInfo }),
  z.object({ type: z.literal("message"), message: Message }),
  /** A role started speaking: tokens with this generationId belong to its next message. */
  z.object({
    type: z.literal("speaker"),
    sessionId: z.string(),
    role: RoleName.nullable(),
    generationId: z.string().nullable(),
    /** The roles this speaker is addressing or building on, for the graph's live edges. */
    to: z.array(RoleName).optional(),
  }),
  /** A one-line note on what a session is doing (seating, loading, round n, swapping). */
  z.object({ type: z.literal("progress"), sessionId: z.string(), text: z.string() }),
  /** What a session waits for from the researcher; null once it goes on. */
  z.object({ type: z.literal("waiting"), sessionId: z.string(), wait: HumanWait.nullable() }),
  z.object({ type: z.literal("download"), download: DownloadInfo }),
  z.object({ type: z.literal("library") }),
  z.object({ type: z.literal("compare"), run: CompareRun }),
  z.object({ type: z.literal("compare-token"), compareId: z.string(), label: z.string(), text: z.string() }),
  /** A task-set evaluation moved on (a task started, changed phase or finished; the run ended). */
  z.object({ type: z.literal("evaluation"), run: EvaluationSummary }),
]);
export type AppEvent = z.infer<typeof AppEvent>;

/** Everything the host pushes to a connected UI. */
export const RpcEvent = z.union([EngineEvent, AppEvent]);
export type RpcEvent = z.infer<typeof RpcEvent>;

// ---------------------------------------------------------------------------------------------
// Wire frames
// ---------------------------------------------------------------------------------------------

export const RpcRequestFrame = z.object({
  kind: z.literal("request"),
  id: z.number().int().nonnegative(),
  method: z.string(),
  params: z.unknown(),
});
export type RpcRequestFrame = z.infer<typeof RpcRequestFrame>;

export const RpcErrorCode = z.enum(["bad-request", "unknown-method", "invalid-params", "failed", "invalid-result"]);
export type RpcErrorCode = z.infer<typeof RpcErrorCode>;

export const RpcError = z.object({ code: RpcErrorCode, message: z.string() });
export type RpcError = z.infer<typeof RpcError>;

export const RpcReplyFrame = z.discriminatedUnion("ok", [
  z.object({ kind: z.literal("reply"), id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ kind: z.literal("reply"), id: z.number().int(), ok: z.literal(false), error: RpcError }),
]);
export type RpcReplyFrame = z.infer<typeof RpcReplyFrame>;

export const RpcEventFrame = z.object({ kind: z.literal("event"), event: RpcEvent });
export type RpcEventFrame = z.infer<typeof RpcEventFrame>;

/** Any frame the host sends. Events are validated separately so one bad event drops only itself. */
export const HostFrame = z.union([RpcReplyFrame, z.object({ kind: z.literal("event"), event: z.unknown() })]);
export type HostFrame = z.infer<typeof HostFrame>;
