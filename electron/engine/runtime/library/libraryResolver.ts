/**
 * The engine's default {@link ModelResolver}: model references resolve through the library
 * (paths, names in the models folder, hf: URIs) and every file is validated and identified from its
 * GGUF header before any model process sees it. Identities are cached by path, size and mtime, so
 * repeated swaps do not re-hash the file.
 */
import os from "node:os";
import path from "node:path";
import { stat } from "node:fs/promises";
import { inspectGguf } from "./inspectGguf.js";
import { resolveModelRef, type ModelDownloadProgress } from "./resolveModelRef.js";
import type { ModelResolver } from "../slots/SlotRegistry.js";
import type { ModelIdentity } from "../../../../shared/slots.js";

/** Where models live when nothing else says: `$CONCLAVE_HOME/models` or `~/.conclave/models`. */
export function defaultModelsDir(env = process.env): string {
  return path.join(env.CONCLAVE_HOME ?? path.join(os.homedir(), ".conclave"), "models");
}

export interface LibraryResolverOptions {
  modelsDir?: string;
  /** Folder that relative paths resolve against (an experiment file's folder, say). */
  baseDir?: string;
  onDownloadProgress?: (ref: string, progress: ModelDownloadProgress) => void;
}

export function libraryResolver(options: LibraryResolverOptions = {}): ModelResolver {
  const modelsDir = options.modelsDir ?? defaultModelsDir();
  const cache = new Map<string, { key: string; identity: ModelIdentity }>();
  return {
    resolve(ref) {
      const local = options.baseDir && !path.isAbsolute(ref) && !/^[a-z]+:/i.test(ref) && ref.includes("/") ? path.resolve(options.baseDir, ref) : ref;
      return resolveModelRef(local, {
        modelsDir,
        onProgress: options.onDownloadProgress ? (p) => options.onDownloadProgress?.(ref, p) : undefined,
      });
    },
    async inspect(filePath) {
      const s = await stat(filePath).catch(() => null);
      const key = s ? `${s.size}:${s.mtimeMs}` : "";
      const hit = cache.get(filePath);
      if (s && hit?.key === key) return hit.identity;
      const identity = await inspectGguf(filePath);
      cache.set(filePath, { key, identity });
      return identity;
    },
  };
}
