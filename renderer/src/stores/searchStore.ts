/**
 * Searching past sessions from the sessions panel: the query as typed, the ranked hits of the
 * latest search (replies to older keystrokes are dropped), and opening a hit in the timeline.
 */
import { create } from "zustand";
import type { SearchHit, SearchResult } from "../../../shared/search.js";
import { rpc } from "../transport/rpcClient";
import { useSessions } from "./sessionsStore";
import { useTimeline } from "./timelineStore";

/** Typing pauses this long before a search is sent. */
const DEBOUNCE_MS = 200;

interface SearchStore {
  query: string;
  result: SearchResult | null;
  searching: boolean;
  error: string | null;
  /** The hit opened last, so the list can mark it. */
  openedKey: string | null;
  setQuery(query: string): void;
  clear(): void;
  open(hit: SearchHit): Promise<void>;
}

/** A stable key for a hit (a session's task hit has no message). */
export function hitKey(hit: SearchHit): string {
  return hit.messageId ?? `task:${hit.sessionId}`;
}

let timer: ReturnType<typeof setTimeout> | null = null;
let latest = 0;

export const useSearch = create<SearchStore>()((set) => ({
  query: "",
  result: null,
  searching: false,
  error: null,
  openedKey: null,
  setQuery(query) {
    set({ query });
    if (timer) clearTimeout(timer);
    const ticket = ++latest;
    if (!query.trim()) {
      set({ result: null, searching: false, error: null });
      return;
    }
    set({ searching: true });
    timer = setTimeout(() => {
      rpc()
        .call("search.sessions", { query, limit: 30 })
        .then((result) => {
          if (ticket === latest) set({ result, searching: false, error: null });
        })
        .catch((error: unknown) => {
          if (ticket === latest) set({ result: null, searching: false, error: error instanceof Error ? error.message : String(error) });
        });
    }, DEBOUNCE_MS);
  },
  clear() {
    if (timer) clearTimeout(timer);
    latest++;
    set({ query: "", result: null, searching: false, error: null, openedKey: null });
  },
  async open(hit) {
    set({ openedKey: hitKey(hit) });
    await useSessions.getState().select(hit.sessionId);
    if (hit.messageId) useTimeline.getState().jumpTo(hit.messageId);
  },
}));
