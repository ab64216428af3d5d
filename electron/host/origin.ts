/**
 * Which web origins may drive the host, and which requests must be checked.
 *
 * The token cookie is `SameSite=Strict`, but cookies ignore ports: a page served on another
 * localhost port is same-site, so its browser sends our cookie with its requests and WebSocket
 * upgrades. Browsers always send `Origin` on those, so the host accepts only its own origin there.
 * The Electron shell's renderer talks to the engine over IPC, never over this host, so it needs no
 * entry. A request without `Origin` comes from a non-browser client (the openai and ollama SDKs,
 * curl), which cannot be made to carry someone else's cookie and still has to prove the token.
 */

/** The origins the host's own pages have. */
export function allowedOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Whether `method` can change state (and so needs an Origin check when a browser sends it). */
export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * Null when `origin` may proceed, else the reason it may not. A missing header is a non-browser
 * client; `null` (sandboxed frames, file pages, data: URLs) and every other origin are refused.
 */
export function originRefusal(origin: string | string[] | undefined, port: number): string | null {
  if (origin === undefined) return null;
  const value = Array.isArray(origin) ? origin.join(", ") : origin;
  if (allowedOrigins(port).includes(value)) return null;
  return `origin ${JSON.stringify(value.slice(0, 120))} is not allowed; only ${allowedOrigins(port).join(" and ")} may use this host`;
}
