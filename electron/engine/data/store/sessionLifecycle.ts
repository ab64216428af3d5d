/**
 * Which process runs which session, so a session left `running` by a process that is gone can be
 * told apart from one another process is running right now (two processes may share one database:
 * the app and a `conclave run`). The owner is `<host>/<pid>`. Also keeps the visible gap of a swap,
 * measured after the swap was recorded.
 */
import os from "node:os";
import type { Database, Statement } from "./sqlite.js";

/** This process as a session owner. */
export function thisOwner(): string {
  return `${os.hostname()}/${process.pid}`;
}

/** Whether the process `<host>/<pid>` still runs (another machine's is assumed to). */
export function ownerAlive(owner: string | null): boolean {
  if (!owner) return false;
  const slash = owner.lastIndexOf("/");
  const host = owner.slice(0, slash);
  const pid = Number(owner.slice(slash + 1));
  // Another machine's process cannot be checked from here; assume it runs.
  if (host !== os.hostname()) return true;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class SessionLifecycle {
  private readonly setOwner: Statement;
  private readonly unfinished: Statement<{ id: string; owner: string | null }>;
  private readonly interrupt: Statement;
  private readonly gap: Statement;
  private readonly ownerOf: Statement<string | null>;

  constructor(db: Database) {
    this.setOwner = db.prepare("UPDATE sessions SET owner = ?, status = 'running', updated_at = ? WHERE id = ?");
    this.unfinished = db.prepare("SELECT id, owner FROM sessions WHERE status IN ('running', 'paused', 'waiting')");
    this.interrupt = db.prepare("UPDATE sessions SET status = 'interrupted', updated_at = ? WHERE id = ? AND status IN ('running', 'paused', 'waiting')");
    this.gap = db.prepare(
      "UPDATE swap_events SET event = json_set(event, '$.visibleGapMs', ?) WHERE session_id = ? AND role = ? AND json_extract(event, '$.at') = ?",
    );
    this.ownerOf = db.prepare<string | null>("SELECT owner FROM sessions WHERE id = ?").pluck();
  }

  /** Marks this process as the one running `sessionId` (at creation and on resume). */
  claim(sessionId: string): void {
    this.setOwner.run([thisOwner(), Date.now(), sessionId]);
  }

  /** Whether a live process other than this one runs the session. */
  runningElsewhere(sessionId: string): boolean {
    const owner = this.ownerOf.get([sessionId]) ?? null;
    return owner !== null && owner !== thisOwner() && ownerAlive(owner);
  }

  /** Sessions left running, paused or waiting by a process that no longer exists become `interrupted`; returns their ids. */
  interruptOrphans(): string[] {
    const ids: string[] = [];
    for (const row of this.unfinished.all()) {
      if (ownerAlive(row.owner)) continue;
      if (this.interrupt.run([Date.now(), row.id]).changes > 0) ids.push(row.id);
    }
    return ids;
  }

  /** Records how long the seat's first turn after a swap waited for its first token. */
  recordSwapGap(sessionId: string, role: string, swapAt: number, visibleGapMs: number): void {
    this.gap.run([visibleGapMs, sessionId, role, swapAt]);
  }
}
