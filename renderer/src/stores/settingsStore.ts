/** App settings (models folder, memory budget, routing policy) as the host reports them. */
import { create } from "zustand";
import type { Settings } from "../../../shared/rpc.js";
import type { RoutingPolicyName } from "../../../shared/roleBackends.js";
import { rpc } from "../transport/rpcClient";

interface SettingsStore {
  settings: Settings | null;
  refresh(): Promise<void>;
  save(patch: { modelsDir?: string; memoryBudgetBytes?: number | null; routingPolicy?: RoutingPolicyName; allowUnsandboxed?: boolean }): Promise<void>;
}

export const useSettings = create<SettingsStore>()((set) => ({
  settings: null,
  async refresh() {
    set({ settings: await rpc().call("settings.get", {}) });
  },
  async save(patch) {
    set({ settings: await rpc().call("settings.set", patch) });
  },
}));
