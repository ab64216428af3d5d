/**
 * What a session's code work looks like from outside (RPC `sessions.code`, the CLI, the UI's file
 * viewer and artifact view): the attachments it saw, the artifacts of every message that wrote
 * files (the result's are the committee's output), and each command check with its evidence.
 */
import { z } from "zod";
import { CommandCheckOutcome } from "./commandCheck.js";

export const CodeFile = z.object({ path: z.string(), content: z.string() });
export type CodeFile = z.infer<typeof CodeFile>;

export const MessageArtifacts = z.object({
  messageId: z.string(),
  seq: z.number().int().positive(),
  from: z.string(),
  files: z.array(CodeFile),
});
export type MessageArtifacts = z.infer<typeof MessageArtifacts>;

export const StoredCheckOutcome = z.object({ messageId: z.string().nullable(), outcome: CommandCheckOutcome, createdAt: z.number() });
export type StoredCheckOutcome = z.infer<typeof StoredCheckOutcome>;

export const SessionCodeReport = z.object({
  sessionId: z.string(),
  attachments: z.array(CodeFile),
  /** The result message's artifacts: the committee's output (empty without a result or files in it). */
  result: MessageArtifacts.nullable(),
  /** Every message with artifacts, in order (each member's proposals, for the diffs). */
  messages: z.array(MessageArtifacts),
  checks: z.array(StoredCheckOutcome),
});
export type SessionCodeReport = z.infer<typeof SessionCodeReport>;
