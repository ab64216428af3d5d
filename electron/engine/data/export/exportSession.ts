/**
 * Exports one stored session as training data or as a full record; see each format's file for its
 * layout and perspective.ts for how a role's point of view is built. Every export ends with a
 * validation report (validationReport.ts), carries each record's provenance (provenance.ts) in the
 * record or a sidecar, and — for the formats LLaMA-Factory reads — updates `dataset_info.json` beside
 * the file (datasetInfo.ts).
 */
import { basename } from "node:path";
import type { ExportFormat, ExportRequest } from "../../../../shared/conversation.js";
import type { ExportValidation, ThoughtExport } from "../../../../shared/exportReport.js";
import type { SessionStore } from "../store/sessionStore.js";
import { writeAlpaca } from "./alpaca.js";
import { exportContext } from "./context.js";
import { datasetInfoEntry, writeDatasetInfo } from "./datasetInfo.js";
import { writeOpenAIChat } from "./openaiChat.js";
import { writePreference } from "./preference.js";
import { writeSessionJson } from "./sessionJson.js";
import { writeShareGpt } from "./shareGpt.js";
import { ExportWriter } from "./writer.js";

export interface ExportResult {
  path: string;
  format: ExportFormat;
  /** Lines written (JSONL formats) or messages written (`json`). */
  records: number;
  /** Turns that passed the filters but could not form a valid example (nothing before them), or messages filtered out of `json`. */
  skipped: number;
  /** Size of the file written. */
  bytes: number;
  /** The checks of every record written. */
  validation: ExportValidation;
  /** The provenance sidecar (`<file>.provenance.jsonl`) of OpenAI chat and DPO exports; null for formats that carry provenance in each record. */
  sidecar: string | null;
  /** The LLaMA-Factory dataset_info.json updated beside the file, when the format has an entry. */
  datasetInfo: string | null;
  /** Anything the user should know about the export (why no dataset_info entry, what became of thoughts). */
  notes: string[];
  /** What the export did with the trained-on turns' thoughts. */
  thoughts: ThoughtExport;
}

/** Formats whose records take no extra keys: their provenance goes in a sidecar. */
const SIDECAR: ReadonlySet<ExportFormat> = new Set(["openai", "dpo-openai"]);

/** The sidecar path of an export written to `out`. */
export function provenanceSidecar(out: string): string {
  return `${out}.provenance.jsonl`;
}

/** Streams session `sessionId` from `store` to `request.out` in `request.format`. */
export async function exportSession(store: SessionStore, sessionId: string, request: ExportRequest): Promise<ExportResult> {
  const ctx = exportContext(store, sessionId, request);
  const format = ctx.request.format;
  const wantsInfo = format === "sharegpt" || format === "alpaca" || (format === "dpo" && ctx.request.dpoForm === "string");
  const out = await ExportWriter.create(ctx.request.out, { sha1: wantsInfo });
  const sidecar = SIDECAR.has(format) ? await ExportWriter.create(provenanceSidecar(ctx.request.out)).catch(async (e: unknown) => {
    await out.abort();
    throw e;
  }) : null;
  ctx.sidecar = sidecar;
  try {
    let result: { records: number; skipped: number };
    switch (format) {
      case "openai":
        result = await writeOpenAIChat(ctx, out);
        break;
      case "sharegpt":
        result = await writeShareGpt(ctx, out);
        break;
      case "alpaca":
        result = await writeAlpaca(ctx, out);
        break;
      case "dpo":
        result = await writePreference(ctx, out, "trl");
        break;
      case "dpo-openai":
        result = await writePreference(ctx, out, "openai");
        break;
      case "json":
        result = await writeSessionJson(ctx, out);
        break;
    }
    const written = await out.finish();
    await sidecar?.finish();
    const notes: string[] = [];
    let datasetInfo: string | null = null;
    const info = datasetInfoEntry(ctx.request, basename(out.path), written.sha1 ?? "");
    if (info && "entry" in info) datasetInfo = await writeDatasetInfo(out.path, info.entry);
    else if (info) notes.push(info.none);
    const thoughtNote = ctx.thoughts.note(format);
    if (thoughtNote) notes.push(thoughtNote);
    return {
      path: out.path,
      format,
      ...result,
      bytes: written.bytes,
      validation: ctx.validation.report(),
      sidecar: sidecar ? sidecar.path : null,
      datasetInfo,
      notes,
      thoughts: ctx.thoughts.report(),
    };
  } catch (error) {
    await out.abort();
    await sidecar?.abort();
    throw error;
  }
}
