/**
 * The current side-by-side compare run: blind columns that stream, then a vote that reveals; and
 * which compare sessions still await their vote (the host's word, so a reloaded page knows too).
 */
import { create } from "zustand";
import type { CompareRun } from "../../../shared/rpc.js";
import { rpc } from "../transport/rpcClient";

interface CompareStore {
  run: CompareRun | null;
  /** Sessions of compare runs awaiting their vote: kept out of the sessions list until voted. */
  pendingIds: string[];
  busy: boolean;
  error: string | null;
  start(prompt: string, modelRefs: string[], maxTokens: number): Promise<void>;
  vote(label: string): Promise<void>;
  apply(run: CompareRun): void;
  /** Reads the runs awaiting a vote from the host; the newest is shown again when none is on screen. */
  restore(): Promise<void>;
  appendToken(compareId: string, label: string, text: string): void;
}

export const useCompare = create<CompareStore>()((set, get) => ({
  run: null,
  pendingIds: [],
  busy: false,
  error: null,
  async start(prompt, modelRefs, maxTokens) {
    set({ busy: true, error: null });
    try {
      const run = await rpc().call("compare.run", { prompt, modelRefs, sampling: { maxTokens, temperature: 0.7 } });
      set((s) => ({ run, pendingIds: [...s.pendingIds, run.id] }));
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error) });
    } finally {
      set({ busy: false });
    }
  },
  async vote(label) {
    const run = get().run;
    if (!run) return;
    try {
      const voted = await rpc().call("compare.vote", { compareId: run.id, winner: label });
      set((s) => ({ run: voted, pendingIds: s.pendingIds.filter((id) => id !== voted.id) }));
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error) });
    }
  },
  apply(run) {
    if (run.winner !== null && get().pendingIds.includes(run.id)) set((s) => ({ pendingIds: s.pendingIds.filter((id) => id !== run.id) }));
    if (get().run?.id === run.id) set({ run });
  },
  async restore() {
    try {
      const pending = await rpc().call("compare.pending", {});
      set((s) => ({ pendingIds: pending.map((r) => r.id), run: s.run ?? pending.at(-1) ?? null }));
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error) });
    }
  },
  appendToken(compareId, label, text) {
    const run = get().run;
    if (run?.id !== compareId) return;
    set({
      run: {
        ...run,
        columns: run.columns.map((c) => (c.label === label && c.status !== "done" ? { ...c, status: "generating", text: c.text + text } : c)),
      },
    });
  },
}));
