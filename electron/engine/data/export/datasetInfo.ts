/**
 * LLaMA-Factory's `dataset_info.json`, written beside a ShareGPT, Alpaca or TRL preference export so
 * the file can be named in a training config as is. The entry names the file, its SHA-1
 * (`file_sha1`), its `formatting`, whether it is preference data (`ranking`), and the column and tag
 * mappings of the layout written. An existing `dataset_info.json` in the folder is kept: the entry is
 * added or replaced under the file's base name.
 *
 * TRL's conversational pairs (chosen and rejected as message lists) have no LLaMA-Factory reading —
 * it wants each answer as a single turn — so a `dpo` export gets an entry only in the string form
 * (`dpoForm: "string"`), read as Alpaca-formatted preference data.
 */
import { readFile, rename, writeFile } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import type { ExportFormat, ResolvedExportRequest } from "../../../../shared/conversation.js";

export interface DatasetInfoEntry {
  file_name: string;
  file_sha1: string;
  formatting: "alpaca" | "sharegpt";
  ranking: boolean;
  columns: Record<string, string>;
  tags?: Record<string, string>;
}

/** The entry for an export, or a reason there is none. */
export function datasetInfoEntry(
  request: Pick<ResolvedExportRequest, "format" | "dpoForm">,
  fileName: string,
  sha1: string,
): { entry: DatasetInfoEntry } | { none: string } | null {
  const base = { file_name: fileName, file_sha1: sha1 };
  const format: ExportFormat = request.format;
  switch (format) {
    case "sharegpt":
      return {
        entry: {
          ...base,
          formatting: "sharegpt",
          ranking: false,
          columns: { messages: "conversations", system: "system" },
          tags: { role_tag: "from", content_tag: "value", user_tag: "human", assistant_tag: "gpt" },
        },
      };
    case "alpaca":
      return {
        entry: {
          ...base,
          formatting: "alpaca",
          ranking: false,
          columns: { prompt: "instruction", query: "input", response: "output", system: "system", history: "history" },
        },
      };
    case "dpo":
      return request.dpoForm === "string"
        ? { entry: { ...base, formatting: "alpaca", ranking: true, columns: { prompt: "prompt", chosen: "chosen", rejected: "rejected" } } }
        : { none: "dataset_info.json: LLaMA-Factory reads preference answers as single turns, not TRL's message lists; export with the string form for an entry" };
    default:
      return null;
  }
}

/** The dataset name an export file gets in dataset_info.json: its base name without the extension. */
export function datasetName(path: string): string {
  const file = basename(path);
  return file.slice(0, file.length - extname(file).length) || file;
}

/** Adds (or replaces) the entry for `exportPath` in the `dataset_info.json` beside it; returns that file's path. */
export async function writeDatasetInfo(exportPath: string, entry: DatasetInfoEntry): Promise<string> {
  const file = join(dirname(exportPath), "dataset_info.json");
  let existing: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(await readFile(file, "utf8"));
    if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) existing = parsed as Record<string, unknown>;
  } catch (error) {
    if ((error as { code?: string }).code !== "ENOENT") throw new Error(`cannot update ${file}: ${(error as Error).message}`, { cause: error });
  }
  const partial = `${file}.partial`;
  await writeFile(partial, `${JSON.stringify({ ...existing, [datasetName(exportPath)]: entry }, null, 2)}\n`);
  await rename(partial, file);
  return file;
}
