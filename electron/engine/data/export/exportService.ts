/**
 * The engine's `export` service: a stored session written as training data, to a path the CLI
 * chose or under the export folder the loopback host serves downloads from. Both take the one
 * request shape every front end shares (shared/conversation.ts's ExportSelection).
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { ExportFolderService, ExportService } from "../../Engine.js";
import type { SessionStore } from "../store/sessionStore.js";
import { exportSession } from "./exportSession.js";

/** Export of `store`'s sessions to any path the caller names. */
export function exportService(store: SessionStore): ExportService {
  return {
    run: ({ sessionId, ...selection }, absolutePath) => exportSession(store, sessionId, { ...selection, out: absolutePath }),
  };
}

/** A plain file name in one folder: no separators, no `.`/`..`, no NUL. */
function plainName(name: string): boolean {
  return name.length > 0 && name !== "." && name !== ".." && !/[\\/\0]/.test(name);
}

/** {@link exportService} plus writing into, and finding files in, `exportDir`. */
export function exportFolderService(store: SessionStore, exportDir: string): ExportFolderService {
  const base = exportService(store);
  return {
    ...base,
    async save({ fileName, ...request }) {
      // The request names a file, never a path: the contract allows only a plain name, checked again here.
      if (!plainName(fileName)) throw new Error(`fileName: '${fileName}' is not a plain file name`);
      const path = join(exportDir, fileName);
      const r = await base.run(request, path);
      return { path, bytes: r.bytes, records: r.records, validation: r.validation, sidecar: r.sidecar, datasetInfo: r.datasetInfo, notes: r.notes, thoughts: r.thoughts };
    },
    async find(name) {
      if (!plainName(name)) return null;
      const path = join(exportDir, name);
      const info = await stat(path).catch(() => null);
      return info?.isFile() ? path : null;
    },
  };
}
