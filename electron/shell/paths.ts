/**
 * Where the desktop app keeps its data: everything under Electron's per-user app-data folder, so
 * an uninstall or a second user starts clean and nothing is written next to the app bundle.
 */
import { app } from "electron";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export interface AppPaths {
  /** `~/Library/Application Support/Conclave` on macOS. */
  dataDir: string;
  dbPath: string;
  modelsDir: string;
  exportDir: string;
  /** Root of the saved KV states (swap-back, rotation); each engine process takes a folder inside. */
  stateRoot: string;
}

/**
 * Resolves (and creates) the app-data layout; call after `app.whenReady()`. `CONCLAVE_DATA_DIR`
 * puts it elsewhere (the Electron e2e runs on a throwaway folder, never on the user's data).
 */
export function appPaths(): AppPaths {
  const dataDir = process.env.CONCLAVE_DATA_DIR || app.getPath("userData");
  const paths = {
    dataDir,
    dbPath: join(dataDir, "conclave.db"),
    modelsDir: join(dataDir, "models"),
    exportDir: join(dataDir, "exports"),
    stateRoot: join(dataDir, "state"),
  };
  for (const dir of [paths.modelsDir, paths.exportDir, paths.stateRoot]) mkdirSync(dir, { recursive: true });
  return paths;
}
