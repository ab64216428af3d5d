/**
 * Cached scripted models (models/gguf/scriptedGguf.ts): the file for a script and template family is
 * written once into the model cache, named by a content key, and shared by every test that asks.
 */
import { join } from "node:path";
import { cacheKey, cached, modelCacheDir } from "./generatedModels.js";
import { writeScriptedGguf } from "./gguf/scriptedGguf.js";
import type { ScriptTemplate } from "./gguf/templateFamilies.js";

export type { ScriptTemplate } from "./gguf/templateFamilies.js";

/** Bump when the scripted writer's output changes, so stale cached files are not reused. */
const SCRIPTED_VERSION = 2;

/**
 * Path of the cached scripted model that answers every prompt with `script`, then its end token;
 * with several scripts, the first one a grammar allows.
 */
export async function scriptedModel(script: string | readonly string[], options: { template?: ScriptTemplate; name?: string } = {}): Promise<string> {
  const template = options.template ?? "chatml";
  const name = options.name;
  const key = await cacheKey({ scripted: SCRIPTED_VERSION, script, template, ...(name !== undefined ? { name } : {}) }, null);
  const path = join(modelCacheDir(), `scripted-${template}-${key}.gguf`);
  return cached(path, async (temp) => {
    await writeScriptedGguf(temp, { script, template, ...(name !== undefined ? { name } : {}) });
  });
}
