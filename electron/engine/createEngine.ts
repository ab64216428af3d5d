/**
 * The one front door: composes the engine — the SQLite store, the seat registry over supervised
 * model processes, the model library, the backend pool with its keys and budgets, the session
 * manager, compare runs and export — once, the same way for `conclave serve`, the Electron shell and
 * `conclave run`, so an experiment behaves the same everywhere.
 *
 * Memory budget, most specific first: the `budgetBytes` option (`--memory-budget`), the
 * `CONCLAVE_MEMORY_BUDGET` environment variable, the budget saved in Settings, then the default
 * rule (a share of RAM, see runtime/slots/memoryBudget.ts). Eviction and keep-warm likewise: option, saved
 * setting, default (`evict-lru`, 10 s).
 */
import { mkdir } from "node:fs/promises";
import { Emitter } from "../../shared/emitter.js";
import { dirname, join, resolve } from "node:path";
import type { RpcEvent, Settings } from "../../shared/rpc.js";
import type { Engine, SlotsService } from "./Engine.js";
import { exportFolderService } from "./data/export/exportService.js";
import { recordEngineParts } from "./engineParts.js";
import { modelsService } from "./runtime/serving/modelsService.js";
import { searchService } from "./data/search/searchService.js";
import { libraryService } from "./runtime/library/libraryService.js";
import { engineResolver } from "./runtime/library/engineResolver.js";
import { SlotRegistry } from "./runtime/slots/SlotRegistry.js";
import { BatchedServing, DEFAULT_SERVING_PARALLEL } from "./runtime/serving/BatchedServing.js";
import { defaultBudget, type Budget } from "./runtime/slots/memoryBudget.js";
import type { EvictionPolicy } from "./runtime/slots/budgetAdmission.js";
import { openStore } from "./data/store/sessionStore.js";
import type { ProcessLauncher } from "./runtime/worker/processLauncher.js";
import { SessionBudgets } from "./runtime/budget/SessionBudget.js";
import { headlessSecrets, type SecretStore } from "./backends/secrets/SecretStore.js";
import { openHostBackends } from "./backends/backendAdmin.js";
import { learnedFromStore } from "./backends/routing/learnedFromStore.js";
import { SessionManager } from "./conversation/session/SessionManager.js";
import { CompareRunner } from "./conversation/compare/CompareRunner.js";
import { predictSwap } from "./runtime/residency/swapPredictor.js";
import { arenaService } from "./evaluation/arena/arenaService.js";
import { MemorySampler } from "./runtime/metrics/memorySampler.js";
import { sessionMetrics } from "./runtime/metrics/sessionMetrics.js";
import { evaluationService } from "./evaluation/evaluationService.js";
import { presetService } from "./evaluation/presets/presetService.js";
import { adviceService } from "./evaluation/advice/adviceService.js";
import { solutionsService } from "./data/solutions/solutionsService.js";
import { codeReport } from "./conversation/session/codeReport.js";
import { describeSandbox, sandboxAvailability } from "./runtime/sandbox/sandboxAvailability.js";

export interface EngineOptions {
  dbPath: string;
  modelsDir: string;
  exportDir: string;
  /** Root folder for saved KV states (each engine process takes a folder inside). */
  stateRoot?: string;
  /** `utilityProcess` under Electron; Node child processes headless (the default). */
  launcher?: ProcessLauncher;
  /** The memory budget in bytes; overrides the environment and Settings. */
  budgetBytes?: number;
  eviction?: EvictionPolicy;
  /** How long a finished session's seats stay loaded (ms). */
  keepWarmMs?: number;
  /** Threads the model processes share (default: the engine's thread policy). */
  threads?: number;
  /** Context size of a seat whose role names none. */
  defaultContextSize?: number;
  /**
   * Sequences of each model the compatible API serves (concurrent requests batched in one context);
   * default `CONCLAVE_PARALLEL`, else {@link DEFAULT_SERVING_PARALLEL}.
   */
  servingParallel?: number;
  /** Where backend API keys live; default: `CONCLAVE_<NAME>_API_KEY`, then {@link EngineOptions.keysFile}. */
  secrets?: SecretStore;
  /** The headless keys file (0600); default `keys.json` beside the database. Unused when `secrets` is given. */
  keysFile?: string;
  /** Folder relative model paths of an experiment resolve against (default: the working directory). */
  baseDir?: string;
  /** Backend failures and fallbacks, already redacted; default: stderr. */
  log?: (line: string) => void;
  /** Command checks may run unsandboxed where no sandbox exists (`--allow-unsandboxed`); overrides the setting. */
  allowUnsandboxed?: boolean;
}

