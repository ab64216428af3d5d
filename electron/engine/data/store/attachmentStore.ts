/**
 * The attachment tables (migration 9): a session's files, content-addressed, and the outcomes of
 * command checks run on its messages. A repository over the session store's database.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import type { AttachedFile, WorkspaceFile } from "../../../../shared/attachments.js";
import { CommandCheckOutcome } from "../../../../shared/commandCheck.js";
import { statementCache, type Database } from "./sqlite.js";

/** One recorded command check: on which message, the outcome, and the artifacts it checked. */
export interface StoredCheck {
  messageId: string | null;
  outcome: CommandCheckOutcome;
  artifacts: WorkspaceFile[];
  createdAt: number;
}

const Files = z.array(z.object({ path: z.string(), content: z.string() }));

export const sha256 = (text: string): string => createHash("sha256").update(text, "utf8").digest("hex");

export class AttachmentStore {
  private readonly sql: ReturnType<typeof statementCache>;
  constructor(private readonly db: Database) {
    this.sql = statementCache(db);
  }

  /** Stores `files` as what `sessionId` was given (each text once, whoever else holds it). */
  save(sessionId: string, files: readonly WorkspaceFile[]): AttachedFile[] {
    const blob = this.sql("INSERT OR IGNORE INTO attachment_blobs (sha256, content) VALUES (?, ?)");
    const row = this.sql("INSERT OR REPLACE INTO session_attachments (session_id, path, sha256, bytes) VALUES (?, ?, ?, ?)");
    const out: AttachedFile[] = [];
    this.db.transaction(() => {
      for (const f of files) {
        const hash = sha256(f.content);
        blob.run([hash, f.content]);
        const bytes = Buffer.byteLength(f.content);
        row.run([sessionId, f.path, hash, bytes]);
        out.push({ path: f.path, sha256: hash, bytes });
      }
    })();
    return out;
  }

  /** The files `sessionId` saw, by workspace path. */
  files(sessionId: string): WorkspaceFile[] {
    return this.sql<{ path: string; content: string }>(
      "SELECT a.path AS path, b.content AS content FROM session_attachments a JOIN attachment_blobs b ON b.sha256 = a.sha256 WHERE a.session_id = ? ORDER BY a.path",
    ).all([sessionId]);
  }

  /** The manifest (paths, hashes, sizes) of `sessionId`'s files. */
  manifest(sessionId: string): AttachedFile[] {
    return this.sql<AttachedFile>("SELECT path, sha256, bytes FROM session_attachments WHERE session_id = ? ORDER BY path").all([sessionId]);
  }

  /** Gives `to` exactly the files `from` saw (a fork or a replay). */
  copy(from: string, to: string): void {
    this.sql("INSERT OR IGNORE INTO session_attachments (session_id, path, sha256, bytes) SELECT ?, path, sha256, bytes FROM session_attachments WHERE session_id = ?").run([to, from]);
  }

  recordCheck(sessionId: string, messageId: string | null, outcome: CommandCheckOutcome, artifacts: readonly WorkspaceFile[]): void {
    this.sql("INSERT INTO check_outcomes (session_id, message_id, passed, outcome, artifacts, created_at) VALUES (?, ?, ?, ?, ?, ?)").run([
      sessionId,
      messageId,
      outcome.passed ? 1 : 0,
      JSON.stringify(outcome),
      JSON.stringify(artifacts),
      Date.now(),
    ]);
  }

  /** Every check run on `sessionId`'s messages, oldest first. */
  checks(sessionId: string): StoredCheck[] {
    return this.sql<{ message_id: string | null; outcome: string; artifacts: string; created_at: number }>("SELECT message_id, outcome, artifacts, created_at FROM check_outcomes WHERE session_id = ? ORDER BY id")
      .all([sessionId])
      .map((r) => ({ messageId: r.message_id, outcome: CommandCheckOutcome.parse(JSON.parse(r.outcome)), artifacts: Files.parse(JSON.parse(r.artifacts)), createdAt: r.created_at }));
  }
}
