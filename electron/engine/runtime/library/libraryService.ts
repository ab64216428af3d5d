/**
 * The model library as the app sees it: GGUF files in the models folder and in folders the user
 * added, each inspected (or its error shown), the catalog of recommended models, `hf:` downloads
 * with progress and cancel, and a small random-weight demo model for trying the mechanics offline.
 */
import { randomUUID } from "node:crypto";
import { Emitter } from "../../../../shared/emitter.js";
import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { AppEvent, DownloadInfo, LibraryModel } from "../../../../shared/rpc.js";
import type { LibraryService } from "../../Engine.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import { loadCatalog } from "./catalog.js";
import { inspectGguf } from "./inspectGguf.js";
import { resolveModelRef } from "./resolveModelRef.js";
import { listGgufFiles, scanModelsDir } from "./scanModelsDir.js";
import { writeLlamaGguf } from "../../../../models/gguf/llamaGguf.js";
import { PRESETS } from "../../../../models/gguf/presets.js";

const EXTRA_PATHS_KEY = "library.extraPaths";
/** Files taken off the list that a scan of their folder would otherwise list again. */
const HIDDEN_KEY = "library.hidden";
const DEMO_PREFIX = "conclave-demo-";

/** The library over the store's settings (extra folders) and the current models folder. */
export function libraryService(store: SessionStore, modelsDir: () => string): LibraryService {
  const events = new Emitter<AppEvent>();
  const emit = (e: AppEvent): void => events.emit(e);
  const downloads = new Map<string, { info: DownloadInfo; abort: AbortController }>();
  const extraPaths = (): string[] => {
    const v = store.getSetting(EXTRA_PATHS_KEY);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  };
  const hidden = (): Set<string> => {
    const v = store.getSetting(HIDDEN_KEY);
    return new Set(Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
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

  const service: LibraryService = {
    async list() {
      const scanned = await scanModelsDir(modelsDir()).catch(() => []);
      const models = scanned.map((e) => (e.ok ? toModel(e.path, e.identity, null) : toModel(e.path, null, e.error.message)));
      const seen = hidden();
      models.splice(0, models.length, ...models.filter((m) => !seen.has(m.ref)));
      for (const m of models) seen.add(m.ref);
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
      const unhidden = hidden();
      if (files.some((f) => unhidden.delete(f))) store.setSetting(HIDDEN_KEY, [...unhidden]);
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
    async remove(ref) {
      const listed = (await service.list()).models.some((m) => m.ref === ref);
      if (!listed) throw new Error(`no model ${ref} in the library`);
      // A file added on its own leaves the extra paths; one found in a folder is hidden from it.
      const extras = extraPaths();
      if (extras.includes(ref)) store.setSetting(EXTRA_PATHS_KEY, extras.filter((p) => p !== ref));
      else store.setSetting(HIDDEN_KEY, [...hidden(), ref]);
      emit({ type: "library" });
    },
    onEvent(listener) {
      return events.on(listener);
    },
  };
  return service;
}
