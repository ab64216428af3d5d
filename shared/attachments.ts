/**
 * Attachments: files, folders or globs an experiment (or one task of its task set) brings to the
 * committee. A path resolves against the experiment file's folder; `as` names where it lands in the
 * workspace (default: its path relative to that folder). The UI's file picker and drag-and-drop
 * send the text itself (`content`), so nothing on disk is needed. Declared once here.
 */
import { z } from "zod";
import { strictObject } from "./strictObject.js";

/** Where a file lands in the workspace: relative, forward slashes, no `..` segments. */
export const WorkspacePath = z
  .string()
  .min(1)
  .max(500)
  .refine((p) => !p.startsWith("/") && !/^[a-zA-Z]:/.test(p) && !p.split(/[\\/]/).includes(".."), "a workspace path is relative and stays inside the workspace (no leading '/', no '..')");

export const AttachmentSpec = z.union([
  /** A file given by its text (the UI's picker and drag-and-drop). */
  strictObject({ path: WorkspacePath, content: z.string().max(1_048_576, "an attached file is at most 1 MiB") }),
  /** A file, a folder (its `.gitignore` honoured) or a glob. */
  strictObject({ path: z.string().min(1, "an attachment needs a path"), as: WorkspacePath.optional() }),
]);
export type AttachmentSpec = z.infer<typeof AttachmentSpec>;

/** One attached file as the committee saw it; its text is stored once per `sha256`. */
export const AttachedFile = z.object({ path: WorkspacePath, sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() });
export type AttachedFile = z.infer<typeof AttachedFile>;

/** A file that was not attached, by path, and why (binary, too large, not a regular file). */
export interface AttachmentRefusal {
  path: string;
  reason: string;
}

/** A file's text with its workspace path (attachments resolved, or artifacts). */
export interface WorkspaceFile {
  path: string;
  content: string;
}
