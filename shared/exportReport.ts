/**
 * What an export reports about its own output: a validation report in the manner of OpenAI's
 * dataset checker (errors counted by kind, tokens per example), and each record's provenance (the
 * `metadata` of formats that tolerate extra fields, the `<file>.provenance.jsonl` sidecar of those
 * that do not). Declared once here; the engine fills them, the CLI prints them, the RPC and the
 * export dialog carry them.
 */
import { z } from "zod";
import { SamplingParams } from "./slots.js";

/**
 * Error kinds. The first seven are OpenAI's dataset checker's own; the rest are the stricter rules of
 * the other formats' readers (LLaMA-Factory's alternation, TRL's pairs, OpenAI's `name` pattern).
 */
export const ExportIssueKind = z.enum([
  "data_type",
  "missing_messages_list",
  "message_missing_key",
  "message_unrecognized_key",
  "unrecognized_role",
  "missing_content",
  "example_missing_assistant_message",
  "unrecognized_key",
  "invalid_name",
  "invalid_weight",
  "turn_order",
  "identical_pair",
]);
export type ExportIssueKind = z.infer<typeof ExportIssueKind>;

export const ExportIssue = z.object({ kind: ExportIssueKind, message: z.string() });
export type ExportIssue = z.infer<typeof ExportIssue>;

export const ExportValidation = z.object({
  /** Records checked (every record written). */
  examples: z.number().int().nonnegative(),
  /** Records with no issue. */
  valid: z.number().int().nonnegative(),
  /** Issue counts by kind (kinds with no issue are left out). */
  errors: z.partialRecord(ExportIssueKind, z.number().int().positive()),
  /** The first few issues, with the record (0-based line) they were found in. */
  samples: z.array(ExportIssue.extend({ record: z.number().int().nonnegative() })),
  /**
   * Tokens per example, estimated at 4 characters a token over every text field (the exporter knows no
   * tokenizer of the model that will be trained); null for an empty export.
   */
  tokens: z
    .object({ total: z.number().int().nonnegative(), min: z.number().int().nonnegative(), max: z.number().int().nonnegative(), mean: z.number().nonnegative() })
    .nullable(),
});
export type ExportValidation = z.infer<typeof ExportValidation>;

/** Which model produced a message, how, and what the committee made of it. */
export const MessageProvenanceRecord = z.object({
  messageId: z.string(),
  role: z.string(),
  type: z.string(),
  round: z.number().int().nullable(),
  model: z
    .object({
      fingerprint: z.string(),
      name: z.string(),
      fileName: z.string().nullable(),
      quantization: z.string(),
      architecture: z.string().nullable(),
    })
    .nullable(),
  sampling: SamplingParams.nullable(),
  seed: z.number().int().nullable(),
  /** The inference runtime that generated it, e.g. `node-llama-cpp@3.21.1`; null when it was not recorded. */
  runtime: z.string().nullable(),
  /** The vote context: votes received, their mean value, explicit ratings, and the resulting 0..1 quality. */
  votes: z.object({
    received: z.number().int().nonnegative(),
    meanScore: z.number().nullable(),
    ratings: z.number().int().nonnegative(),
    quality: z.number().nullable(),
  }),
  /** Code sessions: the workspace paths of the files this message wrote (its artifacts). */
  artifacts: z.array(z.string()).optional(),
  /** Code sessions: the last command check run on this message's artifacts. */
  check: z
    .object({ command: z.array(z.string()), passed: z.boolean(), exitCode: z.number().int().nullable(), killedBy: z.string().nullable(), durationMs: z.number().nullable(), sandbox: z.string().nullable() })
    .nullable()
    .optional(),
});
export type MessageProvenanceRecord = z.infer<typeof MessageProvenanceRecord>;

/** One exported record's provenance. */
export const RecordProvenance = z.object({
  sessionId: z.string(),
  /** The committee protocol the session ran. */
  protocol: z.string(),
  /** The trained-on turn (SFT formats). */
  target: MessageProvenanceRecord.nullable(),
  /** Ids of the messages the record's prompt or context carries, oldest first. */
  context: z.array(z.string()),
  /** Preference formats: where the pair came from and both sides. */
  pair: z
    .object({
      source: z.enum(["votes", "ratings", "revision", "checker", "baseline", "human"]),
      /** Who preferred the chosen answer, when one judge did (a checker, a person, a judge model). */
      judge: z.string().nullable(),
      chosen: MessageProvenanceRecord,
      rejected: MessageProvenanceRecord,
    })
    .nullable(),
});
export type RecordProvenance = z.infer<typeof RecordProvenance>;

/**
 * What an export did with the thoughts (reasoning segments) of the turns it trained on, each
 * format by its convention: TRL's conversational pairs carry a `thinking` key on the assistant
 * message, LLaMA-Factory's reasoning templates read `<think>…</think>` at the start of the content,
 * OpenAI chat has no place for them (dropped, and counted), the full-session JSON keeps them.
 */
export const ThoughtExport = z.object({
  handling: z.enum(["thinking-key", "think-tags", "dropped", "kept"]),
  /** Trained-on turns (or preference answers) that carried a thought. */
  withThought: z.number().int().nonnegative(),
  /** Of those, thoughts the format could not carry and left out. */
  dropped: z.number().int().nonnegative(),
});
export type ThoughtExport = z.infer<typeof ThoughtExport>;
