/**
 * Backends as seed 000 configures them: named, each with a provider, base URL, model, token cap,
 * weight and price. Every backend is a {@link TurnGenerator}, so the pool and the session runner
 * treat in-process models and remote servers alike.
 */
import type { Routing } from "../../../shared/conversation.js";
import type { BackendConfig } from "../../../shared/backends.js";
import type { TurnGenerator, TurnRequest, TurnResult } from "../conversation/bus/TurnGenerator.js";
import { redact } from "./secrets/redact.js";

// The schemas live in shared/ so the UI validates the same shapes the pool runs on.
export { BackendConfig, BackendProvider, type BackendConfigInput } from "../../../shared/backends.js";

/** A model a backend can serve, as its listing reports it. */
export interface BackendModel {
  id: string;
  sizeBytes: number | null;
}

/** One backend: a turn generator with its configuration and, where the provider has them, model listings. */
export interface Backend extends TurnGenerator {
  readonly config: BackendConfig;
  /** Models the backend can serve right now. */
  listModels(): Promise<BackendModel[]>;
}

/** What a pool request may add to a turn request. */
export interface PoolTurnRequest extends TurnRequest {
  /** A named backend for this request only (seed 000's `X-LLM-Backend`); its fallbacks still apply. */
  backend?: string;
  /** The task or prompt text routing policies score; defaults to the last user turn. */
  task?: string;
  /** Session whose cost and budget this turn counts against. */
  sessionId?: string;
  /** Model id for remote backends that configure none (a pass-through request's own model). */
  model?: string;
}

/** A pool result: the turn plus where it ran and why. */
export interface RoutedTurnResult extends TurnResult {
  routing: Routing;
  /** Cost of this turn on the backend that produced it (0 for local). */
  cost: number;
}

/**
 * A failure a backend reports. `retryable` failures (network, 5xx, timeouts, broken streams) are
 * retried and count against the circuit; the others (4xx, bad configuration) go straight to fallback.
 * The message is redacted as it is made: providers echo keys in their error bodies, and from here a
 * message can reach the session's messages, replies, logs and exports.
 */
export class BackendError extends Error {
  constructor(
    readonly backend: string,
    message: string,
    readonly retryable: boolean,
    readonly status: number | null = null,
    /** What a 429 or 503 answer's `Retry-After` asked for (retryAfter.ts); null when it said nothing. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(redact(`${backend}: ${message}`));
    this.name = "BackendError";
  }
}

/** Wraps any thrown value as a {@link BackendError}; network and abort-by-timeout errors are retryable. */
export function asBackendError(backend: string, error: unknown): BackendError {
  if (error instanceof BackendError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const status = typeof (error as { status_code?: unknown }).status_code === "number" ? (error as { status_code: number }).status_code : null;
  const retryable = status === null ? true : status >= 500 || status === 429 || status === 408;
  return new BackendError(backend, message, retryable, status);
}
