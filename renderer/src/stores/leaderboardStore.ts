/** The arena leaderboard: which outcomes it ranks from, and the latest ranking from the host. */
import { create } from "zustand";
import type { Leaderboard, LeaderboardSource } from "../../../shared/arena.js";
import { rpc } from "../transport/rpcClient";

interface LeaderboardStore {
  source: LeaderboardSource;
  board: Leaderboard | null;
  loading: boolean;
  error: string | null;
  setSource(source: LeaderboardSource): Promise<void>;
  refresh(): Promise<void>;
}

export const useLeaderboard = create<LeaderboardStore>()((set, get) => ({
  source: "all",
  board: null,
  loading: false,
  error: null,
  async setSource(source) {
    set({ source });
    await get().refresh();
  },
  async refresh() {
    set({ loading: true, error: null });
    try {
      set({ board: await rpc().call("leaderboard.get", { source: get().source }) });
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error) });
    } finally {
      set({ loading: false });
    }
  },
}));
