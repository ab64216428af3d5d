/**
 * The session store: one SQLite file (better-sqlite3) holding sessions, their messages, slot
 * assignments, swaps, votes, ratings, metrics and settings.
 *
 * Durability: every append is its own auto-committed transaction, so a message is committed before
 * `appendMessage` returns. The file runs in WAL mode with `synchronous=NORMAL`: a commit is written to
 * the WAL (the OS page cache) but not fsynced. That survives the process dying at any point, `kill -9`
 * included, because the kernel still owns the written pages; it can lose the last commits only if the
 * whole machine loses power or the OS crashes, and even then the database stays consistent. `FULL`
 * would fsync every message (milliseconds each on ordinary disks) for a guarantee the requirement,
 * "every message emitted before a kill -9 is there on reopen", does not ask for. Checkpoints, the
 * other source of fsyncs, run in a worker thread (checkpointer.ts) rather than inside appends.
 */
import { randomUUID } from "node:crypto";
import {
  JsonValue,
  Message,
  MessageDraft,
  Metric,
  NewSession,
  Rating,
  SessionInfo,
  SessionStatus,
  SessionSwap,
  SlotAssignment,
  TimelineQuery,
  Vote,
} from "../../../../shared/conversation.js";
import type {
  MessageDraft as MessageDraftInput,
  MetricInput,
  NewSession as NewSessionInput,
  RatingInput,
  RoleStats,
  SessionSwapInput,
  SlotAssignmentInput,
  TimelinePage,
  TimelineQuery as TimelineQueryInput,
  VoteInput,
} from "../../../../shared/conversation.js";
import { openStoreDatabase } from "./storeDatabase.js";
import {
  assignmentFromRow,
  MESSAGE_COLUMNS,
  messageFromRow,
  ROLE_STATS_SQL,
  ROLE_VOTES_SQL,
  metricFromRow,
  ratingFromRow,
  SESSION_SELECT,
  sessionFromRow,
  swapFromRow,
  voteFromRow,
} from "./rows.js";
import type {
  AssignmentRow,
  MessageRow,
  MetricRow,
  RatingRow,
  SessionRow,
  SwapRow,
  VoteRow,
} from "./rows.js";
import { startCheckpointer } from "./checkpointer.js";
import { SessionLifecycle } from "./sessionLifecycle.js";
import type { Checkpointer } from "./checkpointer.js";
import { statementCache, type Database, type SqlValue, type Statement } from "./sqlite.js";
import { openRepositories, type StoreRepositories } from "./storeRepositories.js";

/**
 * The store's API; every input is validated with the shared zod schemas. The repositories of the
 * further tables in the same file (`results`, `votes`, `search`, …; see storeRepositories.ts) are
 * built once when the store opens. The database handle itself stays private to this module.
 */
export interface SessionStore extends StoreRepositories {
  /** The database file. */
  readonly file: string;
  createSession(input: NewSessionInput): SessionInfo;
  updateSessionStatus(sessionId: string, status: SessionStatus): SessionInfo;
  getSession(sessionId: string): SessionInfo | null;
  /** Newest first. */
  listSessions(options?: { limit?: number; offset?: number }): SessionInfo[];
  /** The most recently created session, or null for an empty store. */
  lastSession(): SessionInfo | null;
  /** Commits one message and returns it as stored (with its `seq`, and `id`/`createdAt` when absent). */
  appendMessage(draft: MessageDraftInput): Message;
  getMessage(messageId: string): Message | null;
  /** One page of a session's timeline, in `seq` order. */
  listMessages(sessionId: string, query?: TimelineQueryInput): TimelinePage;
  recordAssignment(input: SlotAssignmentInput): SlotAssignment;
  listAssignments(sessionId: string): SlotAssignment[];
  /** Fingerprint → the file name its latest seat assignment recorded (names arena models by file). */
  assignedFileNames(): Map<string, string>;
  recordSwap(input: SessionSwapInput): SessionSwap;
  listSwaps(sessionId: string): SessionSwap[];
  recordVote(input: VoteInput): Vote;
  listVotes(sessionId: string, options?: { round?: number }): Vote[];
  recordRating(input: RatingInput): Rating;
  listRatings(sessionId: string): Rating[];
  recordMetric(input: MetricInput): Metric;
  listMetrics(sessionId: string | null, name?: string): Metric[];
  roleStats(sessionId: string): RoleStats[];
  /** The roles that spoke in `sessionId`, in order of their first message. */
  speakers(sessionId: string): string[];
  /** Runs `fn` in one transaction (all its writes or none); nested calls join the outer one. */
  transaction<R>(fn: () => R): R;
  getSetting(key: string): JsonValue | undefined;
  setSetting(key: string, value: JsonValue): void;
  /** Which process runs which session; interrupted sessions; swap gaps. */
  readonly lifecycle: SessionLifecycle;
  close(): void;
}

