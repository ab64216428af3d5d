/**
 * What a role is shown of the attachments: a listing (path and size of every file), then the
 * files' text in fences. When everything fits the token budget it is all shown; otherwise the
 * listing, the files the task names (by path or file name), as many others as still fit, and a
 * clearly marked elision naming the files left out, so a model never mistakes a cut for the end.
 */
import type { WorkspaceFile } from "../../../../shared/attachments.js";

/** Conservative tokens of a text (about three characters a token for code). */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 3);

/** The marker an elided listing carries. */
export const ELISION_MARK = "[attachments elided:";

function fenceFor(file: WorkspaceFile): string {
  const ext = /\.([a-z0-9]+)$/i.exec(file.path)?.[1] ?? "";
  const ticks = file.content.includes("```") ? "````" : "```";
  return `${ticks}${ext} file=${file.path}\n${file.content}${file.content.endsWith("\n") ? "" : "\n"}${ticks}`;
}

/** Whether the task text names `file` (its path, or its file name as a word). */
function named(task: string, file: WorkspaceFile): boolean {
  const base = file.path.split("/").at(-1)!;
  return task.includes(file.path) || new RegExp(`(^|[^\\w.-])${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}($|[^\\w-])`).test(task);
}

export interface AttachmentView {
  text: string;
  /** Paths shown whole. */
  shown: string[];
  /** Paths listed only. */
  elided: string[];
}

/** The attachments as one prompt text within `budgetTokens`. */
export function attachmentView(files: readonly WorkspaceFile[], task: string, budgetTokens: number): AttachmentView {
  const listing = `Attached files (${files.length}):\n${files.map((f) => `- ${f.path} (${Buffer.byteLength(f.content)} bytes)`).join("\n")}`;
  const whole = [listing, ...files.map(fenceFor)].join("\n\n");
  if (estimateTokens(whole) <= budgetTokens) return { text: whole, shown: files.map((f) => f.path), elided: [] };
  const order = [...files.filter((f) => named(task, f)), ...files.filter((f) => !named(task, f))];
  let used = estimateTokens(listing) + 40;
  const shown: WorkspaceFile[] = [];
  for (const f of order) {
    const cost = estimateTokens(fenceFor(f)) + 2;
    if (used + cost > budgetTokens) continue;
    shown.push(f);
    used += cost;
  }
  const elided = files.filter((f) => !shown.includes(f)).map((f) => f.path);
  const mark = `${ELISION_MARK} ${elided.length} file(s) over the context budget are listed above but not shown: ${elided.join(", ")}]`;
  return { text: [listing, ...shown.map(fenceFor), mark].join("\n\n"), shown: shown.map((f) => f.path), elided };
}
