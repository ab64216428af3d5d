/** Connection state of the single RPC client, for the header indicator. */
import { create } from "zustand";
import type { ConnectionState } from "../transport/transport";

interface ConnectionStore {
  state: ConnectionState;
  kind: "electron" | "websocket" | null;
  lastError: string | null;
  set(patch: Partial<Omit<ConnectionStore, "set">>): void;
}

export const useConnection = create<ConnectionStore>()((set) => ({
  state: "connecting",
  kind: null,
  lastError: null,
  set: (patch) => set(patch),
}));
