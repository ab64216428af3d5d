/**
 * Generated GGUF models by preset or options, cached in `.cache/models/` (or
 * `CONCLAVE_MODEL_CACHE`): what `generated:<preset>` model references resolve to, and what tests and
 * benchmarks load when no real model is around. Generation writes to a temp file and renames it
 * into place, so processes asking at once never see a half-written model.
 */
import { createHash, randomUUID } from "node:crypto";
import { access, mkdir, rename, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveLlamaGgufOptions, writeLlamaGguf, type LlamaGgufOptions } from "./gguf/llamaGguf.js";
import { PRESETS, isPresetName, type PresetName } from "./gguf/presets.js";

/** Bump when the writer's output changes, so stale cached files are not reused. */
const GENERATOR_VERSION = 1;

/** The repository root (resolved from this module, not the cwd). */
export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Cache folder for generated models (gitignored). `CONCLAVE_MODEL_CACHE` overrides it. */
export function modelCacheDir(): string {
  return process.env.CONCLAVE_MODEL_CACHE ?? join(REPO_ROOT, ".cache", "models");
}

export async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

const pending = new Map<string, Promise<string>>();

/** Create `path` once via `write(tempPath)`; concurrent callers (in or across processes) share the result. */
export async function cached(path: string, write: (tempPath: string) => Promise<void>): Promise<string> {
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

export async function cacheKey(parts: unknown, templatePath: string | null): Promise<string> {
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
  // A preset's model is named for it, so a library holding several generated models tells them apart.
  const options: LlamaGgufOptions = typeof spec === "string" ? { name: `conclave-generated-${spec}`, ...PRESETS[spec] } : spec;
  const resolved = resolveLlamaGgufOptions(options);
  const label = typeof spec === "string" ? spec : "custom";
  const key = await cacheKey(resolved, resolved.tokenizerTemplate);
  const path = join(modelCacheDir(), `${label}-${key}.gguf`);
  return cached(path, async (temp) => {
    await writeLlamaGguf(temp, options);
  });
}

