/**
 * A provider that echoes the API key in its error body (as real providers do: "Incorrect API key
 * provided: …") must not get the key into anything Conclave keeps or sends: the session's messages
 * in the database file and its WAL, RPC replies, `/v1` error bodies, exports and log lines. The
 * provider is a real HTTP server on 127.0.0.1; the key is configured over RPC like a user would.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { WebSocket } from "ws";
import { startTestHost, type TestHost } from "../test/testHosts.js";

// No `sk-` prefix or bearer shape: only the backend's noting of its own key can catch this one.
const KEY = `echo-key-${randomBytes(12).toString("hex")}`;
const logs: string[] = [];
let provider: Server;
let providerBase: string;
let h: TestHost;
let ws: WebSocket;
let nextId = 1;

function rpc(method: string, params: unknown): Promise<{ ok: boolean; result?: unknown; error?: { message: string }; raw: string }> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      const raw = String(data);
      const frame = JSON.parse(raw) as { kind: string; id: number; ok: boolean; result?: unknown; error?: { message: string } };
      if (frame.kind !== "reply" || frame.id !== id) return;
      ws.off("message", onMessage);
      resolve({ ...frame, raw });
    };
    ws.on("message", onMessage);
    ws.send(JSON.stringify({ kind: "request", id, method, params }));
  });
}

before(async () => {
  provider = createServer((req, res) => {
    const key = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    req.resume();
    res.writeHead(401, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${key}. You can find your key at the dashboard.`, type: "invalid_request_error" } }));
  });
  await new Promise<void>((r) => provider.listen(0, "127.0.0.1", () => r()));
  providerBase = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/v1`;
  h = await startTestHost("key-echo", { log: (line: string) => logs.push(line) });
  ws = new WebSocket(`ws://127.0.0.1:${h.host.port}/rpc?token=${h.host.token}`);
  await new Promise((r) => ws.once("open", r));
});
after(async () => {
  ws?.close();
  await h?.close();
  await new Promise((r) => provider?.close(r));
});

test("a key echoed in a provider's error reaches no message, reply, log, export, database or WAL", async () => {
  const upsert = await rpc("backends.upsert", { config: { name: "echo", provider: "openai", baseUrl: providerBase, model: "gpt-echo", retries: 0 }, apiKey: KEY });
  assert.equal(upsert.ok, true, upsert.error?.message);
  assert.equal((await rpc("backends.setEnabled", { name: "local", enabled: false })).ok, true);

  // A session whose only enabled backend is the echoing provider: its turn fails with the echo.
  const created = await rpc("sessions.create", { task: "Say hello.", seed: 1, roles: [{ name: "writer", model: h.modelPath, maxTokens: 8 }], protocol: { kind: "pipeline" } });
  assert.equal(created.ok, true, created.error?.message);
  const sessionId = (created.result as { id: string }).id;
  let status = "";
  for (let i = 0; i < 600 && !["failed", "completed", "aborted"].includes(status); i++) {
    await new Promise((r) => setTimeout(r, 200));
    status = ((await rpc("sessions.get", { sessionId })).result as { status: string }).status;
  }
  assert.equal(status, "failed");
  const messages = await rpc("sessions.messages", { sessionId, offset: 0, limit: 100 });
  assert.match(messages.raw, /every backend failed/, "the failure is recorded on the session");
  assert.match(messages.raw, /Incorrect API key provided: \[redacted\]/, "the echo itself is kept, the key is not");

  // The compatible API through the same backend.
  const viaHttp = await fetch(`${h.base}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${h.host.token}`, "content-type": "application/json", "x-llm-backend": "echo" },
    body: JSON.stringify({ model: h.modelId, messages: [{ role: "user", content: "hi" }], max_tokens: 4 }),
  });
  const httpBody = await viaHttp.text();
  assert.ok(viaHttp.status >= 400, httpBody);
  assert.match(httpBody, /Incorrect API key provided/);

  const exported = await rpc("export.run", { sessionId, format: "json", fileName: "echo.json" });
  assert.equal(exported.ok, true, exported.error?.message);
  const list = await rpc("backends.list", {});

  // Read the database and its WAL while the store is open, as they are on disk mid-run.
  const dbFiles = (await readdir(h.dir)).filter((f) => f.startsWith("conclave.db")).map((f) => join(h.dir, f));
  assert.ok(dbFiles.some((f) => f.endsWith("-wal")), `a WAL file is present: ${dbFiles.join(", ")}`);
  const exportBytes = await readFile((exported.result as { path: string }).path);
  assert.ok(exportBytes.includes("every backend failed"), "the export carries the failure message");

  const places: Array<[string, string | Buffer]> = [
    ["sessions.messages reply", messages.raw],
    ["backends.list reply", list.raw],
    ["/v1 error body", httpBody],
    ["export", exportBytes],
    ["log", logs.join("\n")],
  ];
  for (const f of dbFiles) places.push([f, await readFile(f)]);
  for (const [where, content] of places) assert.equal(content.indexOf(KEY), -1, `${where} holds the key`);
  assert.ok(logs.some((l) => l.includes("echo")), "the failure was logged");
});
