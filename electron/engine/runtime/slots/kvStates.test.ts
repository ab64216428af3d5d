import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { claimStateDir } from "./kvStates.js";

test("an engine's state folder is its own, and folders of processes that are gone are removed at start-up", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "conclave-kv-"));
  try {
    // A process that has certainly exited: run one and take its pid.
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout.trim();
    const killed = path.join(root, `${gone}-deadbeef`);
    mkdirSync(killed);
    writeFileSync(path.join(killed, "lab_critic-x-2048.state"), "saved KV state of a killed host");
    const living = path.join(root, `${process.ppid}-cafebabe`);
    mkdirSync(living);

    const mine = claimStateDir(root);
    assert.ok(existsSync(mine) && path.basename(mine).startsWith(`${process.pid}-`));
    assert.equal(existsSync(killed), false, "the killed host's states are removed");
    assert.equal(existsSync(living), true, "a living process's folder is left alone");
    assert.notEqual(claimStateDir(root), mine, "a second engine in one process gets a folder of its own");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
