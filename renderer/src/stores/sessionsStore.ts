/** The sessions list and which session the timeline and graph show. */
import { create } from "zustand";
import type { ExperimentInput } from "../../../shared/experiment.js";
import type { SessionInfo } from "../../../shared/conversation.js";
import { rpc } from "../transport/rpcClient";
import { useTimeline } from "./timelineStore";

interface SessionsStore {
  sessions: SessionInfo[];
  activeId: string | null;
  refresh(): Promise<void>;
  select(sessionId: string | null): Promise<void>;
  create(experiment: ExperimentInput): Promise<SessionInfo>;
  upsert(session: SessionInfo): void;
}

export const useSessions = create<SessionsStore>()((set, get) => ({
  sessions: [],
  activeId: null,
  async refresh() {
    const sessions = await rpc().call("sessions.list", {});
    set({ sessions: sessions.sort((a, b) => b.createdAt - a.createdAt) });
    if (get().activeId === null && sessions[0]) await get().select(sessions[0].id);
  },
  async select(sessionId) {
    set({ activeId: sessionId });
    await useTimeline.getState().load(sessionId);
  },
  async create(experiment) {
    const session = await rpc().call("sessions.create", experiment);
    get().upsert(session);
    await get().select(session.id);
    return session;
  },
  upsert(session) {
    set((s) => {
      const rest = s.sessions.filter((x) => x.id !== session.id);
      return { sessions: [session, ...rest].sort((a, b) => b.createdAt - a.createdAt) };
    });
  },
}));

/** The active session's info, or null. */
export function useActiveSession(): SessionInfo | null {
  return useSessions((s) => s.sessions.find((x) => x.id === s.activeId) ?? null);
}
