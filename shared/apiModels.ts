/**
 * The models the compatible APIs (OpenAI's `/v1/*`, Ollama's `/api/*`) offer: every seated role is a
 * model id — a lab seat as `role:<name>`, a session's seat as `role:<name>@<first 8 characters of the
 * session id>` — and so is every library model (its file name). The engine's `models` service
 * implements them; the host only translates HTTP to these calls.
 */
import type { ChatTurn, ModelIdentity, SamplingInput, SeatRef } from "./slots.js";

/** One model id the compatible APIs list. */
export interface ApiModel {
  id: string;
  kind: "role" | "library";
  /** The seat that serves it now (null for a library model that is not resident). */
  seat: SeatRef | null;
  ref: string;
  identity: ModelIdentity | null;
  /** Whether its weights are in memory now (a parked or loading seat's are not). */
  loaded: boolean;
}

/** One turn asked of a model id, optionally on a named pool backend. */
export interface ApiModelTurn {
  model: string;
  turns: ChatTurn[];
  sampling: Partial<SamplingInput>;
  jsonSchema?: Record<string, unknown>;
  /** The pool backend to run on (the `X-LLM-Backend` header); absent: where the model sits. */
  backend?: string;
  /** Streamed text; `thought` marks the model's thought segment (sent as the API's reasoning field). */
  onToken?: (text: string, thought?: boolean) => void;
  signal?: AbortSignal;
}

/** Why a model request was refused: the transports map each reason to their own status code. */
export type ApiModelErrorReason = "not-found" | "bad-request" | "conflict";

/** A model request the caller got wrong (an unknown id, an unknown backend, a seat not the API's). */
export class ApiModelError extends Error {
  constructor(
    readonly reason: ApiModelErrorReason,
    message: string,
  ) {
    super(message);
    this.name = "ApiModelError";
  }
}

const API_ROLE_PREFIX = "api-";

/** Whether a lab seat is one the API made for a library model (listed as that model, not as a role). */
export function isApiRole(role: string): boolean {
  return role.startsWith(API_ROLE_PREFIX);
}

/** The model id of a seat: `role:<name>` in the lab, `role:<name>@<session prefix>` in a session. */
export function seatModelId(seat: SeatRef): string {
  return seat.sessionId === null ? `role:${seat.role}` : `role:${seat.role}@${seat.sessionId.slice(0, 8)}`;
}

/** The API role that serves a library model: `api-` + the file's base name, made a valid role name. */
export function apiRoleFor(fileName: string): string {
  return (API_ROLE_PREFIX + fileName.replace(/\.gguf$/i, "").replace(/[^a-zA-Z0-9_-]/g, "-")).slice(0, 64);
}
