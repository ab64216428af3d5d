/**
 * Ratings of the active session's messages (1–5 stars; the host stores them as 0..1). The latest
 * rating of a message is the one shown.
 */
import { create } from "zustand";
import type { MessageRating } from "../../../shared/ratings.js";
import { rpc } from "../transport/rpcClient";

interface RatingsStore {
  sessionId: string | null;
  byMessage: Record<string, MessageRating>;
  error: string | null;
  load(sessionId: string | null): Promise<void>;
  rate(messageId: string, stars: number, note?: string): Promise<void>;
}

export const useRatings = create<RatingsStore>()((set, get) => ({
  sessionId: null,
  byMessage: {},
  error: null,
  async load(sessionId) {
    set({ sessionId, byMessage: {}, error: null });
    if (!sessionId) return;
    try {
      const ratings = await rpc().call("messages.ratings", { sessionId });
      if (get().sessionId !== sessionId) return;
      set({ byMessage: Object.fromEntries(ratings.filter((r) => r.source === "user").map((r) => [r.messageId, r])) });
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error) });
    }
  },
  async rate(messageId, stars, note) {
    try {
      const rating = await rpc().call("messages.rate", { messageId, stars, ...(note ? { note } : {}) });
      set((s) => ({ byMessage: { ...s.byMessage, [messageId]: rating }, error: null }));
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error) });
    }
  },
}));
