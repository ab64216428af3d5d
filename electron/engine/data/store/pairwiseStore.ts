/**
 * The arena's table: pairwise outcomes between models (see shared/arena.ts), in the session store's
 * database. Every input is validated with the shared schema; reads for ranking come back as light rows
 * so a leaderboard over 100,000 outcomes does not build 100,000 objects with conversations attached.
 */
import { PairwiseOutcome } from "../../../../shared/arena.js";
import type { ArenaSource, LeaderboardSource, PairWinner, PairwiseOutcomeInput } from "../../../../shared/arena.js";
import type { Database, Statement } from "./sqlite.js";

/** The fields a ranking needs. */
export interface RankingRow {
  a: string;
  aName: string;
  b: string;
  bName: string;
  winner: PairWinner;
  createdAt: number;
}

interface OutcomeRow {
  model_a: string;
  model_a_name: string;
  model_b: string;
  model_b_name: string;
  winner: string;
  source: string;
  judge: string;
  position_a: number | null;
  position_b: number | null;
  anonymous: number;
  session_id: string | null;
  message_a: string | null;
  message_b: string | null;
  compare_id: string | null;
  prompt: string | null;
  answer_a: string | null;
  answer_b: string | null;
  created_at: number;
}

const COLUMNS =
  "model_a, model_a_name, model_b, model_b_name, winner, source, judge, position_a, position_b, anonymous, session_id, message_a, message_b, compare_id, prompt, answer_a, answer_b, created_at";

function fromRow(r: OutcomeRow): PairwiseOutcome {
  return {
    a: { fingerprint: r.model_a, name: r.model_a_name },
    b: { fingerprint: r.model_b, name: r.model_b_name },
    winner: r.winner as PairWinner,
    source: r.source as ArenaSource,
    judge: r.judge,
    positionA: r.position_a,
    positionB: r.position_b,
    anonymous: r.anonymous === 1,
    sessionId: r.session_id,
    messageA: r.message_a,
    messageB: r.message_b,
    compareId: r.compare_id,
    prompt: r.prompt,
    answerA: r.answer_a,
    answerB: r.answer_b,
    createdAt: r.created_at,
  };
}

/** A checker's verdict on a message (successEvidence.ts): which side won and which side the message was. */
export interface CheckerVerdict {
  source: string;
  judge: string;
  winner: string;
  messageA: string | null;
}

/** A checker's outcome in a session, by the two messages it judged. */
export interface CheckerOutcome {
  winner: string;
  messageA: string | null;
  messageB: string | null;
}

export class PairwiseStore {
  private readonly insert: Statement;
  private readonly bySource: Statement<RankingRow>;
  private readonly all: Statement<RankingRow>;
  private readonly verdicts: Statement<CheckerVerdict>;
  private readonly checkerOutcomesStmt: Statement<CheckerOutcome>;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(`INSERT INTO pairwise_outcomes (${COLUMNS}) VALUES (${COLUMNS.split(", ").map(() => "?").join(", ")})`);
    const ranking = "SELECT model_a AS a, model_a_name AS aName, model_b AS b, model_b_name AS bName, winner, created_at AS createdAt FROM pairwise_outcomes";
    this.bySource = db.prepare(`${ranking} WHERE source = ? ORDER BY id`);
    this.all = db.prepare(`${ranking} ORDER BY id`);
    this.verdicts = db.prepare(`
      SELECT source, judge, winner, message_a AS messageA FROM pairwise_outcomes
      WHERE (message_a = ? OR message_b = ?) AND (source = 'checker' OR (source = 'baseline' AND judge LIKE 'checker:%')) ORDER BY id`);
    this.checkerOutcomesStmt = db.prepare(
      "SELECT winner, message_a AS messageA, message_b AS messageB FROM pairwise_outcomes WHERE session_id = ? AND source = 'checker'",
    );
  }

  /** Every checker's verdict on `messageId`: arena checks, and committee-against-baseline outcomes a checker decided. Oldest first. */
  checkerVerdicts(messageId: string): CheckerVerdict[] {
    return this.verdicts.all([messageId, messageId]);
  }

  /** The checker outcomes (source `checker`) recorded in `sessionId`. */
  checkerOutcomes(sessionId: string): CheckerOutcome[] {
    return this.checkerOutcomesStmt.all([sessionId]);
  }

  /** Validates and commits one outcome. */
  record(input: PairwiseOutcomeInput): PairwiseOutcome {
    const o = PairwiseOutcome.parse(input);
    const createdAt = o.createdAt ?? Date.now();
    this.insert.run([
      o.a.fingerprint, o.a.name, o.b.fingerprint, o.b.name, o.winner, o.source, o.judge, o.positionA, o.positionB,
      o.anonymous ? 1 : 0, o.sessionId, o.messageA, o.messageB, o.compareId, o.prompt, o.answerA, o.answerB, createdAt,
    ]);
    return { ...o, createdAt };
  }

  /** Validates every outcome first, then commits them together (all or none). */
  recordMany(inputs: readonly PairwiseOutcomeInput[]): PairwiseOutcome[] {
    inputs.forEach((i, n) => {
      const r = PairwiseOutcome.safeParse(i);
      if (!r.success) throw new Error(`outcome ${n}: ${r.error.issues.map((x) => `${x.path.join(".")}: ${x.message}`).join("; ")}`);
    });
    return this.db.transaction(() => inputs.map((i) => this.record(i)))();
  }

  /** Outcomes for ranking, oldest first. */
  rankingRows(source: LeaderboardSource): RankingRow[] {
    return source === "all" ? this.all.all() : this.bySource.all([source]);
  }

  /** Full records, oldest first (one session's, or every one). */
  list(filter: { sessionId?: string; compareId?: string } = {}): PairwiseOutcome[] {
    if (filter.sessionId !== undefined) {
      return this.db.prepare<OutcomeRow>(`SELECT ${COLUMNS} FROM pairwise_outcomes WHERE session_id = ? ORDER BY id`).all([filter.sessionId]).map(fromRow);
    }
    if (filter.compareId !== undefined) {
      return this.db.prepare<OutcomeRow>(`SELECT ${COLUMNS} FROM pairwise_outcomes WHERE compare_id = ? ORDER BY id`).all([filter.compareId]).map(fromRow);
    }
    return this.db.prepare<OutcomeRow>(`SELECT ${COLUMNS} FROM pairwise_outcomes ORDER BY id`).all().map(fromRow);
  }
}
