/**
 * The recommended-model catalog, read at runtime from `models/catalog.json` so it can be updated
 * without rebuilding, and validated so a bad edit fails loudly instead of reaching the UI.
 */
import { access, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { Catalog } from "../../../../shared/library.js";

// From the sources (electron/engine/runtime/library) and from the build output (dist/electron/engine/runtime/library).
const CANDIDATES = ["../../../../models/catalog.json", "../../../../../models/catalog.json"];

/** The default location of `models/catalog.json`, resolved from this module's URL (not the cwd). */
export async function defaultCatalogPath(): Promise<string> {
  for (const rel of CANDIDATES) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    try {
      await access(path);
      return path;
    } catch {
      // try the next layout
    }
  }
  return fileURLToPath(new URL(CANDIDATES[0] as string, import.meta.url));
}

/**
 * Read and validate the model catalog (default: the project's `models/catalog.json`).
 * Throws with the file path and the zod issues when the file is missing or invalid.
 */
export async function loadCatalog(path?: string): Promise<Catalog> {
  const file = path ?? (await defaultCatalogPath());
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new Error(`The model catalog ${file} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  const parsed = Catalog.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
    throw new Error(`The model catalog ${file} is invalid: ${issues}`);
  }
  return parsed.data;
}
