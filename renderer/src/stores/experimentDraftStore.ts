/** The experiment editor's working copy (see lib/experimentDraft.ts) and the notes of the last import. */
import { create } from "zustand";
import { setAt, type Draft, type DraftPath } from "../lib/experimentDraft";

interface ExperimentDraftStore {
  draft: Draft;
  /** What the last import changed or could not resolve, shown until the next one. */
  importNotes: string[];
  /** Bumped when a whole new draft is loaded, so views holding local state start afresh. */
  version: number;
  setAt(path: DraftPath, value: unknown): void;
  /** The draft edited as a whole (the source tab): views keep their local state. */
  replace(draft: Draft): void;
  /** A new draft (opened or imported): views start afresh on it. */
  load(draft: Draft, importNotes?: string[]): void;
}

export const useExperimentDraft = create<ExperimentDraftStore>()((set) => ({
  draft: {},
  importNotes: [],
  version: 0,
  setAt: (path, value) => set((s) => ({ draft: setAt(s.draft, path, value) })),
  replace: (draft) => set({ draft }),
  load: (draft, importNotes = []) => set((s) => ({ draft, importNotes, version: s.version + 1 })),
}));
