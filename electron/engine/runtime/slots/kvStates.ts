/**
 * Saved KV states: where they live and which one fits. A state belongs to one exact model and
 * context configuration, so it is keyed by (seat, model fingerprint, context size) and never loaded
 * into anything else. Each engine process keeps its states in its own folder
 * (`<root>/<pid>-<random>`); folders of processes that no longer exist — a host killed with
 * `kill -9`, a crashed app — are removed when the next engine starts.
 */
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { Slot } from "./Slot.js";
import type { ModelIdentity } from "../../../../shared/slots.js";

/** The default root: a folder in the OS temp dir shared by every engine on this machine. */
export function defaultStateRoot(): string {
  return path.join(os.tmpdir(), "conclave-state");
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Creates this process's state folder under `root` and removes the folders of dead processes. */
export function claimStateDir(root: string = defaultStateRoot()): string {
  mkdirSync(root, { recursive: true });
  for (const name of readdirSync(root)) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) rmSync(path.join(root, name), { recursive: true, force: true });
  }
  const dir = path.join(root, `${process.pid}-${randomUUID().slice(0, 8)}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The key a saved state is filed under on its seat. */
export function stateKey(identity: Pick<ModelIdentity, "fingerprint">, contextSize: number): string {
  return `${identity.fingerprint}@${contextSize}`;
}

/** The file for a seat's state of one model and context size. */
export function stateFile(dir: string, slot: Slot, identity: Pick<ModelIdentity, "fingerprint">, contextSize: number): string {
  const safe = (s: string) => s.replace(/[^a-zA-Z0-9_-]/g, "_");
  return path.join(dir, `${safe(slot.key)}-${safe(identity.fingerprint).slice(-24)}-${contextSize}.state`);
}
