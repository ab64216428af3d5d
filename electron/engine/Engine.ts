/**
 * The engine's public surface: what `createEngine()` returns and what every front end — the
 * loopback host, the Electron shell, the CLI — drives. The transports only carry these calls and
 * events; every capability is implemented once behind them.
 */
import type { ApiModel, ApiModelTurn } from "../../shared/apiModels.js";
import type { ChatTurn, GenerationResult, LoadOptions, MemoryReport, SamplingInput, SeatRef, SlotInfo, SwapEvent } from "../../shared/slots.js";
import type { AppEvent, CompareRun, DownloadInfo, ExportJob, ExportResult, LibraryModel, LibraryState, RpcEvent, Settings, SwapPrediction } from "../../shared/rpc.js";
import type { ExportSelection, Routing } from "../../shared/conversation.js";
import type { SearchQueryInput, SearchResult } from "../../shared/search.js";
import type { MemoryEstimate } from "../../shared/memoryEstimate.js";
import type { SessionMetrics } from "../../shared/metrics.js";
import type { BackendConfig, BackendEntry, BackendUpsert } from "../../shared/backends.js";
import type { SessionCodeReport } from "../../shared/sessionCode.js";
import type { TurnResult } from "./conversation/bus/TurnGenerator.js";
import type { ExportResult as ExportFileResult } from "./data/export/exportSession.js";
import type { SessionReads, SessionsService } from "./conversation/session/SessionsService.js";
import type { ArenaService } from "./evaluation/arena/arenaService.js";
import type { EvaluationsService } from "./evaluation/evaluationService.js";
import type { PresetService } from "./evaluation/presets/presetService.js";
import type { AdviceService } from "./evaluation/advice/adviceService.js";
import type { SolutionsService } from "./data/solutions/solutionsService.js";

export type { HumanOptions, SessionReads, SessionsService } from "./conversation/session/SessionsService.js";
export type { SessionOutcome } from "./conversation/session/SessionRunner.js";
export type { ArenaService } from "./evaluation/arena/arenaService.js";
export type { EvaluationsService } from "./evaluation/evaluationService.js";

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
  /** A seat of `modelRef` on its own: weights, KV cache and process (shared/memoryEstimate.ts). */
  estimate(modelRef: string, contextSize?: number): Promise<MemoryEstimate>;
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

/** The series the "Metrics" view plots, read from the store (runtime/metrics/sessionMetrics.ts). */
export interface MetricsService {
  session(sessionId: string): Promise<SessionMetrics>;
}

/** Side-by-side compare runs: each is a compare session; a human's pick is recorded. */
export interface CompareService {
  run(prompt: string, modelRefs: string[], sampling?: SamplingInput): Promise<CompareRun>;
  vote(compareId: string, winner: string): Promise<CompareRun>;
  /** Runs awaiting their vote, oldest first, with no model named. */
  pending(): Promise<CompareRun[]>;
}

/** A session's export as every front end asks for it: the session and the shared {@link ExportSelection}. */
export type SessionExport = ExportSelection & { sessionId: string };

/** What an export wrote, as the CLI prints it: records, skipped turns, bytes, the validation report, the files beside it. */
export type ExportWritten = ExportFileResult;

/** Training-data export of a stored session. */
export interface ExportService {
  /** Writes the export to `absolutePath` (the CLI's `--out`); the request is validated here. */
  run(request: SessionExport, absolutePath: string): Promise<ExportWritten>;
}

/** Export into the engine's export folder, which the loopback host serves downloads from. */
export interface ExportFolderService extends ExportService {
  /** Writes `job` under the export folder as its plain file name; returns where it went. */
  save(job: ExportJob): Promise<Omit<ExportResult, "url">>;
  /** The absolute path of an exported file to download, or null when `name` is no plain file there. */
  find(name: string): Promise<string | null>;
}

/** Full-text search over every stored session (BM25, best match first). */
export interface SearchService {
  /** Validates the query (a `SearchQueryError` names the field) and runs it. */
  sessions(query: SearchQueryInput): SearchResult;
}

