/**
 * bin/conclave.mjs under a system Node older than 22.14 runs the CLI again under the project's Node.
 * Signals to the launcher must reach that real server, the launcher must exit with its code, and
 * no server may outlive the launcher, even one killed with SIGKILL. Real processes, a real port.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/conclave.mjs", import.meta.url));
const SYSTEM_NODE = "/usr/bin/node";

function systemNodeIsOld(): boolean {
  if (!existsSync(SYSTEM_NODE)) return false;
  const [major = 0, minor = 0] = spawnSync(SYSTEM_NODE, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim().split(".").map(Number);
  return major < 22 || (major === 22 && minor < 14);
}
const skip = systemNodeIsOld() ? false : "needs a system Node older than 22.14 at /usr/bin/node, so that the launcher re-runs itself";

interface Served {
  launcher: ChildProcess;
  server: number;
  port: number;
  exited: Promise<number | null>;
  dir: string;
}

/** Starts `conclave serve` under the old system Node and waits for its listening line. */
async function serveUnderOldNode(): Promise<Served> {
  const dir = await mkdtemp(path.join(tmpdir(), "conclave-launcher-"));
  const staticDir = path.join(dir, "renderer");
  await mkdir(staticDir);
  await writeFile(path.join(staticDir, "index.html"), "<!doctype html><title>Conclave</title>");
  const launcher = spawn(SYSTEM_NODE, [BIN, "serve", "--port", "0", "--db", path.join(dir, "c.db"), "--models", path.join(dir, "models"), "--static-dir", staticDir], {
    env: { ...process.env, CONCLAVE_HOME: dir, CONCLAVE_REEXEC: "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<number | null>((r) => launcher.once("exit", (code) => r(code)));
  let out = "";
  let err = "";
  launcher.stderr?.on("data", (c: Buffer) => (err += c.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    launcher.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /Conclave listening on http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve(Number(m[1]));
    });
    void exited.then((code) => reject(new Error(`launcher exited ${code} before listening: ${err}`)));
  });
  const children = spawnSync("ps", ["-o", "pid=", "--ppid", String(launcher.pid)], { encoding: "utf8" }).stdout.trim().split(/\s+/).filter(Boolean).map(Number);
  assert.equal(children.length, 1, `the launcher has one child, the real server: ${children.join(",")}`);
  return { launcher, server: children[0] ?? 0, port, exited, dir };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

/** Polls until `done` holds; a generous bound that only a stuck process reaches. */
async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await done()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`still waiting for: ${what}`);
}

for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
  test(`${signal} to the launcher stops the real server, frees the port, and the launcher exits with its code`, { skip }, async () => {
    const s = await serveUnderOldNode();
    try {
      assert.ok(alive(s.server) && (await portAnswers(s.port)));
      s.launcher.kill(signal);
      assert.equal(await s.exited, 0, "the server shut down cleanly and the launcher passed its code on");
      await until(() => !alive(s.server), `server ${s.server} to exit`);
      assert.equal(await portAnswers(s.port), false, "nothing answers on the port");
    } finally {
      if (alive(s.server)) process.kill(s.server, "SIGKILL");
      await rm(s.dir, { recursive: true, force: true });
    }
  });
}

test("a launcher killed outright (SIGKILL) leaves no server behind", { skip }, async () => {
  const s = await serveUnderOldNode();
  try {
    s.launcher.kill("SIGKILL");
    await s.exited;
    await until(() => !alive(s.server), `orphaned server ${s.server} to exit`);
    await until(async () => !(await portAnswers(s.port)), "the port to close");
  } finally {
    if (alive(s.server)) process.kill(s.server, "SIGKILL");
    await rm(s.dir, { recursive: true, force: true });
  }
});
