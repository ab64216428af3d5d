/**
 * The engine's public surface: what `createEngine()` returns and what every front end — the
 * loopback host, the Electron shell, the CLI — drives. The transports only carry these calls and
 * events; every capability is implemented once behind them.
 */
import type { DecideRequest, HumanAnswer, HumanWait, SayRequest } from "../../shared/human.js";
import type {
  ChatTurn,
  GenerationResult,
  LoadOptions,
  MemoryReport,
  SamplingInput,
  SeatRef,
  SlotInfo,
  SwapEvent,
} from "../../shared/slots.js";
import type {
  AppEvent,
  CompareRun,
  DownloadInfo,
  ExportJob,
  ExportResult,
  LibraryModel,
  LibraryState,
  RpcEvent,
  SessionControl,
  Settings,
  SwapPrediction,
} from "../../shared/rpc.js";
import type { Message, SessionInfo, SessionSwap } from "../../shared/conversation.js";
import type { ExperimentInput } from "../../shared/experiment.js";
import type { ReplayStart, SessionLineage } from "../../shared/lineage.js";
import type { ResidencyPlan } from "../../shared/residency.js";
import type { SessionMetrics } from "../../shared/metrics.js";
import type { BackendEntry, BackendUpsert } from "../../shared/backends.js";
import type { BackendPool } from "./backends/BackendPool.js";
import type { SlotRegistry } from "./slots/SlotRegistry.js";
import type { BatchedServing } from "./serving/BatchedServing.js";
import type { SessionStore } from "./store/sessionStore.js";
import type { ArenaService } from "./arena/arenaService.js";
import type { SessionOutcome } from "./session/SessionRunner.js";
import type { EvaluationsService } from "./eval/evaluationService.js";
import type { PresetService } from "./presets/presetService.js";
import type { AdviceService } from "./advice/adviceService.js";
import type { SolutionsService } from "./solutions/solutionsService.js";
import type { SessionCodeReport } from "../../shared/sessionCode.js";

/** Seat operations as the UI and the API use them; every call names its seat (session, role). */
export interface SlotsService {
  list(sessionId?: string | null): SlotInfo[];
  /** Puts a model in a seat; the engine loads or swaps from the seat's actual state. Rejects when it did not go in. */
  assign(seat: SeatRef, modelRef: string, options?: LoadOptions): Promise<SwapEvent>;
  load(seat: SeatRef, modelRef: string, options?: LoadOptions): Promise<SlotInfo>;
  unload(seat: SeatRef): Promise<void>;
  /** The user's pin: never parked for another load, never released when the session ends. */
  pin(seat: SeatRef, pinned: boolean): SlotInfo;
  /** What a drag-to-swap would cost: memory from the estimate, time as unload + load + re-ingest. */
  predict(seat: SeatRef, modelRef: string, contextSize?: number): Promise<SwapPrediction>;
  memory(): Promise<MemoryReport>;
  getHistory(seat: SeatRef): ChatTurn[];
  setHistory(seat: SeatRef, turns: ChatTurn[]): void;
  generate(seat: SeatRef, request: { append?: ChatTurn[]; sampling?: SamplingInput; generationId?: string }): Promise<GenerationResult>;
  abort(generationId: string): Promise<boolean>;
}

/** The model library: files on disk, the catalog, downloads, and the first-run demo model. */
export interface LibraryService {
  list(): Promise<LibraryState>;
  /** Adds a GGUF file or every GGUF in a folder the user points to; returns what was added. */
  addPath(path: string): Promise<LibraryModel[]>;
  /** Starts resolving an `hf:` URI (or catalog URI) into the models folder. */
  download(uri: string): Promise<DownloadInfo>;
  cancelDownload(downloadId: string): Promise<void>;
  /** Writes a small random-weight model for trying the mechanics offline. */
  createDemoModel(): Promise<LibraryModel>;
  /**
   * Takes a model (usable or not) off the list; the file itself stays on disk. Adding its path
   * again brings it back.
   */
  remove(ref: string): Promise<void>;
  /** Download progress and library changes. */
  onEvent(listener: (event: AppEvent) => void): () => void;
}

/** How a session meets the researcher when nobody sits at a UI (the CLI). */
export interface HumanOptions {
  /** Answers used in order before anyone is asked live (`conclave run --answers`). */
  answers?: readonly HumanAnswer[];
  /** Whether someone can answer live (default true: a UI or a TTY). */
  attended?: boolean;
}