/** One compatible-API turn's result: where it ran is null when no pool backend was named. */
export type ModelTurnResult = Omit<TurnResult, "routing"> & { routing: Routing | null };

/**
 * The models the compatible APIs offer (shared/apiModels.ts): seated roles and library models by
 * id, loaded lazily. Refusals are `ApiModelError`s, whose reason the transport maps to a status.
 */
export interface ModelsService {
  /** Every role with a model and every usable library model; `loaded` says which are resident. */
  list(): Promise<ApiModel[]>;
  /** The model an id names; `:latest` and a missing `.gguf` are forgiven, as Ollama clients send them. */
  resolve(id: string): Promise<ApiModel>;
  /** Loads a library model into its API seat when needed; returns the seat that serves `id`. */
  load(id: string): Promise<SeatRef>;
  /** Unloads a library model's API seat (seats of sessions are not the API's to unload). */
  unload(id: string): Promise<void>;
  /** Runs one turn where the request says. */
  generate(turn: ApiModelTurn): Promise<ModelTurnResult>;
}

/** Persistent app settings (models folder, memory budget, eviction, keep-warm). */
export interface SettingsService {
  get(): Promise<Settings>;
  set(patch: Partial<Omit<Settings, "dbPath">>): Promise<Settings>;
}

/**
 * The pool's backends, as the UI and the CLI manage them: adding, editing, enabling and removing.
 * Configs are saved key-free; an upsert's API key goes to the SecretStore only and no reply carries it.
 */
export interface BackendsService {
  /** Every backend in pool order (the built-in `local` first) with its live monitoring. */
  list(): Promise<BackendEntry[]>;
  upsert(request: BackendUpsert): Promise<BackendEntry>;
  remove(name: string): Promise<void>;
  setEnabled(name: string, enabled: boolean): Promise<BackendEntry>;
  /** The app-wide backends' configs in pool order, for checking an experiment's role backends before it starts. */
  configs(): BackendConfig[];
}

/** What backends/backendAdmin.ts implements: {@link BackendsService} less `configs`, which the pool answers. */
export type BackendAdminService = Omit<BackendsService, "configs">;

/**
 * The services that need no model process: what `openEngineStore()` returns over a database file,
 * and what every full {@link Engine} offers as well.
 */
export interface StoreServices {
  /** Sessions' read side: list, get, messages, swaps. */
  sessions: SessionReads;
  search: SearchService;
  export: ExportService;
  /** Leaderboard, compare verdicts and message ratings over the store. */
  arena: ArenaService;
}

/** A store-only engine: {@link StoreServices} over one database file, closed by `close()`. */
export interface EngineStore extends StoreServices {
  /** The database file, for messages that name it. */
  readonly file: string;
  close(): void;
}

/** The composed engine: `createEngine()` builds exactly one of these per process. */
export interface Engine extends StoreServices {
  slots: SlotsService;
  library: LibraryService;
  sessions: SessionsService;
  /** The models the OpenAI- and Ollama-compatible routes offer. */
  models: ModelsService;
  metrics: MetricsService;
  compare: CompareService;
  export: ExportFolderService;
  settings: SettingsService;
  /** The pool every session turn runs through: the built-in in-process `local` first, then remote ones. */
  backends: BackendsService;
  /** Task-set evaluations (committee against a same-budget baseline) and session result messages. */
  evaluations: EvaluationsService;
  /** Presets expanded into concrete settings for the user's models and this machine. */
  presets: PresetService;
  /** Member contribution and pruning advice over a session or a series (never prunes; leave-one-out runs sessions). */
  advice: AdviceService;
  /** What the solution library did for a session. */
  solutions: SolutionsService;
  /** Code committees: a session's attachments, artifacts and command checks (conversation/session/codeReport.ts). */
  code: { session(sessionId: string): Promise<SessionCodeReport> };
  /** Every event for a UI: seats, swaps, memory, faults, sessions, messages, tokens, library, compare. */
  onEvent(listener: (event: RpcEvent) => void): () => void;
  /** Ends model processes and closes the database. */
  dispose(): Promise<void>;
}
