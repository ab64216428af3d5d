/**
 * Token auth for the loopback host.
 *
 * Binding 127.0.0.1 is not enough on its own: any local process, and any web page the user visits
 * (via DNS rebinding or a cross-site WebSocket), can reach a loopback port. So every HTTP request and
 * WebSocket upgrade must prove it knows a random per-run token, given in the URL (`?token=`), in the
 * cookie we set from that URL, or as `Authorization: Bearer <token>`.
 */
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

/** Name of the cookie set after a URL-token request, so assets and the WS need no token in URL. */
export const TOKEN_COOKIE = "conclave_token";

/** A fresh 192-bit URL-safe token. */
export function createToken(): string {
  return randomBytes(24).toString("base64url");
}

/** How a request proved itself, or `null` when it did not. */
export type AuthSource = "url" | "cookie" | "bearer";

/** Checks a request against the token; constant-time so the token cannot be guessed byte by byte. */
export function authenticate(req: IncomingMessage, token: string): AuthSource | null {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  if (matches(url.searchParams.get("token"), token)) return "url";
  const header = req.headers.authorization;
  if (header?.startsWith("Bearer ") && matches(header.slice(7).trim(), token)) return "bearer";
  if (matches(readCookie(req.headers.cookie, TOKEN_COOKIE), token)) return "cookie";
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

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}
