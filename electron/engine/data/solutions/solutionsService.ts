/** The solution library as the front ends read it: what it did for one session (the timeline's retrieved messages link to their sources through it). */
import type { LibraryUse } from "../../../../shared/solutionLibrary.js";
import type { SessionStore } from "../store/sessionStore.js";

export interface SolutionsService {
  /** The session's retrieval — path, offered past results with provenance, hit rate, time saved — or null when it did not use the library. */
  use(sessionId: string): Promise<LibraryUse | null>;
}

export function solutionsService(store: SessionStore): SolutionsService {
  return {
    async use(sessionId) {
      if (!store.getSession(sessionId)) throw new Error(`no session ${sessionId}`);
      return store.libraryUses.get(sessionId);
    },
  };
}
