/**
 * The conversation contract: typed messages on the bus, sessions, votes, ratings, slot assignments
 * and swaps as the store keeps them. Declared once here (zod + inferred types); the bus, the store,
 * the exporters and every transport only carry these shapes.
 */
import { z } from "zod";
import { ModelIdentity, RoleName, SamplingParams, SwapEvent, Thought } from "./slots.js";

export { Thought, type ThoughtInput } from "./slots.js";

/** What a message does in the conversation; protocols route and score by it. */
/** Any JSON value (experiments and settings are stored verbatim). */
export const JsonValue = z.json();
export type JsonValue = z.infer<typeof JsonValue>;

export const MessageType = z.enum([
  "analysis",
  "critique",
  "proposal",
  "question",
  "consensus",
  "answer",
  "vote",
  "system",
  "revision",
  "summary",
  /** A past session's result brought in by the solution library, as cited material (shared/solutionLibrary.ts). */
  "retrieved",
]);
export type MessageType = z.infer<typeof MessageType>;

/**
 * Who spoke: a role name, or the reserved speakers `user` (the researcher / the task) and `system`
 * (the orchestrator). Both reserved names also satisfy {@link RoleName}, so they stay valid OpenAI `name`s.
 */
export const Speaker = RoleName;
export type Speaker = z.infer<typeof Speaker>;

/** Addressees: a non-empty list of roles, or everyone. */
export const Recipients = z.union([z.literal("all"), z.array(RoleName).min(1)]);
export type Recipients = z.infer<typeof Recipients>;

/** Which model produced a message and how, so a run can be repeated exactly. */
export const Provenance = z.object({
  modelName: z.string(),
  fingerprint: z.string(),
  quantization: z.string(),
  sampling: SamplingParams,
  seed: z.number().int().nonnegative().nullable(),
  /** The GGUF file name (absent on messages recorded before it was kept, and on remote backends). */
  fileName: z.string().optional(),
  /** The inference runtime and its version, e.g. `node-llama-cpp@3.21.1` or `ollama`. */
  runtime: z.string().optional(),
  /** Set on what the researcher wrote (a human seat's turn, an interjection, a decision): never a training target. */
  human: z.literal(true).optional(),
});
export type Provenance = z.infer<typeof Provenance>;

export const Usage = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  ttftMs: z.number().nonnegative().nullable(),
  tokensPerSec: z.number().nonnegative().nullable(),
});
export type Usage = z.infer<typeof Usage>;

/** Why a router sent this turn where it did (router protocol and backend fallbacks). */
export const Routing = z.object({
  backend: z.string(),
  reason: z.string(),
});
export type Routing = z.infer<typeof Routing>;

const MessageFields = {
  id: z.string().min(1),
  sessionId: z.string().min(1),
  from: Speaker,
  to: Recipients,
  type: MessageType,
  content: z.string(),
  referencesTo: z.array(z.string().min(1)),
  /** Self-reported, 0..1; null when the speaker gave none (users, the orchestrator, unparsable output). */
  confidence: z.number().min(0).max(1).nullable(),
  /** Null for messages no model produced (user, system). */
  provenance: Provenance.nullable(),
  usage: Usage.nullable(),
  /** Epoch ms. */
  createdAt: z.number(),
  round: z.number().int().nonnegative().nullable(),
  /** One line per repair applied to the model's raw output (clamped confidence, dropped reference…). */
  repairs: z.array(z.string()),
  routing: Routing.nullable(),
  /** The model's thought before its content (reasoning models); absent when it had none. */
  thought: Thought.optional(),
  /** The model's output as it came, kept when any repair changed what it said (absent otherwise). */
  raw: z.string().optional(),
};

/** A message as stored: `seq` is assigned by the store, 1, 2, 3… per session, in emission order. */
export const Message = z.object({
  ...MessageFields,
  seq: z.number().int().positive(),
});
export type Message = z.infer<typeof Message>;

/**
 * What a sender hands the store: the store assigns `seq` and, when absent, `id` and `createdAt`;
 * the bookkeeping lists default to empty and the optional facts to null.
 */
