/**
 * The code report of the session on screen (RPC `sessions.code`): its attachments, the artifacts of
 * its messages and its command checks. Reloaded when the session changes or grows.
 */
import { create } from "zustand";
import type { SessionCodeReport } from "../../../shared/sessionCode.js";
import { rpc } from "../transport/rpcClient";

interface CodeStore {
  sessionId: string | null;
  report: SessionCodeReport | null;
  load(sessionId: string | null): Promise<void>;
}

export const useCode = create<CodeStore>()((set, get) => ({
  sessionId: null,
  report: null,
  async load(sessionId) {
    if (get().sessionId !== sessionId) set({ sessionId, report: null });
    if (!sessionId) return;
    try {
      const report = await rpc().call("sessions.code", { sessionId });
      if (get().sessionId === sessionId) set({ report });
    } catch {
      // A session being deleted shows no files.
    }
  },
}));
