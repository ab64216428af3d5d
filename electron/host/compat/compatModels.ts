/**
 * What the OpenAI- and Ollama-compatible routes share: HTTP in front of the engine's `models`
 * service (naming, lazy loading and turns live there, see shared/apiModels.ts). Here a request's
 * `X-LLM-Backend` header becomes the turn's backend, and the service's refusals become statuses.
 */
import type { IncomingMessage } from "node:http";
import { ApiModelError, type ApiModel, type ApiModelErrorReason, type ApiModelTurn } from "../../../shared/apiModels.js";
import type { SeatRef } from "../../../shared/slots.js";
import type { Engine, ModelTurnResult } from "../../engine/Engine.js";
import { HttpError } from "./http.js";

/** What the compatibility routes read: the engine. */
export type CompatServices = Engine;

/** The header that picks a named backend (seed 000). */
export const BACKEND_HEADER = "x-llm-backend";

/** One turn as the routes ask for it; the backend comes from the request's header. */
export type CompatTurn = Omit<ApiModelTurn, "backend">;

const STATUS: Record<ApiModelErrorReason, number> = { "not-found": 404, "bad-request": 400, conflict: 409 };

/** The engine's refusal as the HTTP error it answers with; anything else passes unchanged. */
function asHttp(error: unknown): unknown {
  return error instanceof ApiModelError ? new HttpError(STATUS[error.reason], error.message) : error;
}

async function translated<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw asHttp(error);
  }
}

export class CompatModels {
  constructor(private readonly services: CompatServices) {}

  list(): Promise<ApiModel[]> {
    return translated(() => this.services.models.list());
  }

  resolve(id: string): Promise<ApiModel> {
    return translated(() => this.services.models.resolve(id));
  }

  ensureSeat(model: ApiModel): Promise<SeatRef> {
    return translated(() => this.services.models.load(model.id));
  }

  unload(model: ApiModel): Promise<void> {
    return translated(() => this.services.models.unload(model.id));
  }

  /** Runs one turn where the request says, returning where it ran. */
  generate(req: IncomingMessage, turn: CompatTurn): Promise<ModelTurnResult> {
    const header = req.headers[BACKEND_HEADER];
    const backend = Array.isArray(header) ? header[0] : header;
    return translated(() => this.services.models.generate({ ...turn, ...(backend ? { backend } : {}) }));
  }
}