export interface StoreOptions {
  /**
   * Checkpoint the WAL from a worker thread instead of inside commits (default true); keeps
   * `appendMessage`'s tail latency free of checkpoint fsyncs. See checkpointer.ts.
   */
  backgroundCheckpoint?: boolean;
}

/** Opens (creating and migrating when needed) the store in `file`. */
export function openStore(file: string, options: StoreOptions = {}): SessionStore {
  const background = options.backgroundCheckpoint ?? true;
  const db = openStoreDatabase(file, background);
  return new SqliteSessionStore(file, db, background ? startCheckpointer(file) : null);
}

interface SqliteError extends Error {
  code?: string;
}

class SqliteSessionStore implements SessionStore {
  readonly #db: Database;
  private readonly insertMessage: Statement;
  private readonly nextSeq: Statement<number>;
  private readonly stmt: <Row>(sql: string) => Statement<Row>;
  /** Next seq per session this connection appended to; UNIQUE (session_id, seq) catches a second writer. */
  private readonly seqs = new Map<string, number>();
  readonly lifecycle: SessionLifecycle;
  declare readonly results: StoreRepositories["results"];
  declare readonly votes: StoreRepositories["votes"];
  declare readonly pairwise: StoreRepositories["pairwise"];
  declare readonly abstentions: StoreRepositories["abstentions"];
  declare readonly search: StoreRepositories["search"];
  declare readonly evaluations: StoreRepositories["evaluations"];
  declare readonly attachments: StoreRepositories["attachments"];
  declare readonly lineage: StoreRepositories["lineage"];
  declare readonly libraryUses: StoreRepositories["libraryUses"];
  declare readonly stateCache: StoreRepositories["stateCache"];

  constructor(
    readonly file: string,
    db: Database,
    private readonly checkpointer: Checkpointer | null,
  ) {
    this.#db = db;
    // Every repository is built here, once, so its statements are prepared when the store opens.
    Object.assign(this, openRepositories(db));
    this.insertMessage = db.prepare(`
      INSERT INTO messages (${MESSAGE_COLUMNS})
      VALUES (@id, @sessionId, @seq, @from, @to, @type, @content, @referencesTo, @confidence, @provenance, @usage,
              @createdAt, @round, @repairs, @routing, @thought, @raw)`);
    this.nextSeq = db
      .prepare<number>("SELECT coalesce(max(seq), 0) + 1 FROM messages WHERE session_id = ?")
      .pluck();
    this.lifecycle = new SessionLifecycle(db);
    this.stmt = statementCache(db);
  }