/** Committee sessions: created, followed, controlled, resumed after an interruption, planned. */
export interface SessionsService {
  list(): Promise<SessionInfo[]>;
  /**
   * Starts a session from a whole experiment (the same shape `conclave run` reads). `answers` feed
   * its waits for the researcher in order; without `attended`, a wait nothing can answer fails it.
   */
  create(experiment: ExperimentInput, options?: HumanOptions): Promise<SessionInfo>;
  /** The researcher speaks into a running session: the awaited human seat's turn, or an interjection. Returns the message an interjection became (null for a turn: it arrives as the seat's message). */
  say(request: SayRequest): Promise<Message | null>;
  /** Answers the decision a session waits for (a tie, the next speaker, an approval). */
  decide(request: DecideRequest): Promise<SessionInfo>;
  /** What a running session waits for from the researcher, or null. */
  waiting(sessionId: string): Promise<HumanWait | null>;
  get(sessionId: string): Promise<SessionInfo>;
  messages(sessionId: string, offset: number, limit: number): Promise<{ messages: Message[]; total: number }>;
  /** Swaps recorded during the session, for the timeline's inline swap events. */
  swaps(sessionId: string): Promise<SessionSwap[]>;
  /** pause/resume/abort a running session; resume/end an interrupted one. */
  control(sessionId: string, action: SessionControl): Promise<SessionInfo>;
  /** Resolves when the session ends (a running one), with its outcome. */
  wait(sessionId: string): Promise<SessionOutcome>;
  /** The residency plan of a running session. */
  plan(sessionId: string): Promise<ResidencyPlan>;
  /** The residency plan an experiment would get if it started now (nothing is loaded). */
  preview(experiment: ExperimentInput): Promise<ResidencyPlan>;
  /** A new session with messages 1..atSeq of `sessionId`, continuing live (under `experiment` when given). */
  fork(sessionId: string, atSeq: number, experiment?: ExperimentInput): Promise<SessionInfo>;
  /** Reruns a session's stored experiment, seed included; the new session is compared with it when it ends. */
  replay(sessionId: string): Promise<ReplayStart>;
  /** Where a session came from, its forks and replays, and a replay's report. */
  lineage(sessionId: string): Promise<SessionLineage>;
}

/** The series the "Metrics" view plots, read from the store (metrics/sessionMetrics.ts). */
export interface MetricsService {
  session(sessionId: string): Promise<SessionMetrics>;
}

/** Side-by-side compare runs: each is a compare session; a human's pick is recorded. */
export interface CompareService {
  run(prompt: string, modelRefs: string[], sampling?: SamplingInput): Promise<CompareRun>;
  vote(compareId: string, winner: string): Promise<CompareRun>;
}

/** Training-data export of a stored session. */
export interface ExportService {
  /** Writes the export to `absolutePath` (the host chooses it under its export folder). */
  run(request: ExportJob, absolutePath: string): Promise<Omit<ExportResult, "url" | "path">>;
}

/** Persistent app settings (models folder, memory budget, eviction, keep-warm). */
export interface SettingsService {
  get(): Promise<Settings>;
  set(patch: Partial<Omit<Settings, "dbPath">>): Promise<Settings>;
}

/**
 * Adding, editing, enabling and removing the pool's backends. Configs are saved key-free; an
 * upsert's API key goes to the SecretStore only and no reply carries it.
 */
export interface BackendAdminService {
  /** Every backend in pool order (the built-in `local` first) with its live monitoring. */
  list(): Promise<BackendEntry[]>;
  upsert(request: BackendUpsert): Promise<BackendEntry>;
  remove(name: string): Promise<void>;
  setEnabled(name: string, enabled: boolean): Promise<BackendEntry>;
}

/** The composed engine: `createEngine()` builds exactly one of these per process. */
export interface Engine {
  slots: SlotsService;
  library: LibraryService;
  sessions: SessionsService;
  metrics: MetricsService;
  compare: CompareService;
  export: ExportService;
  settings: SettingsService;
  /** The pool every session turn runs through: the built-in in-process `local` first, then remote ones. */
  backends: BackendPool;
  backendAdmin: BackendAdminService;
  /** Leaderboard, compare verdicts and message ratings over the store. */
  arena: ArenaService;
  /** Task-set evaluations (committee against a same-budget baseline) and session result messages. */
  evaluations: EvaluationsService;
  /** Presets expanded into concrete settings for the user's models and this machine. */
  presets: PresetService;
  /** Member contribution and pruning advice over a session or a series (never prunes). */
  advice: AdviceService;
  /** What the solution library did for a session. */
  solutions: SolutionsService;
  /** Code committees: a session's attachments, artifacts and command checks (session/codeReport.ts). */
  code: { session(sessionId: string): Promise<SessionCodeReport> };
  /** The seat engine itself (the compatible API runs lab turns on it). */
  registry: SlotRegistry;
  /** Library models served to concurrent API clients, batched on the sequences of one context. */
  serving: BatchedServing;
  store: SessionStore;
  /** Folder export files are written into (and served from on the loopback host). */
  exportDir: string;
  /** Every event for a UI: seats, swaps, memory, faults, sessions, messages, tokens, library, compare. */
  onEvent(listener: (event: RpcEvent) => void): () => void;
  /** Ends model processes and closes the database. */
  dispose(): Promise<void>;
}
