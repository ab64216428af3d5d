/** The host's backend pool: configs (never keys) and live monitoring, polled while the registry shows them. */
import { create } from "zustand";
import type { BackendEntry, BackendUpsertInput } from "../../../shared/backends.js";
import { rpc } from "../transport/rpcClient";

interface BackendsStore {
  backends: BackendEntry[];
  /** The last refresh failure (the host may be reconnecting); null once a refresh succeeds. */
  error: string | null;
  refresh(): Promise<void>;
  /** Adds or replaces a backend; the key, when given, goes to the host's secret store and is not kept here. */
  upsert(request: BackendUpsertInput): Promise<BackendEntry>;
  remove(name: string): Promise<void>;
  setEnabled(name: string, enabled: boolean): Promise<void>;
}

export const useBackends = create<BackendsStore>()((set, get) => {
  const replace = (entry: BackendEntry): void =>
    set((s) => ({
      backends: s.backends.some((b) => b.config.name === entry.config.name)
        ? s.backends.map((b) => (b.config.name === entry.config.name ? entry : b))
        : [...s.backends, entry],
    }));
  return {
    backends: [],
    error: null,
    async refresh() {
      try {
        set({ backends: await rpc().call("backends.list", {}), error: null });
      } catch (e) {
        set({ error: e instanceof Error ? e.message : String(e) });
      }
    },
    async upsert(request) {
      const entry = await rpc().call("backends.upsert", request);
      replace(entry);
      return entry;
    },
    async remove(name) {
      await rpc().call("backends.remove", { name });
      await get().refresh();
    },
    async setEnabled(name, enabled) {
      replace(await rpc().call("backends.setEnabled", { name, enabled }));
    },
  };
});

/** How often the registry refreshes backend monitoring while it is on screen. */
export const BACKENDS_POLL_MS = 2000;
