/**
 * The loopback host: one HTTP server on 127.0.0.1 that serves the built renderer, export downloads,
 * the OpenAI/Ollama-compatible API and the RPC WebSocket, all behind the per-run token (auth.ts).
 *
 * Built on Fastify so the parts that take hostile bytes — request parsing, URL and cookie
 * decoding, body limits, static files and the WebSocket upgrade — are a maintained library's, and
 * a malformed request gets a 4xx from its router instead of reaching our code as an exception.
 * What is ours runs as one `onRequest` gate, in order: Host header (DNS rebinding), token, Origin.
 */
import { stat } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { basename, dirname, join, resolve } from "node:path";
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from "fastify";
import fastifyCookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import fastifyWebsocket from "@fastify/websocket";
import { authenticate, createToken, tokenCookie } from "./auth.js";
import { compatRoutes } from "./compat/index.js";
import { MAX_BODY, sendJson } from "./compat/http.js";
import { RpcDispatcher } from "./dispatcher.js";
import { isStateChanging, originRefusal } from "./origin.js";
import type { Engine } from "../engine/Engine.js";
import { attachConnection } from "./wsTransport.js";

/** Where the RPC WebSocket lives. */
export const RPC_PATH = "/rpc";
const EXPORT_PREFIX = "/exports/";
const COMPAT_PREFIXES = ["/v1/", "/api/"];

export interface HostOptions {
  engine: Engine;
  /** Built renderer (vite outDir). */
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token for tests; a random one otherwise. */
  token?: string;
}

export interface RunningHost {
  port: number;
  token: string;
  /** The URL to open, token included: `http://127.0.0.1:<port>/?token=<token>`. */
  url: string;
  dispatcher: RpcDispatcher;
  /** Closes sockets and the server; does not dispose the engine (whoever created it owns it). */
  close(): Promise<void>;
}

