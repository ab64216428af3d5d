/**
 * Forks and replays in the session store's database: a session's origin (the columns migration 5
 * adds to `sessions`), the sessions that came from one, and the replay reports.
 */
import { SessionOrigin, type SessionInfo } from "../../../../shared/conversation.js";
import { ReplayReport } from "../../../../shared/lineage.js";
import { SESSION_SELECT, sessionFromRow, type SessionRow } from "./rows.js";
import type { Database, Statement } from "./sqlite.js";

export class LineageStore {
  private readonly setOriginStmt: Statement;
  private readonly childrenStmt: Statement<SessionRow>;
  private readonly saveReportStmt: Statement;
  private readonly reportStmt: Statement<string>;

  constructor(private readonly db: Database) {
    this.setOriginStmt = db.prepare("UPDATE sessions SET origin_kind = ?, parent_id = ?, parent_seq = ? WHERE id = ?");
    this.childrenStmt = db.prepare(`${SESSION_SELECT} WHERE s.parent_id = ? ORDER BY s.created_at, s.rowid`);
    this.saveReportStmt = db.prepare(`
      INSERT INTO replay_reports (session_id, source_id, report, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (session_id) DO UPDATE SET report = excluded.report, updated_at = excluded.updated_at`);
    this.reportStmt = db.prepare<string>("SELECT report FROM replay_reports WHERE session_id = ?").pluck();
  }

  /** Records where `sessionId` came from. */
  setOrigin(sessionId: string, origin: SessionOrigin): void {
    const o = SessionOrigin.parse(origin);
    if (o.sessionId === sessionId) throw new Error(`session ${sessionId} cannot come from itself`);
    const r = this.setOriginStmt.run([o.kind, o.sessionId, o.atSeq, sessionId]);
    if (r.changes === 0) throw new Error(`unknown session ${sessionId}`);
  }

  /** Forks and replays of `sessionId`, oldest first. */
  children(sessionId: string): SessionInfo[] {
    return this.childrenStmt.all([sessionId]).map(sessionFromRow);
  }

  /** Stores (or replaces) a replay's report. */
  saveReport(report: ReplayReport): ReplayReport {
    const r = ReplayReport.parse(report);
    this.saveReportStmt.run([r.sessionId, r.sourceId, JSON.stringify(r), r.updatedAt]);
    return r;
  }

  /** The report of replay `sessionId`, or null when it is not a replay. */
  report(sessionId: string): ReplayReport | null {
    const text = this.reportStmt.get([sessionId]);
    return text === undefined ? null : (JSON.parse(text) as ReplayReport);
  }

  /** Runs `fn` in one write transaction: all of it is committed, or none of it. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }
}
