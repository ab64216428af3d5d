/**
 * The compatibility routes as one handler for the loopback host: OpenAI's `/v1/*` and Ollama's
 * `/api/*`. The host authenticates first (clients send the token as their API key, which both
 * official clients put in `Authorization: Bearer`), reads the body within its limit, then hands the
 * raw request and response here; the handler resolves true when it answered.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Engine } from "../../engine/Engine.js";
import { ollamaRoutes } from "./ollamaRoutes.js";
import { openaiRoutes } from "./openaiRoutes.js";

/** `body` is the request body as text, already read and size-limited by the server. */
export type CompatHandler = (req: IncomingMessage, res: ServerResponse, url: URL, body: string) => Promise<boolean>;

/** One handler over both route sets, in front of the engine's `models` service (which serves `X-LLM-Backend` too). */
export function compatRoutes(services: Engine): CompatHandler {
  const openai = openaiRoutes(services);
  const ollama = ollamaRoutes(services);
  return async (req, res, url, body) => (await openai(req, res, url, body)) || (await ollama(req, res, url, body));
}
