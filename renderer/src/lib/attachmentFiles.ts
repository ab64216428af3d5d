/**
 * Files picked or dropped in the experiment editor become `{ path, content }` attachments (the
 * shape shared/attachments.ts declares for text sent by the UI). Binary and oversized files are
 * refused by name with the reason, as the engine refuses them from disk.
 */
import type { AttachmentRefusal } from "../../../shared/attachments.js";

/** The engine's limit for one attached file sent by the UI (shared/attachments.ts). */
export const MAX_ATTACHMENT_BYTES = 1_048_576;

export interface PickedFile {
  /** Where it lands in the workspace: the folder-relative path when a folder was picked, else the name. */
  path: string;
  bytes: Uint8Array;
}

/** Text attachments from picked files, and the files refused with why. */
export function attachmentsFrom(files: readonly PickedFile[]): { attachments: { path: string; content: string }[]; refused: AttachmentRefusal[] } {
  const attachments: { path: string; content: string }[] = [];
  const refused: AttachmentRefusal[] = [];
  for (const f of files) {
    const path = f.path.replace(/\\/g, "/").replace(/^\/+/, "");
    if (f.bytes.length > MAX_ATTACHMENT_BYTES) {
      refused.push({ path, reason: `too large (${f.bytes.length} bytes; the limit is ${MAX_ATTACHMENT_BYTES})` });
      continue;
    }
    if (f.bytes.subarray(0, 8192).includes(0)) {
      refused.push({ path, reason: "binary file (it holds NUL bytes)" });
      continue;
    }
    const content = new TextDecoder("utf-8").decode(f.bytes);
    if (content.includes("\uFFFD")) {
      refused.push({ path, reason: "binary file (not valid UTF-8)" });
      continue;
    }
    attachments.push({ path, content });
  }
  return { attachments, refused };
}

/** Adds `added` to `current`, a later file replacing an earlier one at the same path. */
export function mergeAttachments<T extends { path: string }>(current: readonly T[], added: readonly T[]): T[] {
  const byPath = new Map(current.map((a) => [a.path, a]));
  for (const a of added) byPath.set(a.path, a);
  return [...byPath.values()];
}
