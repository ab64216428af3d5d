/**
 * The model library contract: why a model file was refused, the per-file result of a directory
 * scan, and the recommended-model catalog (`models/catalog.json`).
 */
import { z } from "zod";
import { ModelIdentity } from "./slots.js";

/** Why a model file (or reference) could not be used. */
export const ModelFileErrorCode = z.enum([
  /** No file at the path, or a bare name not found in the models directory. */
  "missing-file",
  /** Exists but cannot be read (a directory, a FIFO or device, no permission). */
  "unreadable",
  /** Does not start with the GGUF magic: not a GGUF file at all. */
  "not-gguf",
  /** A GGUF version this engine does not read (only 2 and 3 exist). */
  "unsupported-version",
  /** The header is structurally impossible (bad type ids, absurd counts or lengths). */
  "corrupt",
  /** Shorter than its header says: the header or the tensor data is cut off. */
  "truncated",
  /** A key llama.cpp requires to load the model is absent. */
  "missing-key",
  /** `general.architecture` is not one llama.cpp can run. */
  "unsupported-architecture",
  /** Downloading a remote (`hf:`) model failed. */
  "download-failed",
  /** The operation was cancelled through its AbortSignal. */
  "aborted",
]);
export type ModelFileErrorCode = z.infer<typeof ModelFileErrorCode>;

/** A model file problem as it travels over IPC / WebSocket. */
export const ModelFileProblem = z.object({
  code: ModelFileErrorCode,
  path: z.string(),
  /** Plain-words message naming the file and the problem. */
  message: z.string(),
});
export type ModelFileProblem = z.infer<typeof ModelFileProblem>;

/** One `.gguf` file found by a models-directory scan: its identity, or why it is unusable. */
export const ModelScanEntry = z.discriminatedUnion("ok", [
  z.object({ ok: z.literal(true), path: z.string(), identity: ModelIdentity }),
  z.object({ ok: z.literal(false), path: z.string(), error: ModelFileProblem }),
]);
export type ModelScanEntry = z.infer<typeof ModelScanEntry>;

/** Conversation roles a catalog model is recommended for. */
export const CatalogRole = z.enum(["analyzer", "critic", "optimizer", "writer", "chair", "router", "judge"]);
export type CatalogRole = z.infer<typeof CatalogRole>;

/** A recommended GGUF model. Sizes are approximate (from the publisher's listing), for planning. */
export const CatalogEntry = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "a catalog id is lowercase letters, digits, '.', '_' or '-'"),
  name: z.string().min(1),
  family: z.string().min(1),
  /** node-llama-cpp model URI, e.g. `hf:bartowski/Qwen2.5-7B-Instruct-GGUF:Q4_K_M`. */
  uri: z.string().regex(/^hf:[^\s/]+\/[^\s]+$/, "a catalog uri is an hf: URI"),
  sizeBytes: z.number().int().positive(),
  quantization: z.string().min(1),
  parameterCount: z.number().int().positive(),
  contextLength: z.number().int().positive(),
  /** Smallest unified-memory Mac (GB) on which this model runs comfortably beside others. */
  minRamGb: z.number().int().positive(),
  roles: z.array(CatalogRole).min(1),
  license: z.string().min(1),
  notes: z.string(),
});
export type CatalogEntry = z.infer<typeof CatalogEntry>;

export const Catalog = z.object({
  version: z.literal(1),
  models: z.array(CatalogEntry).min(1).refine(
    (models) => new Set(models.map((m) => m.id)).size === models.length,
    "catalog ids must be unique",
  ),
});
export type Catalog = z.infer<typeof Catalog>;
