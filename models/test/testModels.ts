/**
 * GGUF fixtures for tests and benchmarks: the real stories260K model when the shared models folder
 * exists, generated models otherwise (models/generatedModels.ts), and deliberately broken files.
 */
import { join, resolve } from "node:path";
import { resolveLlamaGgufOptions } from "../gguf/llamaGguf.js";
import { writeBrokenGguf, type BrokenGgufOptions, type BrokenKind } from "../gguf/brokenGguf.js";
import { REPO_ROOT, cacheKey, cached, exists, generatedModel, modelCacheDir } from "../generatedModels.js";

import { scriptedModel as cachedScriptedModel, type ScriptTemplate } from "../scriptedModel.js";

export { REPO_ROOT, generatedModel, modelCacheDir } from "../generatedModels.js";
export type { ScriptTemplate } from "../scriptedModel.js";

/** Where the shared, real stories260K model lives in a developer checkout or CI. */
export const STORIES_260K_PATH = resolve(REPO_ROOT, "..", "shared", "models", "stories260K.gguf");

/** Whether the real stories260K model is available at `../shared/models/`. */
export async function hasRealTestModel(): Promise<boolean> {
  return exists(STORIES_260K_PATH);
}

/**
 * A real, trained model for tests: stories260K from `../shared/models/` when present, otherwise a
 * generated model of the same shape (random weights, built-in tokenizer), so a fresh clone without
 * the shared folder still runs every test.
 */
export async function realTestModel(): Promise<string> {
  if (await hasRealTestModel()) return STORIES_260K_PATH;
  return generatedModel("stories260k");
}

/**
 * Path of a cached, deliberately broken GGUF file (see `writeBrokenGguf`). Never load a
 * `missing-key` file in a test process: llama.cpp aborts the process on it.
 */
export async function brokenModel(kind: BrokenKind, options: BrokenGgufOptions = {}): Promise<string> {
  const base = options.base ? resolveLlamaGgufOptions(options.base) : null;
  const key = await cacheKey({ kind, options: { ...options, base } }, base?.tokenizerTemplate ?? null);
  const path = join(modelCacheDir(), `broken-${kind}-${key}.gguf`);
  return cached(path, (temp) => writeBrokenGguf(temp, kind, options));
}

/**
 * A cached, generated GGUF that answers every prompt with exactly `script`, then its end token, at
 * any temperature, seed or penalty (see models/gguf/scriptedGguf.ts). `template` picks the
 * chat-template family (default "chatml"); script text equal to one of the family's special tokens
 * (`<think>`, `</think>`…) is emitted as that token, so node-llama-cpp's wrappers separate qwen3 and
 * deepseek-r1 thoughts as they do for the real models. Each special token may appear at one point.
 * A harmony script may open with `<|channel|>analysis<|message|>…<|end|>` and go on with the answer
 * (with or without `<|start|>assistant<|channel|>final<|message|>`): the Harmony wrapper sees the
 * thought, provided no earlier answer of the model is in its prompt.
 *
 * Several scripts share their common beginning and branch: the model answers with the first one a
 * grammar allows (the first of all without one), so one model can propose, critique, vote and
 * synthesize. Put the answer script before a consensus script when the same step allows both.
 *
 * Under the engine's typed-turn grammar (`typedTurnSchema`), these spellings come out exactly and
 * parse with zero repairs: compact JSON (the grammar also allows one space after `{`, `,` and `:`
 * and before `}`), fields in the schema's order — a turn `type, content, referencesTo, confidence`,
 * a ballot `type, referencesTo, content, confidence` —, `confidence` one of `0`, `0.1` … `0.9`, `1`
 * (write `1`, not `1.0`), `content` a JSON string (newlines as `\n`), labels the step
 * offers (`m3` for messages, `A`, `B`… on ballots, as many as it ranks):
 * a proposal with a fenced code block, `{"type":"proposal","content":"Use a queue.\n~~~ts\nconst q = [];\n~~~","referencesTo":[],"confidence":0.8}`
 * (written with backticks in a real script; tildes here only to keep this comment readable),
 * `{"type":"vote","referencesTo":["A","B"],"content":"A is simpler.","confidence":0.9}`.
 * A thinking family's turn under that grammar cannot start with `<think>`: offer the thought script
 * first and the bare JSON second, and the grammar takes the JSON.
 */
export async function scriptedModel(script: string | readonly string[], options?: { template?: ScriptTemplate; name?: string }): Promise<string> {
  return cachedScriptedModel(script, options);
}
