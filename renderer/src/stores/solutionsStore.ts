/**
 * What the solution library did for the session on screen: its path and the past results it
 * offered (with their provenance), by the `retrieved` message that carried each one.
 */
import { create } from "zustand";
import type { LibraryUse, RetrievedItem } from "../../../shared/solutionLibrary.js";
import { rpc } from "../transport/rpcClient";

interface SolutionsStore {
  sessionId: string | null;
  use: LibraryUse | null;
  /** Offered items by the id of their `retrieved` message. */
  byMessage: Record<string, RetrievedItem>;
  load(sessionId: string | null): Promise<void>;
}

export const useSolutions = create<SolutionsStore>()((set, get) => ({
  sessionId: null,
  use: null,
  byMessage: {},
  async load(sessionId) {
    set({ sessionId, use: null, byMessage: {} });
    if (!sessionId) return;
    try {
      const use = await rpc().call("solutions.use", { sessionId });
      if (get().sessionId !== sessionId) return;
      set({ use, byMessage: Object.fromEntries((use?.items ?? []).flatMap((i) => (i.messageId ? [[i.messageId, i]] : []))) });
    } catch {
      // A session without a record (or one being deleted) simply shows its messages without links.
    }
  },
}));
