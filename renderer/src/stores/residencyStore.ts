/**
 * The residency plan of the session on screen while it runs: which seats co-reside, which loads are
 * predicted before which turn and what they cost. Re-read when seats change, at most once a second.
 */
import { create } from "zustand";
import type { ResidencyPlan } from "../../../shared/residency.js";
import { rpc } from "../transport/rpcClient";

interface ResidencyStore {
  sessionId: string | null;
  plan: ResidencyPlan | null;
  error: string | null;
  /** Follows `sessionId` (null: no running session on screen). */
  follow(sessionId: string | null): void;
  /** Asks for a fresh plan soon (seats changed). */
  touch(): void;
}

let timer: ReturnType<typeof setTimeout> | null = null;

export const useResidency = create<ResidencyStore>()((set, get) => {
  const load = async (): Promise<void> => {
    const id = get().sessionId;
    if (!id) return;
    try {
      const plan = await rpc().call("sessions.plan", { sessionId: id });
      if (get().sessionId === id) set({ plan, error: null });
    } catch (e) {
      if (get().sessionId === id) set({ error: e instanceof Error ? e.message : String(e) });
    }
  };
  return {
    sessionId: null,
    plan: null,
    error: null,
    follow(sessionId) {
      if (sessionId === get().sessionId) return;
      set({ sessionId, plan: null, error: null });
      void load();
    },
    touch() {
      if (!get().sessionId) return;
      timer ??= setTimeout(() => {
        timer = null;
        void load();
      }, 1000);
    },
  };
});
