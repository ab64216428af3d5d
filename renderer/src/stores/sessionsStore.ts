/** The sessions list and which session the timeline and graph show. */
import { create } from "zustand";
import type { ExperimentInput } from "../../../shared/experiment.js";
import type { SessionInfo } from "../../../shared/conversation.js";
import type { ReplayWarning } from "../../../shared/lineage.js";
import { rpc } from "../transport/rpcClient";
import { useLineage } from "./lineageStore";
import { useTimeline } from "./timelineStore";

interface SessionsStore {
  sessions: SessionInfo[];
  activeId: string | null;
  refresh(): Promise<void>;
  select(sessionId: string | null): Promise<void>;
  create(experiment: ExperimentInput): Promise<SessionInfo>;
  /** Forks a session at one of its messages (under `experiment` when given) and opens the fork. */
  fork(sessionId: string, atSeq: number, experiment?: ExperimentInput): Promise<SessionInfo>;
  /** Replays a session and opens the replay; resolves with the warnings given before it runs. */
  replay(sessionId: string): Promise<{ session: SessionInfo; warnings: ReplayWarning[] }>;
  /** Opens a session and scrolls its timeline to message `seq`. */
  openAt(sessionId: string, seq: number): Promise<void>;
  upsert(session: SessionInfo): void;
  /** A message was stored: the list's count follows it live. */
  messageAdded(sessionId: string, seq: number): void;
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
    void useLineage.getState().load(sessionId).catch(() => undefined);
    await useTimeline.getState().load(sessionId);
  },
  async create(experiment) {
    const session = await rpc().call("sessions.create", experiment);
    get().upsert(session);
    await get().select(session.id);
    return session;
  },
  async fork(sessionId, atSeq, experiment) {
    const session = await rpc().call("sessions.fork", { sessionId, atSeq, ...(experiment ? { experiment } : {}) });
    get().upsert(session);
    await get().select(session.id);
    return session;
  },
  async replay(sessionId) {
    const started = await rpc().call("sessions.replay", { sessionId });
    get().upsert(started.session);
    await get().select(started.session.id);
    return started;
  },
  async openAt(sessionId, seq) {
    if (get().activeId !== sessionId) await get().select(sessionId);
    const target = useTimeline.getState().messages.find((m) => m.seq === seq);
    if (target) useTimeline.getState().jumpTo(target.id);
  },
  upsert(session) {
    set((s) => {
      const known = s.sessions.find((x) => x.id === session.id);
      const rest = s.sessions.filter((x) => x.id !== session.id);
      // A status change may carry the count as of the session's start; messages only ever add up.
      const next = known && known.messageCount > session.messageCount ? { ...session, messageCount: known.messageCount } : session;
      return { sessions: [next, ...rest].sort((a, b) => b.createdAt - a.createdAt) };
    });
  },
  messageAdded(sessionId, seq) {
    set((s) => ({ sessions: s.sessions.map((x) => (x.id === sessionId && x.messageCount < seq ? { ...x, messageCount: seq } : x)) }));
  },
}));

/** The active session's info, or null. */
export function useActiveSession(): SessionInfo | null {
  return useSessions((s) => s.sessions.find((x) => x.id === s.activeId) ?? null);
}
