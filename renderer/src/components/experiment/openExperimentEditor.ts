/**
 * Opens the experiment editor on a draft: a blank experiment, or a stored session's for "Edit and
 * run" — or, with `fork`, for "Fork here" (submitting forks that session at that message).
 */
import { defaultDraft, type Draft } from "../../lib/experimentDraft";
import { useExperimentDraft } from "../../stores/experimentDraftStore";
import { useLibrary } from "../../stores/libraryStore";
import { useUi, type ForkTarget } from "../../stores/uiStore";

export function openExperimentEditor(draft?: Draft, source?: string, fork?: ForkTarget): void {
  const first = useLibrary.getState().library?.models.find((m) => m.identity)?.ref ?? "";
  // A stored or imported experiment shows its errors at once; a blank one waits for the user's input.
  useExperimentDraft.getState().load(draft ? structuredClone(draft) : defaultDraft(first), [], draft !== undefined);
  useUi.getState().open({ kind: "experiment", ...(source ? { source } : {}), ...(fork ? { fork } : {}) });
}
