/** Small HTTP helpers the compatibility routes share: bounded JSON bodies, JSON replies, streams. */
import type { ServerResponse } from "node:http";

/** The largest request body the host accepts (the server library answers 413 beyond it). */
export const MAX_BODY = 8 * 1024 * 1024;

/** An error with the HTTP status it should answer with. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A request body (read and size-limited by the server) as JSON; an empty body is `{}`. */
export function parseJsonBody(text: string): unknown {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HttpError(400, "request body is not valid JSON");
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/** An AbortSignal that fires when the client goes away before the reply is finished. */
export function clientGone(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableEnded) controller.abort(new Error("client disconnected"));
  });
  return controller.signal;
}

/** Headers saying where the turn ran (the pool's routing), for clients that want to know. */
export function routingHeaders(routing: { backend: string; reason: string } | null): Record<string, string> {
  if (!routing) return {};
  return { "x-llm-backend": routing.backend, "x-conclave-routing": encodeURIComponent(routing.reason) };
}
