/**
 * The narrow surface the host (loopback server and Electron shell alike) needs from the engine.
 *
 * The host never reaches into engine internals: it talks to these members only, so the engine's
 * `SlotRegistry`, the library functions, the session runner, the store and the exporter can be
 * wired in by whoever composes the app (`conclave serve`, the Electron main process) without the
 * transport knowing their concrete classes. `SlotRegistry` satisfies {@link SlotsService} as is.
 */
import type {
  ChatTurn,
  EngineEvent,
  GenerationResult,
  LoadOptions,
  MemoryReport,
  SamplingInput,
  SlotInfo,
  SwapEvent,
} from "../../shared/slots.js";
import type {
  AppEvent,
  DownloadInfo,
  ExportJob,
  ExportResult,
  LibraryModel,
  LibraryState,
  NewSessionRequest,
  SessionControl,
  Settings,
} from "../../shared/rpc.js";
import type { Message, SessionInfo, SessionSwap } from "../../shared/conversation.js";
import type { BackendEntry, BackendUpsert } from "../../shared/backends.js";
import type { BackendPool } from "../engine/backends/BackendPool.js";
import type { ArenaService } from "../engine/arena/arenaService.js";

/** The slice of the slot engine the UI drives. */
export interface SlotsService {
  list(): SlotInfo[];
  load(role: string, modelRef: string, options?: LoadOptions): Promise<SlotInfo>;
  unload(role: string): Promise<void>;
  hotSwap(role: string, modelRef: string, options?: LoadOptions): Promise<SwapEvent>;
  memory(): Promise<MemoryReport>;
  getHistory(role: string): ChatTurn[];
  setHistory(role: string, turns: ChatTurn[]): void;
  generate(
    role: string,
    request: { append?: ChatTurn[]; sampling?: SamplingInput; generationId?: string },
  ): Promise<GenerationResult>;
  abort(generationId: string): void;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /**
   * Optional: the engine's own pre-load estimate (GgufInsights) for a model at a context size.
   * Without it the host falls back to a file-size heuristic and says so in the prediction.
   */
  estimate?(modelRef: string, options?: LoadOptions): Promise<{ estimateBytes: number }>;
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
  /** Download progress and library changes. */
  onEvent(listener: (event: AppEvent) => void): () => void;
}

/** Committee sessions: the lead's runner over the bus and the store. */
export interface SessionsService {
  list(): Promise<SessionInfo[]>;
  create(request: NewSessionRequest): Promise<SessionInfo>;
  get(sessionId: string): Promise<SessionInfo>;
  messages(sessionId: string, offset: number, limit: number): Promise<{ messages: Message[]; total: number }>;
  /** Hot swaps recorded during the session, for the timeline's inline swap events. */
  swaps(sessionId: string): Promise<SessionSwap[]>;
  control(sessionId: string, action: SessionControl): Promise<SessionInfo>;
  /** `session`, `message` and `speaker` events. */
  onEvent(listener: (event: AppEvent) => void): () => void;
}

/** Training-data export of a stored session. */
export interface ExportService {
  /** Writes the export to `absolutePath` (the host chooses it under its export folder). */
  run(request: ExportJob, absolutePath: string): Promise<Omit<ExportResult, "url" | "path">>;
}

/** Persistent app settings (models folder, memory budget). */
export interface SettingsService {
  get(): Promise<Settings>;
  set(patch: Partial<Omit<Settings, "dbPath">>): Promise<Settings>;
}

/**
 * Adding, editing, enabling and removing the pool's backends. Configs are saved key-free; an upsert's
 * API key goes to the host's SecretStore only and no reply carries it (`hasApiKey` says whether one is stored).
 */
export interface BackendAdminService {
  /** Every backend in pool order (the built-in `local` first) with its live monitoring. */
  list(): Promise<BackendEntry[]>;
  upsert(request: BackendUpsert): Promise<BackendEntry>;
  remove(name: string): Promise<void>;
  setEnabled(name: string, enabled: boolean): Promise<BackendEntry>;
}

/** Everything the host needs; the composer (CLI `serve`, Electron main) builds one of these. */
export interface ConclaveServices {
  slots: SlotsService;
  library: LibraryService;
  sessions: SessionsService;
  export: ExportService;
  settings: SettingsService;
  /**
   * The pool every session turn runs through (and `X-LLM-Backend` on the compatibility routes names
   * a member of): the built-in in-process `local` backend first, then the saved remote ones.
   */
  backends: BackendPool;
  /** Administration of {@link ConclaveServices.backends} for the `backends.*` RPCs. */
  backendAdmin: BackendAdminService;
  /** Leaderboard, compare verdicts and message ratings over the store. */
  arena: ArenaService;
  /** Folder export files are written into (and served from on the loopback host). */
  exportDir: string;
  /** Disposes models and closes the database; called on host close / app quit. */
  dispose(): Promise<void>;
}
