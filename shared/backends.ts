/**
 * Backends as seed 000 configures them, shared by the engine's pool and the UI: named, each with a
 * provider, base URL, model, token cap, weight and price. A config never holds an API key (keys live
 * in the host's SecretStore only), so configs can be stored, exported and shown freely.
 */
import { z } from "zod";

export const BackendProvider = z.enum(["in-process", "ollama", "openai"]);
export type BackendProvider = z.infer<typeof BackendProvider>;

/** The providers a user may add; the in-process `local` backend is built in. */
export const RemoteProvider = z.enum(["ollama", "openai"]);
export type RemoteProvider = z.infer<typeof RemoteProvider>;

/** Name of the built-in in-process backend, always first in the pool. */
export const LOCAL_BACKEND = "local";

export const BackendName = z.string().regex(/^[a-zA-Z0-9_.-]{1,64}$/, "a backend name is 1-64 letters, digits, '_', '.' or '-'");

/** One named backend. Prices are per 1K tokens in USD; 0 for local. */
export const BackendConfig = z.object({
  name: BackendName,
  provider: BackendProvider,
  /** `http://127.0.0.1:11434` for Ollama, `http://host:port/v1` for OpenAI-compatible servers; unused in-process. */
  baseUrl: z.string().default(""),
  /** Remote model id; empty means "the request's role" (in-process) or the model id the caller names. */
  model: z.string().default(""),
  maxTokens: z.number().int().positive().max(32768).default(512),
  enabled: z.boolean().default(true),
  weight: z.number().nonnegative().default(1),
  pricePer1kInput: z.number().nonnegative().default(0),
  pricePer1kOutput: z.number().nonnegative().default(0),
  /** Per attempt: the whole turn must finish within this. */
  timeoutMs: z.number().int().positive().default(120_000),
  /** Extra attempts after the first on a retryable failure. */
  retries: z.number().int().nonnegative().max(10).default(1),
  /** Backends tried in order when this one fails or its circuit is open. */
  fallback: z.array(z.string()).default([]),
  /** Turns in flight on this backend at most; the rest wait (absent: no limit). */
  maxConcurrent: z.number().int().positive().max(1024).optional(),
});
export type BackendConfig = z.output<typeof BackendConfig>;
export type BackendConfigInput = z.input<typeof BackendConfig>;

/** Per-backend monitoring as the registry shows it. */
export const BackendStats = z.object({
  calls: z.number().int().nonnegative(),
  successes: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
  /** 0..1; null before the first call. */
  successRate: z.number().min(0).max(1).nullable(),
  avgLatencyMs: z.number().nonnegative().nullable(),
  p95LatencyMs: z.number().nonnegative().nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: z.number().nullable(),
  circuit: z.enum(["closed", "open", "half-open"]),
});
export type BackendStats = z.infer<typeof BackendStats>;

/** A backend as `backends.list` reports it: its config, its monitoring, and whether a key is stored (never the key). */
export const BackendEntry = z.object({
  config: BackendConfig,
  stats: BackendStats,
  hasApiKey: z.boolean(),
  /** The in-process `local` backend: it can be disabled but not edited or removed. */
  builtIn: z.boolean(),
  /** The running session whose experiment defined this backend (it exists for that session only); null for the app's own. */
  session: z.string().nullable().default(null),
});
export type BackendEntry = z.infer<typeof BackendEntry>;

/**
 * Adds or replaces a remote backend. `apiKey` is write-only: it goes to the host's SecretStore and
 * is never echoed back; leaving it out keeps the stored key, `clearApiKey` deletes it.
 */
export const BackendUpsert = z.object({
  config: BackendConfig.extend({
    provider: RemoteProvider,
    baseUrl: z.string().regex(/^https?:\/\/\S+$/, "a base URL starting with http:// or https://"),
  }),
  apiKey: z.string().min(1).max(4096).optional(),
  clearApiKey: z.boolean().optional(),
});
export type BackendUpsert = z.infer<typeof BackendUpsert>;
export type BackendUpsertInput = z.input<typeof BackendUpsert>;