/** Starts the host bound to 127.0.0.1 only. */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? createToken();
  const staticDir = resolve(options.staticDir);
  const dispatcher = new RpcDispatcher(options.engine, {
    exportUrl: (fileName) => `${EXPORT_PREFIX}${encodeURIComponent(fileName)}`,
  });
  const compat = compatRoutes(options.engine);
  let port = 0;

  const app = Fastify({
    logger: false,
    bodyLimit: MAX_BODY,
    forceCloseConnections: true,
    routerOptions: { maxParamLength: 1024 },
    return503OnClosing: true,
    // A URL the router cannot decode never reaches a route (nor the hooks that end a refused
    // upgrade's socket), so an upgrade refused here must end its socket itself, or it lingers.
    frameworkErrors(error, req, reply) {
      if (req.raw.headers.upgrade !== undefined) reply.raw.once("finish", () => req.raw.socket.destroy());
      return deny(reply, 400, error.message);
    },
  });
  await app.register(fastifyCookie);
  await app.register(fastifyWebsocket, {
    options: { maxPayload: 4 * 1024 * 1024 },
    // Terminate rather than close: a client that never answers the close handshake must not hold shutdown.
    preClose(done) {
      for (const client of app.websocketServer.clients) client.terminate();
      app.websocketServer.close(() => done());
    },
    errorHandler(_error, socket) {
      // A protocol error (a frame over maxPayload, bad UTF-8) has already been answered by `ws`
      // with a close frame naming it (1009, 1007…); terminating now would reset the connection
      // under unread bytes, and a browser reports that as an abrupt 1006 instead of the reason.
      if (socket.readyState === socket.CLOSING || socket.readyState === socket.CLOSED) return;
      socket.terminate();
    },
  });
  // Bodies are read as text whatever their type: the compatible routes parse JSON themselves, so a
  // missing or odd content-type from a client never turns into a 415.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string" }, (_req, body, done) => done(null, body));

  app.addHook("onRequest", async (req, reply) => {
    const refusal = gate(req, token, port);
    if (refusal) return deny(reply, refusal.status, refusal.text);
    if (req.ws && req.routeOptions.url !== RPC_PATH) return deny(reply, 404, "not found");
    void reply.headers(securityHeaders(port));
    if (authenticate(credentials(req), token) === "url") void reply.header("set-cookie", tokenCookie(token));
  });

  app.setErrorHandler((error: FastifyError, req, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    const text = status >= 500 ? "internal error" : error.message;
    if (COMPAT_PREFIXES.some((p) => req.url.startsWith(p))) {
      return reply.code(status).type("application/json").send(req.url.startsWith("/v1/") ? { error: { message: text, type: "invalid_request_error", code: null } } : { error: text });
    }
    return deny(reply, status, text);
  });

  app.get(RPC_PATH, { websocket: true }, (socket) => attachConnection(socket, dispatcher));

  for (const prefix of COMPAT_PREFIXES) {
    app.all(`${prefix}*`, async (req, reply) => {
      reply.hijack();
      // URL parsing resolves dot segments, so `/api/../` reaches neither route set; whatever no
      // handler answered gets a 404 here, since a hijacked reply is never finished by the framework.
      const url = new URL(req.url, "http://127.0.0.1");
      const answered = await compat(req.raw, reply.raw, url, typeof req.body === "string" ? req.body : "");
      if (!answered && !reply.raw.headersSent) sendJson(reply.raw, 404, { error: `no route ${req.method} ${url.pathname}` }, { connection: "close" });
    });
  }

  app.get(`${EXPORT_PREFIX}:name`, async (req, reply) => {
    const { name } = req.params as { name: string };
    // The router has decoded the name; `/` cannot appear in it, and `.`/`..` are the only escapes
    // left: the engine finds only plain files directly in its export folder.
    const file = await options.engine.export.find(name);
    if (!file) return deny(reply, 404, "not found");
    void reply.header("content-disposition", `attachment; filename="${name.replace(/["\\\r\n]/g, "")}"`);
    return reply.type("application/octet-stream").sendFile(basename(file), dirname(file), { dotfiles: "allow" });
  });

  await app.register(fastifyStatic, { root: staticDir, wildcard: true, index: ["index.html"], cacheControl: false, etag: false, lastModified: false });

  app.setNotFoundHandler(async (req, reply) => {
    if (req.method !== "GET" && req.method !== "HEAD") return deny(reply, 405, "method not allowed");
    // Client-side routes fall back to the app shell; a missing build gets a plain explanation.
    if (await isFile(join(staticDir, "index.html"))) return reply.sendFile("index.html", staticDir);
    return reply
      .code(503)
      .type("text/plain; charset=utf-8")
      .send("The renderer is not built. Run `npm run build` (vite build) and restart `conclave serve`.\n");
  });

  await app.listen({ port: options.port ?? 0, host: "127.0.0.1" });
  port = (app.server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    dispatcher,
    async close() {
      dispatcher.close();
      await app.close();
    },
  };
}

/** The exact line `conclave serve` prints (tests and scripts parse it). */
export function listeningLine(host: Pick<RunningHost, "url">): string {
  return `Conclave listening on ${host.url}`;
}

/** Host, token and Origin, in that order; null when the request may proceed. */
function gate(req: FastifyRequest, token: string, port: number): { status: number; text: string } | null {
  if (!hostAllowed(req.headers.host, port)) return { status: 403, text: "forbidden host" };
  if (!authenticate(credentials(req), token)) return { status: 401, text: "missing or wrong token: open the URL printed by `conclave serve`" };
  if (req.ws || isStateChanging(req.method)) {
    const refusal = originRefusal(req.headers.origin, port);
    if (refusal) return { status: 403, text: refusal };
  }
  return null;
}

function credentials(req: FastifyRequest): Parameters<typeof authenticate>[0] {
  return { query: req.query, authorization: req.headers.authorization, cookies: req.cookies };
}

/** Rejects DNS-rebinding requests: only loopback names for our own port are accepted. */
function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

function securityHeaders(port: number): Record<string, string> {
  return {
    "content-security-policy":
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; ` +
      `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
  };
}

function deny(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply.code(status).headers({ "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", connection: "close" }).send(`${status} ${text}\n`);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
