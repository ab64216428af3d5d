/**
 * The CLI's model resolver: the library's (paths, library names, hf: URIs), plus `generated:<preset>`
 * refs, which write a small llama-architecture model with the project's GGUF tooling into the model
 * cache on first use. Example experiments use them as swap targets so they run without downloads.
 */
import { libraryResolver, type LibraryResolverOptions } from "../engine/library/libraryResolver.js";
import type { ModelResolver } from "../engine/slots/SlotRegistry.js";
import { generatedModel } from "../../models/testModels.js";
import { isPresetName, PRESET_NAMES } from "../../models/gguf/presets.js";

const GENERATED = /^generated:(.+)$/;

/** A library resolver that also understands `generated:<preset>` (presets: tiny, tiny-chat, stories260k, small…). */
export function cliResolver(options: LibraryResolverOptions = {}): ModelResolver {
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
