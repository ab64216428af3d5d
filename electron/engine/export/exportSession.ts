/**
 * Exports one stored session as training data or as a full record; see each format's file for its
 * layout and perspective.ts for how a role's point of view is built.
 */
import type { ExportFormat, ExportRequest } from "../../../shared/conversation.js";
import type { SessionStore } from "../store/sessionStore.js";
import { exportContext } from "./context.js";
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
}

/** Streams session `sessionId` from `store` to `request.out` in `request.format`. */
export async function exportSession(store: SessionStore, sessionId: string, request: ExportRequest): Promise<ExportResult> {
  const ctx = exportContext(store, sessionId, request);
  const out = await ExportWriter.create(ctx.request.out);
  try {
    let result: { records: number; skipped: number };
    switch (ctx.request.format) {
      case "openai":
        result = await writeOpenAIChat(ctx, out);
        break;
      case "sharegpt":
        result = await writeShareGpt(ctx, out);
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
    await out.finish();
    return { path: out.path, format: ctx.request.format, ...result };
  } catch (error) {
    await out.abort();
    throw error;
  }
}
