/**
 * The loopback host: one HTTP server on 127.0.0.1 that serves the built renderer, export downloads
 * and the RPC WebSocket, all behind the per-run token (see auth.ts).
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve, sep } from "node:path";
import { WebSocketServer } from "ws";
import { authenticate, createToken, tokenCookie } from "./auth.js";
import { compatRoutes } from "./compat/index.js";
import { RpcDispatcher } from "./dispatcher.js";
import type { Engine } from "../engine/Engine.js";
import { attachConnection } from "./wsTransport.js";

/** Where the RPC WebSocket lives. */
export const RPC_PATH = "/rpc";
const EXPORT_PREFIX = "/exports/";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
};

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
  const dispatcher = new RpcDispatcher(options.engine, {
    exportUrl: (fileName) => `${EXPORT_PREFIX}${encodeURIComponent(fileName)}`,
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  const compat = compatRoutes(options.engine);
  let port = 0;

  const server = createServer((req, res) => {
    void handleHttp(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(error instanceof Error ? error.message : "internal error");
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req, port)) return deny(res, 403, "forbidden host");
    const source = authenticate(req, token);
    if (!source) return deny(res, 401, "missing or wrong token: open the URL printed by `conclave serve`");
    const headers: Record<string, string> = securityHeaders(port);
    if (source === "url") headers["set-cookie"] = tokenCookie(token);
    if (await compat(req, res, new URL(req.url ?? "/", "http://127.0.0.1"))) return;
    if (req.method !== "GET" && req.method !== "HEAD") return deny(res, 405, "method not allowed");
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    if (path.startsWith(EXPORT_PREFIX)) {
      const file = safeJoin(options.engine.exportDir, path.slice(EXPORT_PREFIX.length));
      if (!file) return deny(res, 404, "not found");
      headers["content-disposition"] = `attachment; filename="${path.slice(EXPORT_PREFIX.length).replace(/"/g, "")}"`;
      return sendFile(res, file, headers, "application/octet-stream");
    }
    const file = safeJoin(options.staticDir, path === "/" ? "index.html" : path.slice(1));
    if (file && (await isFile(file))) return sendFile(res, file, headers);
    // Client-side routes fall back to the app shell; a missing build gets a plain explanation.
    const index = join(options.staticDir, "index.html");
    if (await isFile(index)) return sendFile(res, index, headers);
    res.writeHead(503, { ...headers, "content-type": "text/plain; charset=utf-8" });
    res.end("The renderer is not built. Run `npm run build` (vite build) and restart `conclave serve`.\n");
  }

  server.on("upgrade", (req, socket, head) => {
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    const refuse = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (!hostAllowed(req, port)) return refuse(403, "Forbidden");
    if (!authenticate(req, token)) return refuse(401, "Unauthorized");
    if (path !== RPC_PATH) return refuse(404, "Not Found");
    wss.handleUpgrade(req, socket, head, (ws) => attachConnection(ws, dispatcher));
  });

  await new Promise<void>((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    dispatcher,
    async close() {
      dispatcher.close();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The exact line `conclave serve` prints (tests and scripts parse it). */
export function listeningLine(host: Pick<RunningHost, "url">): string {
  return `Conclave listening on ${host.url}`;
}

/** Rejects DNS-rebinding requests: only loopback names for our own port are accepted. */
function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  if (!host) return false;
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

function deny(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  res.end(`${status} ${text}\n`);
}

/** Joins `rel` under `root`, or null if it would escape it. */
function safeJoin(root: string, rel: string): string | null {
  const base = resolve(root);
  const full = resolve(base, rel);
  return full === base || full.startsWith(base + sep) ? full : null;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function sendFile(res: ServerResponse, file: string, headers: Record<string, string>, type?: string): Promise<void> {
  if (!(await isFile(file))) return deny(res, 404, "not found");
  res.writeHead(200, { ...headers, "content-type": type ?? CONTENT_TYPES[extname(file)] ?? "application/octet-stream" });
  createReadStream(file).pipe(res);
}
