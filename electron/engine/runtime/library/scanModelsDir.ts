/**
 * Find every GGUF model under a directory and identify it. Each file is judged on its own: one
 * broken or half-downloaded file becomes an error entry and never hides the others.
 */
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { ModelScanEntry } from "../../../../shared/library.js";
import { ModelFileError } from "./ModelFileError.js";
import { inspectGguf } from "./inspectGguf.js";

// Parts 2..n of a split model only hold tensors; llama.cpp opens the set through part 1.
const LATER_SPLIT_PART = /-(\d{5})-of-\d{5}\.gguf$/i;

/** Every `.gguf` file under `dir` (recursively), sorted, skipping parts 2..n of split models. */
export async function listGgufFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  return entries
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && e.name.toLowerCase().endsWith(".gguf"))
    .filter((e) => Number(LATER_SPLIT_PART.exec(e.name)?.[1] ?? 1) <= 1)
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * Scan `dir` recursively for `.gguf` files and inspect each (header only). Returns one entry per
 * file, in path order: its identity, or the {@link ModelFileError} that makes it unusable.
 * A directory that does not exist yields no entries.
 */
export async function scanModelsDir(dir: string, { concurrency = 4 }: { concurrency?: number } = {}): Promise<ModelScanEntry[]> {
  const files = await listGgufFiles(dir);
  const results: ModelScanEntry[] = new Array(files.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < files.length; i = next++) {
      const path = files[i] as string;
      try {
        results[i] = { ok: true, path, identity: await inspectGguf(path) };
      } catch (error) {
        const problem = error instanceof ModelFileError
          ? error.toProblem()
          : { code: "unreadable" as const, path, message: `${path} could not be inspected: ${(error as Error)?.message ?? String(error)}` };
        results[i] = { ok: false, path, error: problem };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, files.length)) }, worker));
  return results;
}
