/** The experiment editor's working copy (see lib/experimentDraft.ts) and the notes of the last import. */
import { create } from "zustand";
import { setAt, type Draft, type DraftPath } from "../lib/experimentDraft";

interface ExperimentDraftStore {
  draft: Draft;
  /** What the last import changed or could not resolve, shown until the next one. */
  importNotes: string[];
  setAt(path: DraftPath, value: unknown): void;
  replace(draft: Draft, importNotes?: string[]): void;
}

export const useExperimentDraft = create<ExperimentDraftStore>()((set) => ({
  draft: {},
  importNotes: [],
  setAt: (path, value) => set((s) => ({ draft: setAt(s.draft, path, value) })),
  replace: (draft, importNotes = []) => set({ draft, importNotes }),
}));
