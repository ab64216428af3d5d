/**
 * Names an arena model (a fingerprint and the GGUF's internal name, as outcomes record it) the way
 * every other view names models: by its file, found in the library by fingerprint, with the
 * internal name as a detail. A model no longer in the library keeps its recorded name.
 */
import { useCallback, useMemo } from "react";
import type { ArenaModel } from "../../../shared/arena.js";
import { modelNameText } from "../../../shared/names.js";
import { useLibrary } from "../stores/libraryStore";

/** A function from an arena model to its display name, over the current library. */
export function useArenaModelName(): (model: ArenaModel) => string {
  const library = useLibrary((s) => s.library);
  const files = useMemo(() => {
    const byFingerprint = new Map<string, string>();
    for (const m of library?.models ?? []) if (m.identity) byFingerprint.set(m.identity.fingerprint, m.identity.fileName);
    return byFingerprint;
  }, [library]);
  return useCallback((model: ArenaModel) => modelNameText({ fileName: files.get(model.fingerprint) ?? model.fileName, name: model.name }), [files]);
}