const DEFAULT_KEEP_WARM_MS = 10_000;

/** `CONCLAVE_PARALLEL` when it is a whole number from 1 to 64; otherwise the default. */
function servingParallelFromEnv(): number {
  const n = Number(process.env.CONCLAVE_PARALLEL);
  return Number.isInteger(n) && n >= 1 && n <= 64 ? n : DEFAULT_SERVING_PARALLEL;
}

/** Opens the store and the engine; `dispose()` interrupts running sessions and closes both. */
export async function createEngine(options: EngineOptions): Promise<Engine> {
  await mkdir(options.exportDir, { recursive: true });
  await mkdir(dirname(resolve(options.dbPath)), { recursive: true });
  const store = openStore(options.dbPath);
  const savedDir = store.getSetting("modelsDir");
  let modelsDir = typeof savedDir === "string" ? savedDir : options.modelsDir;
  await mkdir(modelsDir, { recursive: true });

  const budgetRule = (): Budget => {
    if (options.budgetBytes) return { bytes: options.budgetBytes, rule: "set by --memory-budget" };
    const saved = store.getSetting("memoryBudgetBytes");
    if (!process.env.CONCLAVE_MEMORY_BUDGET && typeof saved === "number" && saved > 0) return { bytes: saved, rule: "set in Settings" };
    return defaultBudget();
  };
  const savedEviction = store.getSetting("eviction");
  const eviction: EvictionPolicy = options.eviction ?? (savedEviction === "refuse" || savedEviction === "evict-lru" ? savedEviction : "evict-lru");
  const allowUnsandboxed = (): boolean => options.allowUnsandboxed ?? store.getSetting("allowUnsandboxed") === true;
  const keepWarmMs = (): number => {
    if (options.keepWarmMs !== undefined) return options.keepWarmMs;
    const saved = store.getSetting("keepWarmMs");
    return typeof saved === "number" && saved >= 0 ? saved : DEFAULT_KEEP_WARM_MS;
  };

  const registry = new SlotRegistry({
    resolver: engineResolver({ modelsDir }),
    eviction,
    ...(options.launcher ? { launcher: options.launcher } : {}),
    ...(options.stateRoot ? { stateRoot: options.stateRoot } : {}),
    ...(options.threads ? { threads: options.threads } : {}),
    ...(options.defaultContextSize ? { defaultContextSize: options.defaultContextSize } : {}),
  });
  registry.budget = budgetRule();
  const serving = new BatchedServing(registry, options.servingParallel ?? servingParallelFromEnv());

  const library = libraryService(store, () => modelsDir);
  const budgets = new SessionBudgets(store);
  const backends = await openHostBackends({
    store,
    registry,
    secrets: options.secrets ?? headlessSecrets(options.keysFile ?? join(dirname(resolve(options.dbPath)), "keys.json")),
    budgets,
    learned: learnedFromStore(store),
    log: options.log ?? ((line) => process.stderr.write(`conclave: ${line}\n`)),
  });
  // Presets expand against this machine: resident seats, model sizes, enabled backends, the residency preview.
  const presets = presetService({ registry, backends: () => backends.admin.list(), preview: (e) => sessions.preview(e) });
  const sessions: SessionManager = new SessionManager({
    registry,
    store,
    generator: backends.pool,
    budgets,
    keepWarmMs,
    backends: backends.sessions,
    prepare: (e) => presets.prepare(e),
    allowUnsandboxed,
    ...(options.defaultContextSize ? { defaultContextSize: options.defaultContextSize } : {}),
    ...(options.baseDir ? { baseDir: options.baseDir } : {}),
  });
  sessions.recoverInterrupted();

  // One broken connection must not starve the others of events.
  const events = new Emitter<RpcEvent>();
  const emit = (e: RpcEvent): void => events.emit(e);
  // Memory over time is sampled for every session while it runs, for the Metrics view.
  const sampler = new MemorySampler({ source: registry, recorder: store });
  const followSampling = sessions.onEvent((e) => {
    if (e.type !== "session") return;
    if (e.session.status === "running") sampler.track(e.session.id);
    // A session waiting for the researcher keeps its seats, so its memory is still sampled.
    else if (e.session.status !== "paused" && e.session.status !== "waiting") void sampler.untrack(e.session.id);
  });
  const offs = [registry.onEvent(emit), library.onEvent(emit), sessions.onEvent(emit), followSampling];
  const arena = arenaService(store);
  const evaluations = evaluationService({ store, registry, generator: backends.pool, sessions, emit, exportDir: options.exportDir, prepare: async (e) => (e.preset ? (await presets.expand(e)).experiment : e), allowUnsandboxed, ...(options.baseDir ? { baseDir: options.baseDir } : {}) });
  const compare = new CompareRunner(sessions, store, { onEvent: (l) => events.on(l) }, emit, arena.recordCompareVote);

  const slots: SlotsService = {
    list: (sessionId) => registry.list(sessionId),
    assign: (seat, modelRef, opts) => registry.assign(seat, modelRef, opts),
    load: (seat, modelRef, opts) => registry.load(seat, modelRef, opts),
    unload: (seat) => registry.unload(seat),
    pin: (seat, pinned) => registry.setPinned(seat, pinned),
    predict: (seat, modelRef, contextSize) => predictSwap(registry, seat, modelRef, contextSize),
    estimate: (modelRef, contextSize) => registry.memoryEstimate(modelRef, contextSize),
    memory: () => registry.memory(),
    getHistory: (seat) => registry.getHistory(seat),
    setHistory: (seat, turns) => registry.setHistory(seat, turns),
    generate: (seat, request) => registry.generate(seat, request),
    abort: (id) => registry.abort(id),
  };

  const currentSettings = (): Settings => {
    const b = store.getSetting("memoryBudgetBytes");
    return {
      modelsDir,
      memoryBudgetBytes: typeof b === "number" ? b : null,
      eviction: registry.eviction,
      keepWarmMs: keepWarmMs(),
      routingPolicy: backends.pool.policy,
      allowUnsandboxed: allowUnsandboxed(),
      sandbox: describeSandbox(sandboxAvailability()),
      dbPath: store.file,
    };
  };

  let disposed: Promise<void> | undefined;
  const engine: Engine = {
    slots,
    library,
    sessions,
    metrics: { session: async (sessionId) => sessionMetrics(store, sessionId) },
    compare,
    models: modelsService({ slots, library, registry, serving, pool: backends.pool }),
    search: searchService(store),
    backends: { ...backends.admin, configs: () => backends.pool.configs() },
    arena,
    evaluations,
    presets,
    advice: adviceService(store, sessions),
    solutions: solutionsService(store),
    code: { session: async (sessionId) => codeReport(store, sessionId) },
    export: exportFolderService(store, options.exportDir),
    settings: {
      async get() {
        return currentSettings();
      },
      async set(patch) {
        if (patch.modelsDir !== undefined) {
          modelsDir = resolve(patch.modelsDir);
          await mkdir(modelsDir, { recursive: true });
          store.setSetting("modelsDir", modelsDir);
        }
        if (patch.memoryBudgetBytes !== undefined) {
          // null clears the saved budget: the environment or the default rule applies again.
          store.setSetting("memoryBudgetBytes", patch.memoryBudgetBytes);
          registry.budget = budgetRule();
        }
        if (patch.eviction !== undefined) {
          store.setSetting("eviction", patch.eviction);
          registry.eviction = options.eviction ?? patch.eviction;
        }
        if (patch.keepWarmMs !== undefined) store.setSetting("keepWarmMs", patch.keepWarmMs);
        if (patch.routingPolicy !== undefined) backends.setPolicy(patch.routingPolicy);
        if (patch.allowUnsandboxed !== undefined) store.setSetting("allowUnsandboxed", patch.allowUnsandboxed);
        return currentSettings();
      },
    },
    onEvent(listener) {
      return events.on(listener);
    },
    dispose() {
      // Once: a CLI command closes the engine on a stop signal and again when it returns.
      disposed ??= (async () => {
        compare.dispose();
        for (const off of offs) off();
        // Evaluations stop as interrupted once the session they wait on is interrupted.
        const evaluationsStopped = evaluations.close();
        await sessions.close();
        await evaluationsStopped;
        await sampler.dispose();
        await registry.dispose();
        store.close();
      })();
      return disposed;
    },
  };
  recordEngineParts(engine, { registry, store, pool: backends.pool, serving });
  return engine;
}
