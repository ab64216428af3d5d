/**
 * Memory estimates of library models (a seat of each on its own, at the default context), fetched
 * once per model as its row shows and kept for the page's life: a file's estimate does not change.
 */
import { create } from "zustand";
import type { MemoryEstimate } from "../../../shared/memoryEstimate.js";
import { rpc } from "../transport/rpcClient";

interface EstimatesStore {
  /** By library ref: the estimate, or why there is none. */
  byRef: Record<string, MemoryEstimate | { error: string }>;
  /** Fetches the estimate of `ref` unless it is known or on its way. */
  ensure(ref: string): void;
}

const asked = new Set<string>();

export const useEstimates = create<EstimatesStore>()((set) => ({
  byRef: {},
  ensure(ref) {
    if (asked.has(ref)) return;
    asked.add(ref);
    rpc()
      .call("library.estimate", { ref })
      .then(
        (estimate) => set((s) => ({ byRef: { ...s.byRef, [ref]: estimate } })),
        (error: unknown) => set((s) => ({ byRef: { ...s.byRef, [ref]: { error: error instanceof Error ? error.message : String(error) } } })),
      );
  },
}));
