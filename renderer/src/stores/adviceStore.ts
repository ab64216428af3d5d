/**
 * Member contribution and pruning advice for the session on screen or its series: asked for on
 * demand (leave-one-out re-runs sessions, so it is never automatic), the latest answer kept.
 */
import { create } from "zustand";
import type { Advice } from "../../../shared/advice.js";
import { rpc } from "../transport/rpcClient";

interface AdviceStore {
  advice: Advice | null;
  error: string | null;
  busy: boolean;
  /** The target of the advice on screen (a session id or a series id). */
  target: string | null;
  advise(target: string, leaveOneOut: number): Promise<void>;
  clear(): void;
}

export const useAdvice = create<AdviceStore>()((set, get) => ({
  advice: null,
  error: null,
  busy: false,
  target: null,
  async advise(target, leaveOneOut) {
    set({ target, busy: true, error: null, advice: null });
    try {
      const advice = await rpc().call("advice.get", { target, leaveOneOut });
      if (get().target === target) set({ advice, busy: false });
    } catch (e) {
      if (get().target === target) set({ error: e instanceof Error ? e.message : String(e), busy: false });
    }
  },
  clear() {
    set({ advice: null, error: null, busy: false, target: null });
  },
}));
