import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { writeLlamaGguf } from "../../../../models/gguf/llamaGguf.js";
import { PRESETS } from "../../../../models/gguf/presets.js";
import { isModelFileError } from "./test/isModelFileError.js";
import { inspectGguf } from "./inspectGguf.js";
import { isRemoteModelRef, resolveModelRef, type ModelDownloadProgress } from "./resolveModelRef.js";

const dir = await mkdtemp(join(tmpdir(), "conclave-resolve-"));
const modelsDir = join(dir, "models");
await mkdir(modelsDir);
const modelPath = join(modelsDir, "local.gguf");
await writeLlamaGguf(modelPath, PRESETS.tiny);
const modelBytes = await readFile(modelPath);
test.after(() => rm(dir, { recursive: true, force: true }));

/** A local stand-in for the Hugging Face endpoint; closed (connections too) when the test ends. */
async function serve(t: { after: (fn: () => void) => void }, handler: RequestListener): Promise<{ server: Server; endpoint: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers.range ?? ""}`.trim());
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests };
}

/** Serves `data` for any `*.gguf` path (with Range support, as the downloader uses it), 404 otherwise. */
function fileHandler(data: Buffer, { stallAfter }: { stallAfter?: number } = {}): RequestListener {
  return (req, res) => {
    if (!new URL(req.url ?? "/", "http://x").pathname.endsWith(".gguf")) {
      res.writeHead(404).end("Not Found");
      return;
    }
    const m = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? "");
    const start = m ? Number(m[1]) : 0;
    const end = m && m[2] ? Number(m[2]) : data.length - 1;
    res.writeHead(m ? 206 : 200, {
      "content-length": end - start + 1,
      "accept-ranges": "bytes",
      "content-type": "application/octet-stream",
      ...(m ? { "content-range": `bytes ${start}-${end}/${data.length}` } : {}),
    });
    if (req.method === "HEAD") res.end();
    else if (stallAfter !== undefined) res.write(data.subarray(start, start + stallAfter)); // then never finish
    else res.end(data.subarray(start, end + 1));
  };
}

test("local references: absolute, relative, bare names in the models folder, with or without .gguf", async () => {
  assert.equal(await resolveModelRef(modelPath, { modelsDir }), modelPath);
  assert.equal(await resolveModelRef(`./${relative(process.cwd(), modelPath)}`, { modelsDir }), modelPath);
  assert.equal(await resolveModelRef("local.gguf", { modelsDir }), modelPath);
  assert.equal(await resolveModelRef("  local  ", { modelsDir }), modelPath);
  await assert.rejects(resolveModelRef("missing-model", { modelsDir }), (e: unknown) =>
    isModelFileError(e, "missing-file") && e.message.includes("missing-model") && e.message.includes(modelsDir));
  await assert.rejects(resolveModelRef(join(dir, "nope.gguf"), { modelsDir }), (e: unknown) => isModelFileError(e, "missing-file"));
  await assert.rejects(resolveModelRef("", { modelsDir }), (e: unknown) => isModelFileError(e, "missing-file"));
  assert.equal(isRemoteModelRef("hf:user/repo:Q4_K_M"), true);
  assert.equal(isRemoteModelRef("https://example.com/m.gguf"), true);
  assert.equal(isRemoteModelRef("models/hf.gguf"), false);
});

test("an hf: URI downloads into the models folder with progress, then is reused", async (t) => {
  const { endpoint, requests } = await serve(t, fileHandler(modelBytes));
  const progress: ModelDownloadProgress[] = [];
  const dlDir = join(dir, "downloads");
  const path = await resolveModelRef("hf:someone/tiny-model/tiny.gguf", {
    modelsDir: dlDir, endpoints: { huggingFace: endpoint }, onProgress: (p) => progress.push(p), resolveTimeoutMs: 5000,
  });
  assert.equal(relative(dlDir, path).includes(".."), false, "saved inside the models folder");
  assert.deepEqual(await readFile(path), modelBytes);
  assert.equal((await inspectGguf(path)).parameterCount > 0, true);
  const last = progress.at(-1);
  assert.equal(last?.downloadedBytes, modelBytes.length);
  assert.equal(last?.fraction, 1);
  assert.ok(requests.some((r) => r.startsWith("GET /someone/tiny-model/resolve/main/tiny.gguf")));

  const gets = requests.filter((r) => r.includes("bytes=")).length;
  assert.equal(await resolveModelRef("hf:someone/tiny-model/tiny.gguf", { modelsDir: dlDir, endpoints: { huggingFace: endpoint } }), path);
  assert.equal(requests.filter((r) => r.includes("bytes=")).length, gets, "an existing complete file is not downloaded again");
});

test("a missing remote model and an unreachable server fail fast with a clear error", async (t) => {
  const { endpoint } = await serve(t, fileHandler(modelBytes));
  await assert.rejects(
    resolveModelRef("hf:someone/tiny-model:Q4_K_M", { modelsDir, endpoints: { huggingFace: endpoint }, resolveTimeoutMs: 5000 }),
    (e: unknown) => isModelFileError(e, "download-failed") && /hf:someone\/tiny-model:Q4_K_M/.test(e.message) && /Q4_K_M/.test(e.message),
  );
  const closed = await serve(t, () => undefined);
  closed.server.close();
  await new Promise((r) => setTimeout(r, 50));
  await assert.rejects(
    resolveModelRef("hf:someone/tiny-model/tiny.gguf", { modelsDir, endpoints: { huggingFace: closed.endpoint }, resolveTimeoutMs: 5000 }),
    (e: unknown) => isModelFileError(e, "download-failed") && /hf:someone\/tiny-model\/tiny\.gguf: cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/.test(e.message),
  );
});

test("the real Hugging Face endpoint, unreachable or not, fails clearly for a model that does not exist", async () => {
  await assert.rejects(
    resolveModelRef("hf:conclave-tests-nonexistent/no-such-model-GGUF:Q4_K_M", { modelsDir, resolveTimeoutMs: 5000 }),
    (e: unknown) => isModelFileError(e, "download-failed") && e.message.includes("no-such-model-GGUF"),
  );
});

test("a server that never answers hits the resolve timeout; an abort cancels at once", async (t) => {
  const { endpoint } = await serve(t, () => undefined);
  const options = { modelsDir, endpoints: { huggingFace: endpoint } };
  await assert.rejects(resolveModelRef("hf:someone/slow/slow.gguf", { ...options, resolveTimeoutMs: 300 }),
    (e: unknown) => isModelFileError(e, "download-failed") && /did not answer within 0\.3 s/.test(e.message));

  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  await assert.rejects(resolveModelRef("hf:someone/slow/slow.gguf", { ...options, signal: controller.signal, resolveTimeoutMs: 60_000 }),
    (e: unknown) => isModelFileError(e, "aborted"));

  await assert.rejects(resolveModelRef("local.gguf", { modelsDir, signal: AbortSignal.abort() }), (e: unknown) => isModelFileError(e, "aborted"));
});

test("aborting a download in progress rejects and leaves no model file behind", async (t) => {
  const { endpoint } = await serve(t, fileHandler(modelBytes, { stallAfter: 1000 }));
  const dlDir = join(dir, "aborted");
  const controller = new AbortController();
  const work = resolveModelRef("hf:someone/stall/stall.gguf", {
    modelsDir: dlDir, endpoints: { huggingFace: endpoint }, signal: controller.signal, resolveTimeoutMs: 5000,
    onProgress: (p) => { if (p.downloadedBytes > 0) controller.abort(); },
  });
  setTimeout(() => controller.abort(), 2000); // in case no progress event arrives before the stall
  await assert.rejects(work, (e: unknown) => isModelFileError(e, "aborted"));
  const left = await readdir(dlDir).catch(() => []);
  assert.deepEqual(left.filter((f) => f.endsWith(".gguf")), []);
  await writeFile(join(dlDir, "marker"), "");
});
