/** Role slots and the memory report, kept live from engine events. */
import { create } from "zustand";
import type { MemoryReport, SlotInfo } from "../../../shared/slots.js";
import { rpc } from "../transport/rpcClient";

interface SlotsStore {
  slots: Record<string, SlotInfo>;
  memory: MemoryReport | null;
  refresh(): Promise<void>;
  upsert(slot: SlotInfo): void;
  remove(role: string): void;
  setMemory(report: MemoryReport): void;
}

export const useSlots = create<SlotsStore>()((set) => ({
  slots: {},
  memory: null,
  async refresh() {
    const [list, memory] = await Promise.all([rpc().call("slots.list", {}), rpc().call("memory.report", {})]);
    set({ slots: Object.fromEntries(list.map((s) => [s.role, s])), memory });
  },
  upsert: (slot) => set((s) => ({ slots: { ...s.slots, [slot.role]: slot } })),
  remove: (role) =>
    set((s) => {
      const { [role]: _gone, ...rest } = s.slots;
      return { slots: rest };
    }),
  setMemory: (memory) => set({ memory }),
}));

/** Compare columns borrow `cmp-*` slots; the registry shows them apart so blind labels stay blind. */
export function isCompareRole(role: string): boolean {
  return role.startsWith("cmp-");
}
