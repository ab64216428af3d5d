/**
 * The experiment editor's working copy (see lib/experimentDraft.ts), the notes of the last import,
 * and which fields the user has touched (lib/issueVisibility.ts decides which errors show).
 */
import { create } from "zustand";
import { fieldPath } from "../../../shared/experiment.js";
import { setAt, type Draft, type DraftPath } from "../lib/experimentDraft";

interface ExperimentDraftStore {
  draft: Draft;
  /** What the last import changed or could not resolve, shown until the next one. */
  importNotes: string[];
  /** Bumped when a whole new draft is loaded, so views holding local state start afresh. */
  version: number;
  /** Field paths (`roles[0].model`) the user has changed or left. */
  touched: string[];
  /** Every error shows: the draft was submitted, imported, opened from a session or edited as source. */
  revealed: boolean;
  setAt(path: DraftPath, value: unknown): void;
  /** The user left the field at `path`: its errors show from now on. */
  touch(path: DraftPath): void;
  /** Every error shows from now on (a submit). */
  reveal(): void;
  /** The draft edited as a whole (the source tab): views keep their local state. */
  replace(draft: Draft): void;
  /** A new draft (opened or imported): views start afresh on it; `revealed` for one the user did not type. */
  load(draft: Draft, importNotes?: string[], revealed?: boolean): void;
}

const add = (list: string[], path: DraftPath): string[] => {
  const key = fieldPath(path as PropertyKey[]);
  return list.includes(key) ? list : [...list, key];
};

export const useExperimentDraft = create<ExperimentDraftStore>()((set) => ({
  draft: {},
  importNotes: [],
  version: 0,
  touched: [],
  revealed: false,
  setAt: (path, value) => set((s) => ({ draft: setAt(s.draft, path, value), touched: add(s.touched, path) })),
  touch: (path) => set((s) => (s.touched.includes(fieldPath(path as PropertyKey[])) ? s : { touched: add(s.touched, path) })),
  reveal: () => set({ revealed: true }),
  replace: (draft) => set({ draft, revealed: true }),
  load: (draft, importNotes = [], revealed = importNotes.length > 0) => set((s) => ({ draft, importNotes, version: s.version + 1, touched: [], revealed })),
}));
