/**
 * The active session's conversation: stored messages, inline swap events, live token streams,
 * filters and the reference highlight. The timeline component virtualizes over {@link timelineItems}.
 */
import { create } from "zustand";
import type { Message } from "../../../shared/conversation.js";
import type { SwapEvent } from "../../../shared/slots.js";
import { rpc } from "../transport/rpcClient";

import type { LiveStream } from "../lib/timelineOrder.js";

export { timelineItems, type LiveStream, type TimelineItem } from "../lib/timelineOrder.js";

interface TimelineStore {
  sessionId: string | null;
  messages: Message[];
  swaps: SwapEvent[];
  streams: Record<string, LiveStream>;
  /** The role speaking right now, for the graph and the registry. */
  speaker: string | null;
  /** What the session is doing besides speaking (seating, loading, swapping). */
  progress: string | null;
  hiddenRoles: string[];
  hiddenTypes: string[];
  highlightId: string | null;
  /** Bumped on each jump so the same target can be jumped to twice. */
  jump: { id: string; nonce: number } | null;
  load(sessionId: string | null): Promise<void>;
  addMessage(message: Message): void;
  addSwap(swap: SwapEvent): void;
  appendTokens(chunks: Array<{ generationId: string; role: string; text: string; thought?: boolean }>): void;
  setSpeaker(role: string | null, generationId: string | null): void;
  setProgress(text: string | null): void;
  toggleRole(role: string): void;
  toggleType(type: string): void;
  jumpTo(messageId: string): void;
}

export const useTimeline = create<TimelineStore>()((set, get) => ({
  sessionId: null,
  messages: [],
  swaps: [],
  streams: {},
  speaker: null,
  progress: null,
  hiddenRoles: [],
  hiddenTypes: [],
  highlightId: null,
  jump: null,
  async load(sessionId) {
    set({ sessionId, messages: [], swaps: [], streams: {}, speaker: null, progress: null, highlightId: null });
    if (!sessionId) return;
    const [{ messages }, swaps] = await Promise.all([
      rpc().call("sessions.messages", { sessionId, offset: 0, limit: 5000 }),
      rpc().call("sessions.swaps", { sessionId }).catch(() => []),
    ]);
    // Live messages may have arrived while the page loaded: merge by id, keep order by seq.
    if (get().sessionId !== sessionId) return;
    const byId = new Map([...messages, ...get().messages].map((m) => [m.id, m]));
    const seen = new Set(get().swaps.map((x) => `${x.role}@${x.at}`));
    // Rotations and first loads are residency, not part of the conversation: the timeline shows hot swaps.
    const stored = swaps.map((x) => x.event).filter((e) => (e.kind === "manual" || e.kind === "scheduled") && !seen.has(`${e.role}@${e.at}`));
    set((s) => ({ messages: [...byId.values()].sort((a, b) => a.seq - b.seq), swaps: [...stored, ...s.swaps] }));
  },
  addMessage(message) {
    if (message.sessionId !== get().sessionId) return;
    set((s) => {
      // The stored message replaces that role's live stream.
      const streams = Object.fromEntries(Object.entries(s.streams).filter(([, v]) => v.role !== message.from));
      if (s.messages.some((m) => m.id === message.id)) return { streams };
      return { messages: [...s.messages, message], streams };
    });
  },
  addSwap: (swap) => set((s) => ({ swaps: [...s.swaps, swap] })),
  setProgress: (progress) => set({ progress }),
  appendTokens(chunks) {
    set((s) => {
      const streams = { ...s.streams };
      let speaker = s.speaker;
      for (const c of chunks) {
        const prev = streams[c.generationId] ?? { generationId: c.generationId, role: c.role, text: "", thought: "", startedAt: Date.now() };
        streams[c.generationId] = c.thought ? { ...prev, thought: prev.thought + c.text } : { ...prev, text: prev.text + c.text };
        speaker = c.role;
      }
      return { streams, speaker };
    });
  },
  setSpeaker(role, generationId) {
    set((s) => {
      if (!role || !generationId || s.streams[generationId]) return { speaker: role };
      return {
        speaker: role,
        streams: { ...s.streams, [generationId]: { generationId, role, text: "", thought: "", startedAt: Date.now() } },
      };
    });
  },
  toggleRole: (role) => set((s) => ({ hiddenRoles: toggle(s.hiddenRoles, role) })),
  toggleType: (type) => set((s) => ({ hiddenTypes: toggle(s.hiddenTypes, type) })),
  jumpTo(messageId) {
    set((s) => ({
      highlightId: messageId,
      jump: { id: messageId, nonce: (s.jump?.nonce ?? 0) + 1 },
      // A filtered-out target would be unreachable: show its role and type again.
      hiddenRoles: s.hiddenRoles.filter((r) => r !== s.messages.find((m) => m.id === messageId)?.from),
      hiddenTypes: s.hiddenTypes.filter((t) => t !== s.messages.find((m) => m.id === messageId)?.type),
    }));
  },
}));

function toggle(list: string[], value: string): string[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}