export const MessageDraft = z.object({
  ...MessageFields,
  id: MessageFields.id.optional(),
  createdAt: MessageFields.createdAt.optional(),
  referencesTo: MessageFields.referencesTo.default([]),
  confidence: MessageFields.confidence.default(null),
  provenance: MessageFields.provenance.default(null),
  usage: MessageFields.usage.default(null),
  round: MessageFields.round.default(null),
  repairs: MessageFields.repairs.default([]),
  routing: MessageFields.routing.default(null),
});
export type MessageDraft = z.input<typeof MessageDraft>;

export const ProtocolKind = z.enum(["roundtable", "debate", "pipeline", "parallel", "validate", "route", "compare"]);
export type ProtocolKind = z.infer<typeof ProtocolKind>;

/**
 * `interrupted`: the process running the session stopped (killed, crashed, restarted) before it
 * ended. Such a session can be resumed from the store or ended. `waiting`: the session waits for the
 * researcher (a human seat's turn, a decision, the next speaker, an approval; shared/human.ts).
 * Which change is allowed is one table in the engine (conversation/session/sessionTransitions.ts).
 */
export const SessionStatus = z.enum(["running", "paused", "completed", "aborted", "failed", "interrupted", "waiting"]);
export type SessionStatus = z.infer<typeof SessionStatus>;

/** Where a session came from: forked from another at one of its messages, or a replay of another. */
export const SessionOrigin = z.object({
  kind: z.enum(["fork", "replay"]),
  /** The parent (fork) or the source (replay). */
  sessionId: z.string().min(1),
  /** fork: the parent's message it was forked at (its messages 1..atSeq were taken over); replay: null. */
  atSeq: z.number().int().positive().nullable(),
});
export type SessionOrigin = z.infer<typeof SessionOrigin>;

