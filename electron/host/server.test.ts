import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { request } from "node:http";
import { WebSocket } from "ws";
import { startHost, listeningLine, type RunningHost } from "./server.js";
import { createEngine } from "../engine/createEngine.js";
import type { Engine } from "../engine/Engine.js";

interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}, method = "GET", body = ""): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers, method }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** Resolves with the HTTP status the upgrade was refused with, or 101 when it opened. */
function wsStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on("open", () => {
      ws.close();
      resolve(101);
    });
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.on("error", reject);
  });
}

function rpc(ws: WebSocket, frame: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      const parsed = JSON.parse(String(data)) as Record<string, unknown>;
      if (parsed.kind !== "reply") return;
      ws.off("message", onMessage);
      resolve(parsed);
    };
    ws.on("message", onMessage);
    ws.send(JSON.stringify(frame));
  });
}

describe("loopback host", () => {
  let host: RunningHost;
  let engine: Engine;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "conclave-host-"));
    const staticDir = join(dir, "renderer");
    await mkdir(staticDir);
    await writeFile(join(staticDir, "index.html"), "<!doctype html><title>Conclave</title>");
    await mkdir(join(dir, "exports"));
    await writeFile(join(dir, "exports", "s.jsonl"), "{}\n");
    // A real engine on a throwaway database; nothing here loads a model.
    engine = await createEngine({ dbPath: join(dir, "c.db"), modelsDir: join(dir, "models"), exportDir: join(dir, "exports"), stateRoot: join(dir, "state"), log: () => undefined });
    host = await startHost({ engine, staticDir });
  });

  after(async () => {
    await host.close();
    await engine.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it("prints the exact listening line with a 127.0.0.1 URL and token", () => {
    assert.match(listeningLine(host), /^Conclave listening on http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
  });

  it("refuses tokenless and wrong-token HTTP requests with 401", async () => {
    assert.equal((await get(host.port, "/")).status, 401);
    assert.equal((await get(host.port, "/index.html")).status, 401);
    assert.equal((await get(host.port, "/exports/s.jsonl")).status, 401);
    assert.equal((await get(host.port, "/?token=wrong")).status, 401);
    assert.equal((await get(host.port, "/", { authorization: "Bearer wrong" })).status, 401);
    assert.equal((await get(host.port, "/", { cookie: "conclave_token=wrong" })).status, 401);
  });

  it("accepts the token in the URL (setting a cookie), as a cookie, and as a bearer header", async () => {
    const viaUrl = await get(host.port, `/?token=${host.token}`);
    assert.equal(viaUrl.status, 200);
    assert.match(viaUrl.body, /Conclave/);
    const cookie = String(viaUrl.headers["set-cookie"]);
    assert.match(cookie, /conclave_token=.+HttpOnly; SameSite=Strict/);
    assert.match(String(viaUrl.headers["content-security-policy"]), /default-src 'self'/);
    assert.equal((await get(host.port, "/", { cookie: cookie.split(";")[0] ?? "" })).status, 200);
    assert.equal((await get(host.port, "/", { authorization: `Bearer ${host.token}` })).status, 200);
    const download = await get(host.port, `/exports/s.jsonl?token=${host.token}`);
    assert.equal(download.status, 200);
    assert.match(String(download.headers["content-disposition"]), /attachment/);
  });

  it("refuses a foreign Host header (DNS rebinding) even with the token", async () => {
    assert.equal((await get(host.port, `/?token=${host.token}`, { host: "evil.example" })).status, 403);
  });

  it("refuses tokenless WebSocket upgrades with 401", async () => {
    const base = `ws://127.0.0.1:${host.port}/rpc`;
    assert.equal(await wsStatus(base), 401);
    assert.equal(await wsStatus(`${base}?token=nope`), 401);
    assert.equal(await wsStatus(`${base}?token=${host.token}`), 101);
    assert.equal(await wsStatus(base, { authorization: `Bearer ${host.token}` }), 101);
    assert.equal(await wsStatus(base, { cookie: `conclave_token=${host.token}` }), 101);
  });

  it("answers malformed escapes in the token cookie, the path and the query with 4xx, never a crash", async () => {
    const base = `ws://127.0.0.1:${host.port}/rpc`;
    assert.equal(await wsStatus(base, { cookie: "conclave_token=%E0%A4%A" }), 401);
    assert.equal(await wsStatus(base, { cookie: "conclave_token=%" }), 401);
    assert.equal((await get(host.port, "/", { cookie: "conclave_token=%E0%A4%A" })).status, 401);
    const auth = { authorization: `Bearer ${host.token}` };
    assert.equal((await get(host.port, "/%E0%A4%A", auth)).status, 400);
    assert.equal((await get(host.port, "/exports/%E0%A4%A", auth)).status, 400);
    assert.equal((await get(host.port, "/?token=%E0%A4%A")).status, 401);
    assert.equal(await wsStatus(`ws://127.0.0.1:${host.port}/%E0%A4%A?token=${host.token}`), 400);
    // Still alive and serving.
    assert.equal((await get(host.port, "/", auth)).status, 200);
  });

  it("serves exports only from the export folder: `.`, `..` and escapes are not found", async () => {
    const auth = { authorization: `Bearer ${host.token}` };
    for (const path of ["/exports/..", "/exports/.", "/exports/%2e%2e", "/exports/..%2fexports%2fs.jsonl", "/exports/%2e%2e%2frenderer%2findex.html", "/exports/missing.jsonl"]) {
      const r = await get(host.port, path, auth);
      assert.ok(r.status === 404 || r.status === 400 || r.status === 403, `${path} → ${r.status}`);
      assert.doesNotMatch(r.body, /Conclave/, path);
    }
  });

  it("upgrades only /rpc", async () => {
    assert.equal(await wsStatus(`ws://127.0.0.1:${host.port}/elsewhere?token=${host.token}`), 404);
  });

  it("refuses WebSocket upgrades from a foreign Origin, even with a valid cookie", async () => {
    const base = `ws://127.0.0.1:${host.port}/rpc`;
    const cookie = `conclave_token=${host.token}`;
    for (const origin of [`http://localhost:${host.port + 1}`, "null", "http://evil.example", `https://127.0.0.1:${host.port}`, "file://"]) {
      assert.equal(await wsStatus(base, { cookie, origin }), 403, origin);
    }
    assert.equal(await wsStatus(base, { cookie, origin: `http://127.0.0.1:${host.port}` }), 101);
    assert.equal(await wsStatus(base, { cookie, origin: `http://localhost:${host.port}` }), 101);
    // Non-browser clients send no Origin; the token still decides.
    assert.equal(await wsStatus(base, { cookie }), 101);
  });

  it("refuses state-changing HTTP requests from a foreign Origin; a client without Origin still works", async () => {
    const headers = { cookie: `conclave_token=${host.token}`, "content-type": "application/json" };
    const body = JSON.stringify({ model: "m", messages: [] });
    const foreign = await get(host.port, "/v1/chat/completions", { ...headers, origin: `http://localhost:${host.port + 1}` }, "POST", body);
    assert.equal(foreign.status, 403);
    assert.match(foreign.body, /origin/);
    assert.equal((await get(host.port, "/api/chat", { ...headers, origin: "null" }, "POST", body)).status, 403);
    // Own origin and no origin reach the route (which refuses the empty messages with a 400 of its own).
    const own = await get(host.port, "/v1/chat/completions", { ...headers, origin: `http://127.0.0.1:${host.port}` }, "POST", body);
    assert.equal(own.status, 400);
    assert.match(own.body, /messages/);
    assert.equal((await get(host.port, "/v1/chat/completions", headers, "POST", body)).status, 400);
    // Reads are not state-changing: a foreign Origin on GET is left to the browser's CORS.
    assert.equal((await get(host.port, "/", { ...headers, origin: "http://evil.example" })).status, 200);
  });

  it("answers a body over the limit with 413 and bad JSON with 400", async () => {
    const auth = { authorization: `Bearer ${host.token}`, "content-type": "application/json" };
    assert.equal((await get(host.port, "/v1/chat/completions", auth, "POST", "x".repeat(9 * 1024 * 1024))).status, 413);
    const bad = await get(host.port, "/v1/chat/completions", auth, "POST", "{not json");
    assert.equal(bad.status, 400);
    assert.match(bad.body, /not valid JSON/);
  });

  it("dispatches validated RPC over the socket and rejects bad frames", async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${host.token}`);
    await new Promise((r) => ws.once("open", r));
    const ok = await rpc(ws, { kind: "request", id: 1, method: "slots.list", params: {} });
    assert.deepEqual(ok, { kind: "reply", id: 1, ok: true, result: [] });
    const unknown = await rpc(ws, { kind: "request", id: 2, method: "slots.explode", params: {} });
    assert.equal((unknown.error as { code: string }).code, "unknown-method");
    const bad = await rpc(ws, { kind: "request", id: 3, method: "slots.unload", params: { role: "no spaces allowed" } });
    assert.equal((bad.error as { code: string }).code, "invalid-params");
    const escape = await rpc(ws, { kind: "request", id: 4, method: "export.run", params: { sessionId: "s", format: "json", fileName: "../../etc/passwd" } });
    assert.equal((escape.error as { code: string }).code, "invalid-params");
    for (const [i, fileName] of [".", ".."].entries()) {
      const dots = await rpc(ws, { kind: "request", id: 10 + i, method: "export.run", params: { sessionId: "s", format: "json", fileName } });
      assert.equal((dots.error as { code: string }).code, "invalid-params", fileName);
    }
    const failing = await rpc(ws, { kind: "request", id: 5, method: "sessions.get", params: { sessionId: "no-such-session" } });
    assert.equal((failing.error as { code: string }).code, "failed");
    assert.match((failing.error as { message: string }).message, /no-such-session/);
    ws.close();
  });

  it("closes a socket that sends an oversized frame with 1009 (message too big), and keeps serving", async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${host.token}`);
    await new Promise((r) => ws.once("open", r));
    // A reset connection (the server destroying a socket with unread bytes) is what a browser
    // reports as 1006; the close must be an orderly one.
    const errors: string[] = [];
    ws.on("error", (error) => errors.push(error.message));
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    ws.send(JSON.stringify({ kind: "request", id: 1, method: "slots.list", params: { pad: "x".repeat(10 * 1024 * 1024) } }));
    assert.equal(await closed, 1009);
    assert.deepEqual(errors, []);
    const again = new WebSocket(`ws://127.0.0.1:${host.port}/rpc?token=${host.token}`);
    await new Promise((r) => again.once("open", r));
    assert.equal((await rpc(again, { kind: "request", id: 2, method: "slots.list", params: {} })).ok, true);
    again.close();
  });
});
