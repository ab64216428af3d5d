/**
 * The active session's family: the session it was forked from or replays, its own forks and
 * replays, and (for a replay) the divergence report. Reloaded when the active session, its parent or
 * one of its children changes.
 */
import { create } from "zustand";
import type { SessionInfo } from "../../../shared/conversation.js";
import type { SessionLineage } from "../../../shared/lineage.js";
import { rpc } from "../transport/rpcClient";

interface LineageStore {
  sessionId: string | null;
  lineage: SessionLineage | null;
  load(sessionId: string | null): Promise<void>;
  /** A session changed somewhere: reload when it belongs to the active session's family. */
  sessionChanged(session: SessionInfo): void;
}

export const useLineage = create<LineageStore>()((set, get) => ({
  sessionId: null,
  lineage: null,
  async load(sessionId) {
    if (sessionId !== get().sessionId) set({ sessionId, lineage: null });
    if (!sessionId) return;
    const lineage = await rpc().call("sessions.lineage", { sessionId });
    if (get().sessionId === sessionId) set({ lineage });
  },
  sessionChanged(session) {
    const { sessionId, lineage } = get();
    if (!sessionId) return;
    const related =
      session.id === sessionId ||
      session.origin?.sessionId === sessionId ||
      lineage?.parent?.id === session.id ||
      lineage?.children.some((c) => c.id === session.id) === true;
    if (related) void get().load(sessionId).catch(() => undefined);
  },
}));
