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

/** How deep a JSON schema from a client may nest; real response schemas stay within a dozen levels. */
export const MAX_SCHEMA_DEPTH = 64;

/**
 * Refuses a client's JSON schema nested deeper than {@link MAX_SCHEMA_DEPTH} with a 400 naming the
 * field: a grammar built from a 2,000-level schema recurses as deep, past the stack. Iterative, so
 * the check itself cannot overflow.
 */
export function checkSchemaDepth(schema: unknown, field: string): void {
  const stack: Array<[unknown, number]> = [[schema, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (value === null || typeof value !== "object") continue;
    if (depth > MAX_SCHEMA_DEPTH) throw new HttpError(400, `invalid request: ${field}: the schema nests deeper than ${MAX_SCHEMA_DEPTH} levels`);
    for (const child of Object.values(value)) stack.push([child, depth + 1]);
  }
}
