/** Seats and the memory report, kept live from engine events; seats are keyed by (session, role). */
import { create } from "zustand";
import { seatKey, type MemoryReport, type SlotInfo } from "../../../shared/slots.js";
import type { SessionInfo } from "../../../shared/conversation.js";
import { rpc } from "../transport/rpcClient";

interface SlotsStore {
  /** By {@link seatKey}. */
  slots: Record<string, SlotInfo>;
  memory: MemoryReport | null;
  refresh(): Promise<void>;
  upsert(slot: SlotInfo): void;
  remove(sessionId: string | null, role: string): void;
  setMemory(report: MemoryReport): void;
}

export const useSlots = create<SlotsStore>()((set) => ({
  slots: {},
  memory: null,
  async refresh() {
    const [list, memory] = await Promise.all([rpc().call("slots.list", {}), rpc().call("memory.report", {})]);
    set({ slots: Object.fromEntries(list.map((s) => [seatKey(s), s])), memory });
  },
  upsert: (slot) => set((s) => ({ slots: { ...s.slots, [seatKey(slot)]: slot } })),
  remove: (sessionId, role) =>
    set((s) => {
      const { [seatKey({ sessionId, role })]: _gone, ...rest } = s.slots;
      return { slots: rest };
    }),
  setMemory: (memory) => set({ memory }),
}));

/** Seats of a compare run stay blind until the vote: the registry names no model for them. */
export function isBlindSeat(slot: Pick<SlotInfo, "sessionId">, sessions: readonly SessionInfo[]): boolean {
  return slot.sessionId !== null && sessions.some((s) => s.id === slot.sessionId && s.protocolKind === "compare");
}
