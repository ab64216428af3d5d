/** The engine's `search` service: full-text search over the store's sessions (sessionSearch.ts). */
import type { SearchService } from "../../Engine.js";
import type { SessionStore } from "../store/sessionStore.js";
import { sessionSearch } from "./sessionSearch.js";

export function searchService(store: SessionStore): SearchService {
  return { sessions: (query) => sessionSearch(store).search(query) };
}