  createSession(input: NewSessionInput): SessionInfo {
    const s = NewSession.parse(input);
    const now = Date.now();
    const id = s.id ?? randomUUID();
    const createdAt = s.createdAt ?? now;
    this.stmt(
      "INSERT INTO sessions (id, title, task, protocol_kind, experiment, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ).run([id, s.title, s.task, s.protocolKind, JSON.stringify(s.experiment), s.status, createdAt, createdAt]);
    return this.mustGetSession(id);
  }

  updateSessionStatus(sessionId: string, status: SessionStatus): SessionInfo {
    const parsed = SessionStatus.parse(status);
    const r = this.stmt("UPDATE sessions SET status = ?, updated_at = ? WHERE id = ?").run([parsed, Date.now(), sessionId]);
    if (r.changes === 0) throw new Error(`unknown session ${sessionId}`);
    return this.mustGetSession(sessionId);
  }

  getSession(sessionId: string): SessionInfo | null {
    const row = this.stmt<SessionRow>(`${SESSION_SELECT} WHERE s.id = ?`).get([sessionId]);
    return row ? sessionFromRow(row) : null;
  }

  private mustGetSession(sessionId: string): SessionInfo {
    const s = this.getSession(sessionId);
    if (!s) throw new Error(`unknown session ${sessionId}`);
    return s;
  }

  listSessions(options: { limit?: number; offset?: number } = {}): SessionInfo[] {
    const rows = this.stmt<SessionRow>(`${SESSION_SELECT} ORDER BY s.created_at DESC, s.rowid DESC LIMIT ? OFFSET ?`).all([
      options.limit ?? -1,
      options.offset ?? 0,
    ]);
    return rows.map(sessionFromRow);
  }

  lastSession(): SessionInfo | null {
    return this.listSessions({ limit: 1 })[0] ?? null;
  }

  appendMessage(draft: MessageDraftInput): Message {
    const d = MessageDraft.parse(draft);
    const id = d.id ?? randomUUID();
    const createdAt = d.createdAt ?? Date.now();
    const row = {
      id,
      sessionId: d.sessionId,
      seq: this.seqs.get(d.sessionId) ?? (this.nextSeq.get([d.sessionId]) as number),
        from: d.from,
        to: JSON.stringify(d.to),
        type: d.type,
        content: d.content,
        referencesTo: JSON.stringify(d.referencesTo),
        confidence: d.confidence,
        provenance: d.provenance === null ? null : JSON.stringify(d.provenance),
        usage: d.usage === null ? null : JSON.stringify(d.usage),
        createdAt,
        round: d.round,
        repairs: JSON.stringify(d.repairs),
      routing: d.routing === null ? null : JSON.stringify(d.routing),
      thought: d.thought === undefined ? null : JSON.stringify(d.thought),
      raw: d.raw ?? null,
    };
    try {
      this.insertMessage.run(row);
    } catch (error) {
      const code = (error as SqliteError).code;
      if (code === "SQLITE_CONSTRAINT_FOREIGNKEY") throw new Error(`unknown session ${d.sessionId}`, { cause: error });
      if (code !== "SQLITE_CONSTRAINT_UNIQUE") throw error;
      if (this.getMessage(id)) throw new Error(`duplicate message id ${id}`, { cause: error });
      // Another connection appended to this session: take the seq from the table and retry once.
      row.seq = this.nextSeq.get([d.sessionId]) as number;
      this.insertMessage.run(row);
    }
    this.seqs.set(d.sessionId, row.seq + 1);
    return { ...d, id, createdAt, seq: row.seq };
  }

  private upcomingSeq(sessionId: string): number {
    return this.nextSeq.get([sessionId]) as number;
  }

  getMessage(messageId: string): Message | null {
    const row = this.stmt<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`).get([messageId]);
    return row ? messageFromRow(row) : null;
  }

  listMessages(sessionId: string, query: TimelineQueryInput = {}): TimelinePage {
    const q = TimelineQuery.parse(query);
    const params: SqlValue[] = [sessionId, q.afterSeq];
    let where = "session_id = ? AND seq > ?";
    // Placeholder counts vary with the filters, so each shape is its own cached statement.
    if (q.roles) {
      where += ` AND from_role IN (${q.roles.map(() => "?").join(",") || "NULL"})`;
      params.push(...q.roles);
    }
    if (q.types) {
      where += ` AND type IN (${q.types.map(() => "?").join(",") || "NULL"})`;
      params.push(...q.types);
    }
    params.push(q.limit + 1);
    const rows = this.stmt<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE ${where} ORDER BY seq LIMIT ?`,
    ).all(params);
    const more = rows.length > q.limit;
    if (more) rows.pop();
    const messages = rows.map(messageFromRow);
    return { messages, nextAfterSeq: more ? (messages.at(-1)?.seq ?? null) : null };
  }

