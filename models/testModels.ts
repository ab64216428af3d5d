/**
 * GGUF fixtures for tests and benchmarks: the real stories260K model when the shared models folder
 * exists, and generated models cached by their options otherwise. Generation writes to a temp file
 * and renames it into place, so test files running concurrently never see a half-written model.
 */
import { createHash, randomUUID } from "node:crypto";
import { access, mkdir, rename, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveLlamaGgufOptions, writeLlamaGguf, type LlamaGgufOptions } from "./gguf/llamaGguf.js";
import { PRESETS, isPresetName, type PresetName } from "./gguf/presets.js";
import { writeBrokenGguf, type BrokenGgufOptions, type BrokenKind } from "./gguf/brokenGguf.js";

/** Bump when the writer's output changes, so stale cached files are not reused. */
const GENERATOR_VERSION = 1;

/** The repository root (resolved from this module, not the cwd). */
export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Where the shared, real stories260K model lives in a developer checkout or CI. */
export const STORIES_260K_PATH = resolve(REPO_ROOT, "..", "shared", "models", "stories260K.gguf");

/** Cache folder for generated models (gitignored). `CONCLAVE_MODEL_CACHE` overrides it. */
export function modelCacheDir(): string {
  return process.env.CONCLAVE_MODEL_CACHE ?? join(REPO_ROOT, ".cache", "models");
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Whether the real stories260K model is available at `../shared/models/`. */
export async function hasRealTestModel(): Promise<boolean> {
  return exists(STORIES_260K_PATH);
}

const pending = new Map<string, Promise<string>>();

/** Create `path` once via `write(tempPath)`; concurrent callers (in or across processes) share the result. */
async function cached(path: string, write: (tempPath: string) => Promise<void>): Promise<string> {
  if (await exists(path)) return path;
  const inFlight = pending.get(path);
  if (inFlight) return inFlight;
  const job = (async () => {
    await mkdir(modelCacheDir(), { recursive: true });
    const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
    try {
      await write(temp);
      // rename is atomic: readers see either no file or the whole file; a racing writer's identical file wins harmlessly.
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return path;
  })();
  pending.set(path, job);
  try {
    return await job;
  } finally {
    pending.delete(path);
  }
}

async function cacheKey(parts: unknown, templatePath: string | null): Promise<string> {
  let template: unknown = null;
  if (templatePath) {
    const st = await stat(templatePath);
    template = { path: resolve(templatePath), size: st.size, mtimeMs: st.mtimeMs };
  }
  return createHash("sha256").update(JSON.stringify({ v: GENERATOR_VERSION, parts, template })).digest("hex").slice(0, 16);
}

/**
 * Path of a generated model with the given preset or options, generating it into the cache on
 * first use. Small presets take milliseconds; `small-100m` takes a couple of seconds once.
 */
export async function generatedModel(spec: PresetName | LlamaGgufOptions): Promise<string> {
  if (typeof spec === "string" && !isPresetName(spec)) throw new Error(`unknown model preset "${spec}"`);
  const options = typeof spec === "string" ? PRESETS[spec] : spec;
  const resolved = resolveLlamaGgufOptions(options);
  const label = typeof spec === "string" ? spec : "custom";
  const key = await cacheKey(resolved, resolved.tokenizerTemplate);
  const path = join(modelCacheDir(), `${label}-${key}.gguf`);
  return cached(path, async (temp) => {
    await writeLlamaGguf(temp, options);
  });
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
