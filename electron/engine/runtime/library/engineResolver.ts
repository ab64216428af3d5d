/**
 * The engine's model resolver: the library's (paths, library names, hf: URIs), plus
 * `generated:<preset>` refs, which write a small llama-architecture model with the project's GGUF
 * tooling into the model cache on first use. Example experiments use them as swap targets so they
 * run without downloads, and the UI, the API and the CLI all accept them alike.
 */
import { libraryResolver, type LibraryResolverOptions } from "./libraryResolver.js";
import type { ModelResolver } from "../slots/SlotRegistry.js";
import { generatedModel } from "../../../../models/generatedModels.js";
import { isPresetName, PRESET_NAMES } from "../../../../models/gguf/presets.js";

const GENERATED = /^generated:(.+)$/;

/** Whether a model reference names a generated model rather than a file. */
export function isGeneratedRef(ref: string): boolean {
  return GENERATED.test(ref.trim());
}

/** A library resolver that also understands `generated:<preset>` (presets: tiny, tiny-chat, stories260k, small…). */
export function engineResolver(options: LibraryResolverOptions = {}): ModelResolver {
  const base = libraryResolver(options);
  return {
    async resolve(ref) {
      const m = GENERATED.exec(ref.trim());
      if (!m) return base.resolve(ref);
      const preset = m[1]!;
      if (!isPresetName(preset)) throw new Error(`unknown generated model "${preset}"; presets: ${PRESET_NAMES.join(", ")}`);
      return generatedModel(preset);
    },
    inspect: (filePath) => base.inspect(filePath),
  };
}
