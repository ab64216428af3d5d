/**
 * Builds {@link ConclaveServices} from the engine parts: the slot registry, the model library,
 * the SQLite session store and the exporter. The CLI's `serve`, the Electron main process and the
 * e2e tests all compose the app here, so they cannot drift apart.
 *
 * Sessions: the committee runner is passed in (`sessions`); without one, stored sessions can be
 * browsed and exported but `sessions.create` says plainly that no runner is wired.
 *
 * Backends: the pool is built here from the configs saved in the store (backendAdmin.ts), with API
 * keys from `secrets`: the Electron shell passes its safeStorage store, headless hosts use the
 * environment and a 0600 keys file next to the database.
 */
import { randomUUID } from "node:crypto";
import { mkdir, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { AppEvent, DownloadInfo, LibraryModel, Settings } from "../../shared/rpc.js";
import { loadCatalog } from "../engine/library/catalog.js";
import { inspectGguf } from "../engine/library/inspectGguf.js";
import { libraryResolver } from "../engine/library/libraryResolver.js";
import { resolveModelRef } from "../engine/library/resolveModelRef.js";
import { listGgufFiles, scanModelsDir } from "../engine/library/scanModelsDir.js";
import { exportSession } from "../engine/export/exportSession.js";
import { arenaService } from "../engine/arena/arenaService.js";
import { SlotRegistry } from "../engine/slots/SlotRegistry.js";
import { openStore, type SessionStore } from "../engine/store/sessionStore.js";
import type { ProcessLauncher } from "../engine/worker/processLauncher.js";
import { writeLlamaGguf } from "../../models/gguf/llamaGguf.js";
import { PRESETS } from "../../models/gguf/presets.js";
import type { BackendPool } from "../engine/backends/BackendPool.js";
import { SessionBudgets } from "../engine/budget/SessionBudget.js";
import { headlessSecrets, type SecretStore } from "../engine/secrets/SecretStore.js";
import { openHostBackends } from "./backendAdmin.js";
import type { ConclaveServices, LibraryService, SessionsService, SlotsService } from "./services.js";

export interface ComposeOptions {
  dbPath: string;
  modelsDir: string;
  exportDir: string;
  stateDir?: string;
  /** `utilityProcess` under Electron; Node child processes headless (the engine's default). */
  launcher?: ProcessLauncher;
  budgetBytes?: number;
  /** Where backend API keys live; default: `CONCLAVE_<NAME>_API_KEY`, then {@link ComposeOptions.keysFile}. */
  secrets?: SecretStore;
  /** The headless keys file (0600); default `keys.json` beside the database. Unused when `secrets` is given. */
  keysFile?: string;
  /** Backend failures and fallbacks, already redacted; default: stderr. */
  log?: (line: string) => void;
  /** The committee runner over the engine parts; see the module note. */
  sessions?: (parts: SessionParts) => SessionsService;
}

/** What a sessions service is built over. */
export interface SessionParts {
  slots: SlotRegistry;
  store: SessionStore;
  /** Every session turn runs through this pool, which records where it ran and why. */
  backends: BackendPool;
  /** Per-session spend and budgets the pool counts against. */
  budgets: SessionBudgets;
}

const EXTRA_PATHS_KEY = "library.extraPaths";
const DEMO_PREFIX = "conclave-demo-";

/** Opens the store and the engine and returns the services; `dispose()` closes both. */
export async function composeServices(options: ComposeOptions): Promise<ConclaveServices> {
  await mkdir(options.exportDir, { recursive: true });
  const store = openStore(options.dbPath);
  const savedDir = store.getSetting("modelsDir");
  let modelsDir = typeof savedDir === "string" ? savedDir : options.modelsDir;
  await mkdir(modelsDir, { recursive: true });
  const savedBudget = store.getSetting("memoryBudgetBytes");
  const budget = typeof savedBudget === "number" ? savedBudget : options.budgetBytes;

  const slots = new SlotRegistry({
    resolver: libraryResolver({ modelsDir }),
    eviction: "evict-lru",
    ...(options.launcher ? { launcher: options.launcher } : {}),
    ...(options.stateDir ? { stateDir: options.stateDir } : {}),
    ...(budget ? { budgetBytes: budget } : {}),
  });

  const library = libraryService(store, () => modelsDir);
  const budgets = new SessionBudgets(store);
  const backends = await openHostBackends({
    store,
    registry: slots,
    secrets: options.secrets ?? headlessSecrets(options.keysFile ?? join(dirname(resolve(options.dbPath)), "keys.json")),
    budgets,
    log: options.log ?? ((line) => process.stderr.write(`conclave: ${line}\n`)),
  });
  const sessions = options.sessions?.({ slots, store, backends: backends.pool, budgets }) ?? storeOnlySessions(store);

  return {
    slots: slots as SlotsService,
    library,
    sessions,
    backends: backends.pool,
    backendAdmin: backends.admin,
    arena: arenaService(store),
    exportDir: options.exportDir,
    export: {
      async run(job, path) {
        const result = await exportSession(store, job.sessionId, {
          format: job.format,
          out: path,
          ...(job.filters.roles ? { roles: job.filters.roles } : {}),
          ...(job.filters.types ? { types: job.filters.types } : {}),
          ...(job.filters.minRating !== undefined ? { minRating: job.filters.minRating } : {}),
        });
        return { bytes: result.bytes, records: result.records, validation: result.validation, sidecar: result.sidecar, datasetInfo: result.datasetInfo, notes: result.notes };
      },
    },
    settings: {
      async get(): Promise<Settings> {
        const b = store.getSetting("memoryBudgetBytes");
        return { modelsDir, memoryBudgetBytes: typeof b === "number" ? b : null, dbPath: store.file };
      },
      async set(patch) {
        if (patch.modelsDir !== undefined) {
          modelsDir = resolve(patch.modelsDir);
          await mkdir(modelsDir, { recursive: true });
          store.setSetting("modelsDir", modelsDir);
        }
        if (patch.memoryBudgetBytes !== undefined) {
          store.setSetting("memoryBudgetBytes", patch.memoryBudgetBytes);
          if (patch.memoryBudgetBytes) slots.budget = { bytes: patch.memoryBudgetBytes, rule: "set in Settings" };
        }
        const b = store.getSetting("memoryBudgetBytes");
        return { modelsDir, memoryBudgetBytes: typeof b === "number" ? b : null, dbPath: store.file };
      },
    },
    async dispose() {
      await slots.dispose();
      store.close();
    },
  };
}

function libraryService(store: SessionStore, modelsDir: () => string): LibraryService {
  const listeners = new Set<(e: AppEvent) => void>();
  const emit = (e: AppEvent): void => {
    for (const l of listeners) l(e);
  };
  const downloads = new Map<string, { info: DownloadInfo; abort: AbortController }>();
  const extraPaths = (): string[] => {
    const v = store.getSetting(EXTRA_PATHS_KEY);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  };
  const toModel = (path: string, identity: LibraryModel["identity"], error: string | null): LibraryModel => ({
    ref: path,
    identity,
    error,
    demo: path.split(/[\\/]/).pop()?.startsWith(DEMO_PREFIX) ?? false,
  });
  const inspect = async (path: string): Promise<LibraryModel> => {
    try {
      return toModel(path, await inspectGguf(path), null);
    } catch (e) {
      return toModel(path, null, e instanceof Error ? e.message : String(e));
    }
  };

  return {
    async list() {
      const scanned = await scanModelsDir(modelsDir()).catch(() => []);
      const models = scanned.map((e) => (e.ok ? toModel(e.path, e.identity, null) : toModel(e.path, null, e.error.message)));
      const seen = new Set(models.map((m) => m.ref));
      for (const p of extraPaths()) {
        const files = (await stat(p).catch(() => null))?.isDirectory() ? await listGgufFiles(p) : [p];
        for (const f of files) {
          if (seen.has(f)) continue;
          seen.add(f);
          models.push(await inspect(f));
        }
      }
      const catalog = await loadCatalog().then((c) => c.models).catch(() => []);
      return { modelsDir: modelsDir(), models, catalog, downloads: [...downloads.values()].map((d) => d.info) };
    },
    async addPath(path) {
      const full = resolve(path);
      const s = await stat(full).catch(() => null);
      if (!s) throw new Error(`No file or folder at ${full}`);
      const files = s.isDirectory() ? await listGgufFiles(full) : [full];
      if (files.length === 0) throw new Error(`No .gguf files in ${full}`);
      const added = await Promise.all(files.map(inspect));
      store.setSetting(EXTRA_PATHS_KEY, [...new Set([...extraPaths(), full])]);
      emit({ type: "library" });
      return added;
    },
    async download(uri) {
      const id = randomUUID();
      const abort = new AbortController();
      const info: DownloadInfo = { id, uri, state: "downloading", receivedBytes: 0, totalBytes: null, path: null, error: null };
      downloads.set(id, { info, abort });
      const update = (patch: Partial<DownloadInfo>): void => {
        Object.assign(info, patch);
        emit({ type: "download", download: { ...info } });
      };
      void resolveModelRef(uri, {
        modelsDir: modelsDir(),
        signal: abort.signal,
        onProgress: (p) => update({ receivedBytes: p.downloadedBytes, totalBytes: p.totalBytes || null }),
      }).then(
        (path) => (update({ state: "done", path }), emit({ type: "library" })),
        (e: unknown) => update({ state: abort.signal.aborted ? "cancelled" : "error", error: e instanceof Error ? e.message : String(e) }),
      );
      return { ...info };
    },
    async cancelDownload(downloadId) {
      const d = downloads.get(downloadId);
      if (!d) throw new Error(`no download ${downloadId}`);
      d.abort.abort();
    },
    async createDemoModel() {
      const path = join(modelsDir(), `${DEMO_PREFIX}${Date.now().toString(36)}.gguf`);
      // The "small" shape: big enough to show real load/swap timings, small enough to write in a second.
      await writeLlamaGguf(path, { ...PRESETS.small, name: "Conclave demo (random weights)" });
      emit({ type: "library" });
      return inspect(path);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Sessions read from the store; creating one needs the committee runner. */
function storeOnlySessions(store: SessionStore): SessionsService {
  return {
    list: async () => store.listSessions(),
    async create() {
      throw new Error("No committee runner is wired into this host yet (composeServices({ sessions })).");
    },
    async get(id) {
      const s = store.getSession(id);
      if (!s) throw new Error(`no session ${id}`);
      return s;
    },
    async messages(id, offset, limit) {
      const page = store.listMessages(id, { afterSeq: offset, limit });
      const total = store.getSession(id)?.messageCount ?? page.messages.length;
      return { messages: page.messages, total };
    },
    swaps: async (id) => store.listSwaps(id),
    async control() {
      throw new Error("No committee runner is wired into this host yet.");
    },
    onEvent: (_l: (e: AppEvent) => void) => () => undefined,
  };
}

