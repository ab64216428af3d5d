/**
 * Token auth for the loopback host.
 *
 * Binding 127.0.0.1 is not enough on its own: any local process, and any web page the user visits
 * (via DNS rebinding or a cross-site WebSocket), can reach a loopback port. So every HTTP request and
 * WebSocket upgrade must prove it knows a random per-run token, given in the URL (`?token=`), in the
 * cookie we set from that URL, or as `Authorization: Bearer <token>`.
 *
 * Everything read here is attacker-controlled: the query and cookies arrive already parsed by the
 * server library (whose decoders answer a malformed escape with the raw text, never an exception),
 * and nothing here decodes again.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";

/** Name of the cookie set after a URL-token request, so assets and the WS need no token in URL. */
export const TOKEN_COOKIE = "conclave_token";

/** A fresh 192-bit URL-safe token. */
export function createToken(): string {
  return randomBytes(24).toString("base64url");
}

/** How a request proved itself, or `null` when it did not. */
export type AuthSource = "url" | "cookie" | "bearer";

/** The parts of a request that may carry the token, as the server library parsed them. */
export interface Credentials {
  /** The parsed query string; a repeated key is an array. */
  query: unknown;
  authorization: string | undefined;
  /** The parsed Cookie header. */
  cookies: Record<string, string | undefined> | undefined;
}

/** Checks a request against the token; constant-time so the token cannot be guessed byte by byte. */
export function authenticate(credentials: Credentials, token: string): AuthSource | null {
  const query = credentials.query;
  const fromUrl = query !== null && typeof query === "object" ? (query as Record<string, unknown>).token : undefined;
  if (typeof fromUrl === "string" && matches(fromUrl, token)) return "url";
  const header = credentials.authorization;
  if (typeof header === "string" && header.startsWith("Bearer ") && matches(header.slice(7).trim(), token)) return "bearer";
  if (matches(credentials.cookies?.[TOKEN_COOKIE], token)) return "cookie";
  return null;
}

/** The Set-Cookie value that lets the page's later requests authenticate without the URL token. */
export function tokenCookie(token: string): string {
  // HttpOnly: page scripts never need it; SameSite=Strict: other sites cannot make the browser send it.
  return `${TOKEN_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}

function matches(candidate: string | null | undefined, token: string): boolean {
  if (!candidate) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}