  recordAssignment(input: SlotAssignmentInput): SlotAssignment {
    const a = SlotAssignment.parse(input);
    const fromSeq = a.fromSeq ?? this.upcomingSeq(a.sessionId);
    const at = a.at ?? Date.now();
    this.stmt(
      "INSERT INTO slot_assignments (session_id, role, model, fingerprint, system_prompt, from_seq, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).run([a.sessionId, a.role, JSON.stringify(a.model), a.model.fingerprint, a.systemPrompt, fromSeq, at]);
    return { ...a, fromSeq, at };
  }

  listAssignments(sessionId: string): SlotAssignment[] {
    return this.stmt<AssignmentRow>(
      "SELECT session_id, role, model, system_prompt, from_seq, at FROM slot_assignments WHERE session_id = ? ORDER BY from_seq, id",
    )
      .all([sessionId])
      .map(assignmentFromRow);
  }

  assignedFileNames(): Map<string, string> {
    const rows = this.stmt<{ fingerprint: string; fileName: unknown }>(
      "SELECT fingerprint, json_extract(model, '$.fileName') AS fileName FROM slot_assignments WHERE id IN (SELECT MAX(id) FROM slot_assignments GROUP BY fingerprint)",
    ).all();
    return new Map(rows.flatMap((r) => (typeof r.fileName === "string" && r.fileName !== "" ? [[r.fingerprint, r.fileName] as const] : [])));
  }

  recordSwap(input: SessionSwapInput): SessionSwap {
    const s = SessionSwap.parse(input);
    const fromSeq = s.fromSeq ?? this.upcomingSeq(s.sessionId);
    this.stmt(
      "INSERT INTO swap_events (session_id, role, outcome, round, from_seq, at, event) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ).run([s.sessionId, s.event.role, s.event.outcome, s.round, fromSeq, s.event.at, JSON.stringify(s.event)]);
    return { ...s, fromSeq };
  }

  listSwaps(sessionId: string): SessionSwap[] {
    return this.stmt<SwapRow>(
      "SELECT session_id, round, from_seq, event FROM swap_events WHERE session_id = ? ORDER BY from_seq, id",
    )
      .all([sessionId])
      .map(swapFromRow);
  }

  recordVote(input: VoteInput): Vote {
    const v = Vote.parse(input);
    const createdAt = v.createdAt ?? Date.now();
    this.stmt(`
      INSERT INTO votes (session_id, voter, target_message_id, score, rank, rank_of, round, rationale, message_id, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run([
      v.sessionId, v.voter, v.targetMessageId, v.score, v.rank, v.rankOf, v.round, v.rationale, v.messageId, createdAt,
    ]);
    return { ...v, createdAt };
  }

  listVotes(sessionId: string, options: { round?: number } = {}): Vote[] {
    const cols = "session_id, voter, target_message_id, score, rank, rank_of, round, rationale, message_id, created_at";
    const rows =
      options.round === undefined
        ? this.stmt<VoteRow>(`SELECT ${cols} FROM votes WHERE session_id = ? ORDER BY id`).all([sessionId])
        : this.stmt<VoteRow>(`SELECT ${cols} FROM votes WHERE session_id = ? AND round = ? ORDER BY id`).all([
            sessionId,
            options.round,
          ]);
    return rows.map(voteFromRow);
  }

  recordRating(input: RatingInput): Rating {
    const r = Rating.parse(input);
    const createdAt = r.createdAt ?? Date.now();
    // One rating per source and message: re-rating or adding a note revises that source's opinion,
    // it does not cast a second one (which exports and quality averages would count twice).
    this.#db.transaction(() => {
      this.stmt("DELETE FROM ratings WHERE message_id = ? AND source = ?").run([r.messageId, r.source]);
      this.stmt(
        "INSERT INTO ratings (session_id, message_id, score, source, note, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      ).run([r.sessionId, r.messageId, r.score, r.source, r.note, createdAt]);
    })();
    return { ...r, createdAt };
  }

  listRatings(sessionId: string): Rating[] {
    return this.stmt<RatingRow>(
      "SELECT session_id, message_id, score, source, note, created_at FROM ratings WHERE session_id = ? ORDER BY id",
    )
      .all([sessionId])
      .map(ratingFromRow);
  }

  recordMetric(input: MetricInput): Metric {
    const m = Metric.parse(input);
    const at = m.at ?? Date.now();
    this.stmt("INSERT INTO metrics (session_id, name, value, role, at) VALUES (?, ?, ?, ?, ?)").run([
      m.sessionId, m.name, m.value, m.role, at,
    ]);
    return { ...m, at };
  }

  listMetrics(sessionId: string | null, name?: string): Metric[] {
    const cols = "session_id, name, value, role, at";
    const rows =
      name === undefined
        ? this.stmt<MetricRow>(`SELECT ${cols} FROM metrics WHERE session_id IS ? ORDER BY at, id`).all([sessionId])
        : this.stmt<MetricRow>(`SELECT ${cols} FROM metrics WHERE session_id IS ? AND name = ? ORDER BY at, id`).all([
            sessionId,
            name,
          ]);
    return rows.map(metricFromRow);
  }

  roleStats(sessionId: string): RoleStats[] {
    const stats = this.stmt<Omit<RoleStats, "votesReceived" | "avgVoteScore">>(ROLE_STATS_SQL).all([sessionId]);
    const votes = this.stmt<{ role: string; votes: number; avgScore: number | null }>(ROLE_VOTES_SQL).all([sessionId]);
    const byRole = new Map(votes.map((v) => [v.role, v]));
    return stats.map((s) => ({
      ...s,
      votesReceived: byRole.get(s.role)?.votes ?? 0,
      avgVoteScore: byRole.get(s.role)?.avgScore ?? null,
    }));
  }

  speakers(sessionId: string): string[] {
    return this.stmt<string>("SELECT from_role FROM messages WHERE session_id = ? GROUP BY from_role ORDER BY min(seq)")
      .pluck()
      .all([sessionId]);
  }

  transaction<R>(fn: () => R): R {
    return this.#db.transaction(fn)();
  }

  getSetting(key: string): JsonValue | undefined {
    const v = this.stmt<string>("SELECT value FROM settings WHERE key = ?").pluck().get([key]);
    return v === undefined ? undefined : (JSON.parse(v) as JsonValue);
  }

  setSetting(key: string, value: JsonValue): void {
    const v = JsonValue.parse(value);
    this.stmt(
      "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    ).run([key, JSON.stringify(v), Date.now()]);
  }

  close(): void {
    this.checkpointer?.stop();
    if (this.#db.open) this.#db.close();
  }
}