export const SessionInfo = z.object({
  id: z.string().min(1),
  title: z.string(),
  task: z.string(),
  protocolKind: ProtocolKind,
  /** The experiment as run (already resolved), kept verbatim so the session can be rerun. */
  experiment: JsonValue,
  status: SessionStatus,
  createdAt: z.number(),
  updatedAt: z.number(),
  messageCount: z.number().int().nonnegative(),
  /** Set on forks and replays (see shared/lineage.ts); absent on sessions started from an experiment. */
  origin: SessionOrigin.optional(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const NewSession = SessionInfo.omit({ messageCount: true, updatedAt: true, origin: true }).extend({
  id: z.string().min(1).optional(),
  status: SessionStatus.default("running"),
  createdAt: z.number().optional(),
});
export type NewSession = z.input<typeof NewSession>;

/**
 * One voter's judgement of one message: a `score` in 0..1, a `rank` (1 = best) among the `rankOf`
 * candidates it ranked, or both.
 */
export const Vote = z
  .object({
    sessionId: z.string().min(1),
    voter: RoleName,
    targetMessageId: z.string().min(1),
    score: z.number().min(0).max(1).nullable().default(null),
    rank: z.number().int().positive().nullable().default(null),
    rankOf: z.number().int().positive().nullable().default(null),
    round: z.number().int().nonnegative().nullable().default(null),
    rationale: z.string().default(""),
    /** The `vote` message that carried this ballot, when there was one. */
    messageId: z.string().min(1).nullable().default(null),
    createdAt: z.number().optional(),
  })
  .refine((v) => v.score !== null || v.rank !== null, { message: "a vote needs a score or a rank" })
  .refine((v) => v.rank === null || v.rankOf === null || v.rank <= v.rankOf, {
    message: "rank is larger than the number of ranked candidates",
    path: ["rank"],
  });
export type Vote = z.output<typeof Vote> & { createdAt: number };
export type VoteInput = z.input<typeof Vote>;

/** A researcher's (or a tool's) rating of one message, 0..1. */
export const Rating = z.object({
  sessionId: z.string().min(1),
  messageId: z.string().min(1),
  score: z.number().min(0).max(1),
  /** Who rated: `user`, a role name, or a tool such as `auto`. */
  source: z.string().min(1).default("user"),
  note: z.string().default(""),
  createdAt: z.number().optional(),
});
export type Rating = z.output<typeof Rating> & { createdAt: number };
export type RatingInput = z.input<typeof Rating>;

/** Which model served a role from which message on. */
export const SlotAssignment = z.object({
  sessionId: z.string().min(1),
  role: RoleName,
  model: ModelIdentity,
  systemPrompt: z.string().nullable().default(null),
  /** First message seq produced under this assignment; the store fills in the next seq when absent. */
  fromSeq: z.number().int().positive().optional(),
  at: z.number().optional(),
});
export type SlotAssignment = z.output<typeof SlotAssignment> & { fromSeq: number; at: number };
export type SlotAssignmentInput = z.input<typeof SlotAssignment>;

/** A hot swap as the session records it: the engine's {@link SwapEvent} pinned to the timeline. */
export const SessionSwap = z.object({
  sessionId: z.string().min(1),
  event: SwapEvent,
  round: z.number().int().nonnegative().nullable().default(null),
  /** First message seq produced after the swap; the store fills in the next seq when absent. */
  fromSeq: z.number().int().positive().optional(),
});
export type SessionSwap = z.output<typeof SessionSwap> & { fromSeq: number };
export type SessionSwapInput = z.input<typeof SessionSwap>;

/** One point of a generic time series (memory, tok/s, queue depth…), per session and role when known. */
export const Metric = z.object({
  sessionId: z.string().min(1).nullable().default(null),
  name: z.string().min(1),
  value: z.number(),
  role: RoleName.nullable().default(null),
  at: z.number().optional(),
});
export type Metric = z.output<typeof Metric> & { at: number };
export type MetricInput = z.input<typeof Metric>;

/** A timeline query: messages after `afterSeq`, optionally only some speakers or types. */
export const TimelineQuery = z.object({
  afterSeq: z.number().int().nonnegative().default(0),
  limit: z.number().int().positive().max(10_000).default(200),
  roles: z.array(Speaker).optional(),
  types: z.array(MessageType).optional(),
});
export type TimelineQuery = z.input<typeof TimelineQuery>;

export const TimelinePage = z.object({
  messages: z.array(Message),
  /** Pass as `afterSeq` for the next page; null when this page reached the end. */
  nextAfterSeq: z.number().int().nonnegative().nullable(),
});
export type TimelinePage = z.infer<typeof TimelinePage>;

/** Per-speaker figures for one session (the UI's role table). */
export const RoleStats = z.object({
  role: Speaker,
  messages: z.number().int().nonnegative(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  avgTokensPerSec: z.number().nullable(),
  avgTtftMs: z.number().nullable(),
  avgConfidence: z.number().nullable(),
  votesReceived: z.number().int().nonnegative(),
  /** Mean of the score votes this speaker's messages received; null when none were scored. */
  avgVoteScore: z.number().nullable(),
});
export type RoleStats = z.infer<typeof RoleStats>;

/**
 * Training-data export formats: OpenAI chat JSONL, ShareGPT and Alpaca (LLaMA-Factory), TRL preference pairs,
 * OpenAI preference (DPO) JSONL, and the full session as JSON.
 */
export const ExportFormat = z.enum(["openai", "sharegpt", "alpaca", "dpo", "dpo-openai", "json"]);
export type ExportFormat = z.infer<typeof ExportFormat>;

/**
 * What an export of a session holds: its format and the filters that select the trained-on turns
 * (or, for `json`, the messages). One shape for the UI, the RPC (`export.run`) and the CLI
 * (`conclave export`), so each can ask for everything and each gets the same validation errors.
 */
export const ExportSelection = z.object({
  format: ExportFormat,
  /** Only turns spoken by these roles. */
  roles: z.array(Speaker).optional(),
  /** Only turns of these types. */
  types: z.array(MessageType).optional(),
  /** Only turns whose quality rating (0..1; 4 stars and up is 0.75) is at least this; unrated turns are then left out. */
  minRating: z.number().min(0).max(1).optional(),
  /**
   * How many earlier visible messages an example carries (the task and latest summary always stay):
   * the drop-oldest window a role's context holds. Null keeps the whole history (quadratic output).
   */
  contextMessages: z.number().int().nonnegative().nullable().default(32),
  /** TRL pairs as chat-message lists (conversational) or as plain strings (standard). */
  dpoForm: z.enum(["messages", "string"]).default("messages"),
});
export type ExportSelection = z.input<typeof ExportSelection>;

/** An {@link ExportSelection} and the file it is written to (the engine's own export call). */
export const ExportRequest = ExportSelection.extend({ out: z.string().min(1) });
export type ExportRequest = z.input<typeof ExportRequest>;
/** An {@link ExportRequest} with its defaults filled in. */
export type ResolvedExportRequest = z.output<typeof ExportRequest>;
