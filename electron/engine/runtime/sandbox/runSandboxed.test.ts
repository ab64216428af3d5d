import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { runSandboxed, SandboxRefusal } from "./runSandboxed.js";
import { sandboxAvailability } from "./sandboxAvailability.js";

const node = process.execPath;
const skip = process.platform !== "linux" ? "the bubblewrap sandbox is Linux's" : false;

async function workspace(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), "conclave-sbx-test-"));
}

test("the machine's sandbox is bubblewrap (CI installs it)", { skip }, () => {
  const s = sandboxAvailability();
  assert.equal(s.kind, "bubblewrap", s.kind === "none" ? s.reason : "");
});

test("a command writes its workspace and exits 0: the evidence holds its output", { skip }, async () => {
  const ws = await workspace();
  try {
    const e = await runSandboxed({ argv: ["sh", "-c", "echo made > out.txt && cat out.txt && echo warn >&2"], workspace: ws });
    assert.equal(e.exitCode, 0, e.stderr);
    assert.equal(e.sandbox, "bubblewrap");
    assert.equal(e.stdout, "made\n");
    assert.equal(e.stderr, "warn\n");
    assert.equal(e.killedBy, null);
    assert.equal(await readFile(path.join(ws, "out.txt"), "utf8"), "made\n");
  } finally {
    await rm(ws, { recursive: true, force: true });
  }
});

test("a command cannot reach a server listening on 127.0.0.1", { skip }, async () => {
  const server = createServer((_req, res) => res.end("reached"));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  const ws = await workspace();
  const script = `fetch("http://127.0.0.1:${port}/").then(async (r) => { console.log(await r.text()); }, (e) => { console.log("unreachable", e.cause?.code ?? e.message); process.exit(3); })`;
  try {
    // The same script outside the sandbox does reach it, so the failure inside is the sandbox's.
    const outside = await runSandboxed({ argv: [node, "-e", script], workspace: ws, availability: { kind: "none", reason: "test" }, allowUnsandboxed: true });
    assert.equal(outside.stdout.trim(), "reached");
    const inside = await runSandboxed({ argv: [node, "-e", script], workspace: ws });
    assert.equal(inside.exitCode, 3, inside.stdout + inside.stderr);
    assert.match(inside.stdout, /unreachable/);
  } finally {
    server.close();
    await rm(ws, { recursive: true, force: true });
  }
});

test("a command cannot write outside its workspace", { skip }, async () => {
  const ws = await workspace();
  const elsewhere = await workspace();
  const project = path.join(process.cwd(), `sandbox-escape-${process.pid}.txt`);
  try {
    const e = await runSandboxed({ argv: ["sh", "-c", `echo x > ${elsewhere}/escaped.txt; echo y > ${project} || echo refused-project; echo z > /usr/escaped.txt || echo refused-usr`], workspace: ws });
    assert.equal(existsSync(path.join(elsewhere, "escaped.txt")), false, "the host's /tmp is not the sandbox's");
    assert.equal(existsSync(project), false);
    assert.match(e.stdout, /refused-project/);
    assert.match(e.stdout, /refused-usr/);
    assert.match(e.stderr, /Read-only file system/);
  } finally {
    await rm(ws, { recursive: true, force: true });
    await rm(elsewhere, { recursive: true, force: true });
    await rm(project, { force: true });
  }
});

test("a busy loop is killed at timeoutMs, and the evidence says so", { skip }, async () => {
  const ws = await workspace();
  try {
    const e = await runSandboxed({ argv: [node, "-e", "for (;;) {}"], workspace: ws, limits: { timeoutMs: 1500 } });
    assert.equal(e.killedBy, "timeout");
    assert.notEqual(e.exitCode, 0);
  } finally {
    await rm(ws, { recursive: true, force: true });
  }
});

test("a command that exceeds memoryMb is killed, and the evidence says so", { skip }, async () => {
  const ws = await workspace();
  const hog = "const kept = []; for (;;) { kept.push(Buffer.alloc(16 * 1024 * 1024, 1)); }";
  try {
    const e = await runSandboxed({ argv: [node, "-e", hog], workspace: ws, limits: { memoryMb: 160, timeoutMs: 120_000 } });
    assert.equal(e.killedBy, "memory", `exit ${e.exitCode} ${e.signal} ${e.stderr.slice(0, 400)}`);
    assert.notEqual(e.exitCode, 0);
  } finally {
    await rm(ws, { recursive: true, force: true });
  }
});

test("output past ten times outputKb kills the command; the first outputKb is kept", { skip }, async () => {
  const ws = await workspace();
  try {
    const e = await runSandboxed({ argv: ["sh", "-c", "yes conclave"], workspace: ws, limits: { outputKb: 4 } });
    assert.equal(e.killedBy, "output");
    assert.equal(e.truncated, true);
    assert.equal(Buffer.byteLength(e.stdout), 4096);
  } finally {
    await rm(ws, { recursive: true, force: true });
  }
});

test("without a sandbox a command is refused with the reason, unless unsandboxed runs are allowed", async () => {
  const ws = await workspace();
  try {
    const none = { kind: "none" as const, reason: "bubblewrap is not installed" };
    await assert.rejects(runSandboxed({ argv: ["true"], workspace: ws, availability: none }), (err: unknown) => err instanceof SandboxRefusal && /bubblewrap is not installed/.test(err.message) && /--allow-unsandboxed/.test(err.message));
    const e = await runSandboxed({ argv: ["sh", "-c", "exit 4"], workspace: ws, availability: none, allowUnsandboxed: true });
    assert.equal(e.exitCode, 4);
    assert.equal(e.sandbox, "none");
  } finally {
    await rm(ws, { recursive: true, force: true });
  }
});
