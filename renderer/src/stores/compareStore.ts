/** The current side-by-side compare run: blind columns that stream, then a vote that reveals. */
import { create } from "zustand";
import type { CompareRun } from "../../../shared/rpc.js";
import { rpc } from "../transport/rpcClient";

interface CompareStore {
  run: CompareRun | null;
  busy: boolean;
  error: string | null;
  start(prompt: string, modelRefs: string[], maxTokens: number): Promise<void>;
  vote(label: string): Promise<void>;
  apply(run: CompareRun): void;
  appendToken(compareId: string, label: string, text: string): void;
}

export const useCompare = create<CompareStore>()((set, get) => ({
  run: null,
  busy: false,
  error: null,
  async start(prompt, modelRefs, maxTokens) {
    set({ busy: true, error: null });
    try {
      set({ run: await rpc().call("compare.run", { prompt, modelRefs, sampling: { maxTokens, temperature: 0.7 } }) });
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
      set({ run: await rpc().call("compare.vote", { compareId: run.id, winner: label }) });
    } catch (error) {
      set({ error: error instanceof Error ? error.message : String(error) });
    }
  },
  apply(run) {
    if (get().run?.id === run.id) set({ run });
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
