/**
 * Property test over the host's request surface: random bytes, and well-formed-looking HTTP
 * requests and WebSocket upgrades whose paths, cookies (the token cookie above all) and headers
 * carry random percent-escapes and odd characters, with and without the token. Every request must
 * get an answer below 500 (or a closed connection for bytes that are not HTTP), and after the run
 * the same host still serves the app and the RPC socket. Runs against a real host over composed
 * services on raw TCP sockets, so nothing the client library would refuse to send is left out.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { connect } from "node:net";
import fc from "fast-check";
import { WebSocket } from "ws";
import { startTestHost, type TestHost } from "./test/testHosts.js";

let h: TestHost;
before(async () => {
  h = await startTestHost("fuzz");
});
after(async () => h?.close());

/** What came back for one raw request: the status code, or null when the host closed without one. */
interface Answer {
  status: number | null;
  head: string;
}

/**
 * Sends raw bytes, reads until the status line (or the close); a silent host past the limit is a
 * hang. Bytes that are not HTTP are followed by a half-close, so the parser sees their end.
 */
function send(bytes: Uint8Array | string, limitMs = 20_000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(h.host.port, "127.0.0.1");
    let head = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${limitMs} ms to ${JSON.stringify(String(bytes).slice(0, 200))}`));
    }, limitMs);
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      resolve({ status: m ? Number(m[1]) : null, head: head.slice(0, 300) });
    };
    socket.on("data", (chunk: Buffer) => {
      head += chunk.toString("latin1");
      if (head.includes("\r\n")) finish();
    });
    socket.on("end", finish);
    socket.on("close", finish);
    socket.on("error", finish);
    socket.write(bytes);
    if (typeof bytes !== "string") socket.end();
  });
}

const hex = fc.constantFrom(..."0123456789abcdefABCDEFgz%".split(""));
/** A percent-escape that is often malformed: `%`, `%E`, `%E0%A4%A`, `%zz`, `%00`, overlong UTF-8… */
const escape = fc.oneof(
  fc.array(hex, { minLength: 0, maxLength: 2 }).map((c) => `%${c.join("")}`),
  fc.constantFrom("%E0%A4%A", "%C0%AF", "%ED%A0%80", "%FF", "%00", "%25", "%2e%2e%2f", "..%2f", "%%", "%u0041"),
);
const printable = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 12 });
/** Text for a header value or a path segment: printable ASCII mixed with escapes and a few high bytes. */
const fuzzText = fc
  .array(fc.oneof(printable, escape, fc.constantFrom("\u00e9", "\u00ff", ";", "=", " ", "/", "?", "#", "..")), { maxLength: 8 })
  .map((parts) => parts.join(""));
const pathText = fc.array(fuzzText.map((s) => s.replace(/[\s#]/g, "")), { minLength: 1, maxLength: 4 }).map((segs) => segs.join("/"));
const prefix = fc.constantFrom("/", "/rpc", "/exports/", "/v1/", "/v1/chat/completions", "/api/", "/api/chat", "/assets/", "//", "/index.html");

interface Shape {
  method: string;
  path: string;
  cookie: string;
  header: string;
  upgrade: boolean;
  auth: "none" | "bearer" | "url" | "cookie";
  origin: string | null;
  body: string;
}

const shape: fc.Arbitrary<Shape> = fc.record({
  method: fc.constantFrom("GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "BREW"),
  path: fc.tuple(prefix, pathText).map(([p, rest]) => `${p}${rest}`),
  cookie: fuzzText,
  header: fuzzText,
  upgrade: fc.boolean(),
  auth: fc.constantFrom("none", "bearer", "url", "cookie"),
  origin: fc.option(fc.oneof(fc.constantFrom("null", "http://localhost:1", "http://127.0.0.1"), fuzzText), { nil: null }),
  body: fc.oneof(fc.constant(""), fuzzText, fc.json()),
});

function render(s: Shape): string {
  const token = h.host.token;
  const path = s.auth === "url" ? `${s.path}${s.path.includes("?") ? "&" : "?"}token=${token}` : s.path;
  const lines = [`${s.method} ${path.replace(/[\r\n ]/g, "")} HTTP/1.1`, `Host: 127.0.0.1:${h.host.port}`];
  const cookie = s.auth === "cookie" ? `conclave_token=${token}; x=${s.cookie}` : `conclave_token=${s.cookie}`;
  lines.push(`Cookie: ${cookie.replace(/[\r\n]/g, "")}`);
  lines.push(`X-Fuzz: ${s.header.replace(/[\r\n]/g, "")}`);
  if (s.auth === "bearer") lines.push(`Authorization: Bearer ${token}`);
  if (s.origin !== null) lines.push(`Origin: ${s.origin.replace(/[\r\n]/g, "")}`);
  if (s.upgrade) lines.push("Connection: Upgrade", "Upgrade: websocket", "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");
  const body = Buffer.from(s.body, "utf8");
  if (body.length > 0) lines.push("Content-Type: application/json", `Content-Length: ${body.length}`);
  lines.push("Connection: close");
  return `${lines.join("\r\n")}\r\n\r\n${s.body}`;
}

test("random bytes never crash the host: answered 4xx or closed", async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 512 }), async (bytes) => {
      const a = await send(bytes);
      assert.ok(a.status === null || (a.status >= 400 && a.status < 500), `answered ${a.head}`);
    }),
    { numRuns: 150 },
  );
});

test("requests and upgrades with random escapes in paths, cookies and headers are answered below 500", async () => {
  await fc.assert(
    fc.asyncProperty(shape, async (s) => {
      const a = await send(render(s));
      assert.ok(a.status !== null && a.status < 500, `${JSON.stringify(s)} → ${a.head}`);
      if (s.auth === "none") assert.ok(a.status >= 400, `no token, yet ${a.head}`);
    }),
    { numRuns: 300 },
  );
});

test("the malformed token cookie on an upgrade is a 401, and the host is alive afterwards", async () => {
  for (const cookie of ["conclave_token=%E0%A4%A", "conclave_token=%", "conclave_token=%zz; conclave_token=%"]) {
    const a = await send(
      [
        "GET /rpc HTTP/1.1",
        `Host: 127.0.0.1:${h.host.port}`,
        `Cookie: ${cookie}`,
        "Connection: Upgrade",
        "Upgrade: websocket",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "",
        "",
      ].join("\r\n"),
    );
    assert.equal(a.status, 401, a.head);
  }
  const http = await send(`GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1:${h.host.port}\r\nAuthorization: Bearer ${h.host.token}\r\nConnection: close\r\n\r\n`);
  assert.equal(http.status, 400, http.head);

  // Still serving: the app shell over HTTP and a validated RPC call over the socket.
  const page = await fetch(`${h.base}/?token=${h.host.token}`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Conclave/);
  const ws = new WebSocket(`ws://127.0.0.1:${h.host.port}/rpc?token=${h.host.token}`);
  const reply = await new Promise<Record<string, unknown>>((resolve, reject) => {
    ws.on("error", reject);
    ws.on("open", () => ws.send(JSON.stringify({ kind: "request", id: 1, method: "slots.list", params: {} })));
    ws.on("message", (data: Buffer) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      if (frame.kind === "reply") resolve(frame);
    });
  });
  ws.close();
  assert.equal(reply.ok, true);
});

test("dot segments that leave the compatible prefixes get a 404, not a silent socket", async () => {
  for (const path of ["/api/../", "/api/..", "/v1/../", "/api/%2e%2e/", "/v1/../../x", "/api/./../v1"]) {
    const a = await send(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${h.host.port}\r\nAuthorization: Bearer ${h.host.token}\r\nConnection: close\r\n\r\n`);
    assert.equal(a.status, 404, `${path} → ${a.head}`);
  }
});

test("no refused request leaves a socket open: the host closes", async () => {
  // A socket kept after its refusal would hold the server open: close() would never resolve.
  let timer: NodeJS.Timeout | undefined;
  const closed = await Promise.race([
    h.host.close().then(() => true),
    new Promise<false>((r) => (timer = setTimeout(() => r(false), 60_000))),
  ]);
  clearTimeout(timer);
  assert.equal(closed, true, "host.close() did not finish: some refused connection is still open");
});
