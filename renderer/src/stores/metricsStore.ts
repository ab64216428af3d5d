/**
 * The "Metrics" view's series for the active session (`sessions.metrics`). Refreshed when the view
 * opens and, while it is open, at most once a second as messages, swaps and memory samples arrive,
 * so the charts follow a running session without re-reading the store for every token.
 */
import { create } from "zustand";
import type { SessionMetrics } from "../../../shared/metrics.js";
import { rpc } from "../transport/rpcClient";

const MIN_INTERVAL_MS = 1000;

interface MetricsStore {
  sessionId: string | null;
  data: SessionMetrics | null;
  error: string | null;
  /** Whether the view is on screen: refreshes are skipped while nobody looks. */
  watching: boolean;
  watch(sessionId: string | null): void;
  unwatch(): void;
  /** Asks for a refresh of `sessionId` if it is the one watched (coalesced, at most once a second). */
  poke(sessionId: string): void;
}

let timer: ReturnType<typeof setTimeout> | null = null;
let lastAt = 0;

export const useMetrics = create<MetricsStore>()((set, get) => {
  const load = async (): Promise<void> => {
    const id = get().sessionId;
    if (!id) return;
    lastAt = Date.now();
    try {
      const data = await rpc().call("sessions.metrics", { sessionId: id });
      if (get().sessionId === id) set({ data, error: null });
    } catch (e) {
      if (get().sessionId === id) set({ error: e instanceof Error ? e.message : String(e) });
    }
  };
  return {
    sessionId: null,
    data: null,
    error: null,
    watching: false,
    watch(sessionId) {
      const same = get().sessionId === sessionId;
      set({ sessionId, watching: true, ...(same ? {} : { data: null, error: null }) });
      void load();
    },
    unwatch() {
      set({ watching: false });
    },
    poke(sessionId) {
      const s = get();
      if (!s.watching || s.sessionId !== sessionId || timer) return;
      timer = setTimeout(() => {
        timer = null;
        void load();
      }, Math.max(0, lastAt + MIN_INTERVAL_MS - Date.now()));
    },
  };
});
