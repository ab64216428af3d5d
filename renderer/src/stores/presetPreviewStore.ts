/**
 * The experiment editor's preset preview: what the draft's preset expands to on the engine's
 * machine now (asked a moment after the last edit; only the latest answer is kept).
 */
import { create } from "zustand";
import type { Experiment } from "../../../shared/experiment.js";
import type { PresetExpansion } from "../../../shared/presets.js";
import { rpc } from "../transport/rpcClient";

interface PresetPreviewStore {
  key: string | null;
  expansion: PresetExpansion | null;
  error: string | null;
  busy: boolean;
  preview(experiment: Experiment | null): void;
}

const DEBOUNCE_MS = 600;
let timer: ReturnType<typeof setTimeout> | null = null;

export const usePresetPreview = create<PresetPreviewStore>()((set, get) => ({
  key: null,
  expansion: null,
  error: null,
  busy: false,
  preview(experiment) {
    const key = experiment?.preset ? JSON.stringify(experiment) : null;
    if (key === get().key) return;
    if (timer) clearTimeout(timer);
    set({ key, expansion: null, error: null, busy: key !== null });
    if (!experiment || key === null) return;
    timer = setTimeout(() => {
      rpc()
        .call("presets.expand", { experiment })
        .then((r) => get().key === key && set({ expansion: r.expansion, busy: false }))
        .catch((e: unknown) => get().key === key && set({ error: e instanceof Error ? e.message : String(e), busy: false }));
    }, DEBOUNCE_MS);
  },
}));
