/**
 * The compatibility routes as one handler for the loopback host: OpenAI's `/v1/*` and Ollama's
 * `/api/*`. The host authenticates first (clients send the token as their API key, which both
 * official clients put in `Authorization: Bearer`), then offers each request here before its own
 * routes; the handler resolves true when it answered.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Engine } from "../../engine/Engine.js";
import { ollamaRoutes } from "./ollamaRoutes.js";
import { openaiRoutes } from "./openaiRoutes.js";

export type CompatHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

/** One handler over both route sets; `services.backends` (the host's BackendPool) serves `X-LLM-Backend`. */
export function compatRoutes(services: Engine): CompatHandler {
  const openai = openaiRoutes(services);
  const ollama = ollamaRoutes(services);
  return async (req, res, url) => (await openai(req, res, url)) || (await ollama(req, res, url));
}
