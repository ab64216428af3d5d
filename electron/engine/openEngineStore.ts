/**
 * The store-only front door: the engine's services that need no model process, over one database
 * file, for the CLI commands that only read or rate what is stored (`sessions`, `export`, `search`,
 * `leaderboard`, `rate`). The services are the same objects `createEngine()` offers.
 */
import { resolve } from "node:path";
import type { EngineStore } from "./Engine.js";
import { arenaService } from "./evaluation/arena/arenaService.js";
import { exportService } from "./data/export/exportService.js";
import { searchService } from "./data/search/searchService.js";
import { sessionReads } from "./conversation/session/sessionReads.js";
import { openStore } from "./data/store/sessionStore.js";

/** Opens (creating and migrating when needed) the database at `dbPath`; `close()` closes it. */
export function openEngineStore(dbPath: string): EngineStore {
  const store = openStore(resolve(dbPath));
  return {
    file: store.file,
    sessions: sessionReads(store),
    search: searchService(store),
    export: exportService(store),
    arena: arenaService(store),
    close: () => store.close(),
  };
}
