/**
 * `generated:<preset>` model references: a small llama-architecture model written with the
 * project's GGUF tooling into the model cache on first use. Example experiments use them as swap
 * targets so they run without downloads, in `conclave run` and in the app alike.
 */
import type { ModelResolver } from "../slots/SlotRegistry.js";
import { generatedModel } from "../../../models/testModels.js";
import { isPresetName, PRESET_NAMES } from "../../../models/gguf/presets.js";

const GENERATED = /^generated:(.+)$/;

/** `base` plus `generated:<preset>` refs (presets: tiny, tiny-chat, stories260k, small…). */
export function withGeneratedModels(base: ModelResolver): ModelResolver {
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
