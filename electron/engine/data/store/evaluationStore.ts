/**
 * Evaluation runs and their tasks in the session store's database (`evaluation_runs`,
 * `evaluation_tasks`, migration 7). A run is found again by its key, so a rerun of the same
 * experiment into the same folder continues it; each task keeps its committee session and, once
 * done, its checked outcome (the task's row of `results.json` and its calibration points), so the
 * rerun skips it and the results can be recomputed from the store alone. The process running a run
 * is recorded, so one left `running` by a process that is gone can be told apart from one another
 * process runs now.
 */
import { z } from "zod";
import { ArenaModel } from "../../../../shared/arena.js";
import { EvalResults, TaskResult } from "../../../../shared/evalResults.js";
import type { EvaluationStatus, EvaluationTaskState, EvaluationTaskStatus } from "../../../../shared/evaluation.js";
import type { JsonValue } from "../../../../shared/conversation.js";
import { ownerAlive, thisOwner } from "./sessionLifecycle.js";
import type { Database, Statement } from "./sqlite.js";

/** A finished task as stored: its row of `results.json` and the confidences its answers came with. */
export const StoredTaskOutcome = z.object({
  result: TaskResult,
  calibration: z.array(z.object({ model: ArenaModel, confidence: z.number().min(0).max(1), correct: z.boolean() })),
});
export type StoredTaskOutcome = z.infer<typeof StoredTaskOutcome>;

export interface StoredRun {
  id: string;
  key: string;
  title: string;
  experiment: JsonValue;
  outDir: string;
  taskIds: string[];
  status: EvaluationStatus;
  owner: string | null;
  results: EvalResults | null;
  error: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface StoredTask extends Omit<EvaluationTaskState, "phase"> {
  position: number;
  outcome: StoredTaskOutcome | null;
}

interface RunRow {
  id: string;
  run_key: string;
  title: string;
  experiment: string;
  out_dir: string;
  task_ids: string;
  status: string;
  owner: string | null;
  results: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
}

interface TaskRow {
  task_id: string;
  position: number;
  session_id: string | null;
  status: string;
  outcome: string | null;
  error: string | null;
  duration_ms: number | null;
}

const RUN_COLUMNS = "id, run_key, title, experiment, out_dir, task_ids, status, owner, results, error, created_at, updated_at";

function runFromRow(r: RunRow): StoredRun {
  return {
    id: r.id,
    key: r.run_key,
    title: r.title,
    experiment: JSON.parse(r.experiment) as JsonValue,
    outDir: r.out_dir,
    taskIds: JSON.parse(r.task_ids) as string[],
    status: r.status as EvaluationStatus,
    owner: r.owner,
    results: r.results === null ? null : EvalResults.parse(JSON.parse(r.results)),
    error: r.error,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function taskFromRow(r: TaskRow): StoredTask {
  return {
    id: r.task_id,
    position: r.position,
    sessionId: r.session_id,
    status: r.status as EvaluationTaskStatus,
    outcome: r.outcome === null ? null : StoredTaskOutcome.parse(JSON.parse(r.outcome)),
    error: r.error,
    durationMs: r.duration_ms,
  };
}

export interface NewRun {
  id: string;
  key: string;
  title: string;
  experiment: JsonValue;
  outDir: string;
  taskIds: readonly string[];
}

export class EvaluationStore {
  private readonly db: Database;
  private readonly insertRun: Statement;
  private readonly insertTask: Statement;
  private readonly byKey: Statement<RunRow>;
  private readonly byId: Statement<RunRow>;
  private readonly all: Statement<RunRow>;
  private readonly tasksOf: Statement<TaskRow>;
  private readonly setRunStatus: Statement;
  private readonly claimRun: Statement;
  private readonly setResults: Statement;
  private readonly setTask: Statement;
  private readonly unfinished: Statement<{ id: string; owner: string | null }>;
  private readonly bySessionStmt: Statement<{ run_id: string; task_id: string; outcome: string | null }>;

  constructor(db: Database) {
    this.db = db;
    this.insertRun = db.prepare(`INSERT INTO evaluation_runs (${RUN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, 'running', ?, NULL, NULL, ?, ?)`);
    this.insertTask = db.prepare("INSERT INTO evaluation_tasks (run_id, task_id, position, session_id, status, updated_at) VALUES (?, ?, ?, NULL, 'pending', ?)");
    this.byKey = db.prepare(`SELECT ${RUN_COLUMNS} FROM evaluation_runs WHERE run_key = ?`);
    this.byId = db.prepare(`SELECT ${RUN_COLUMNS} FROM evaluation_runs WHERE id = ?`);
    this.all = db.prepare(`SELECT ${RUN_COLUMNS} FROM evaluation_runs ORDER BY created_at DESC, rowid DESC`);
    this.tasksOf = db.prepare("SELECT task_id, position, session_id, status, outcome, error, duration_ms FROM evaluation_tasks WHERE run_id = ? ORDER BY position");
    this.setRunStatus = db.prepare("UPDATE evaluation_runs SET status = ?, error = ?, updated_at = ? WHERE id = ?");
    this.claimRun = db.prepare("UPDATE evaluation_runs SET status = 'running', owner = ?, error = NULL, updated_at = ? WHERE id = ?");
    this.setResults = db.prepare("UPDATE evaluation_runs SET results = ?, updated_at = ? WHERE id = ?");
    this.setTask = db.prepare(
      "UPDATE evaluation_tasks SET status = ?, session_id = coalesce(?, session_id), outcome = ?, error = ?, duration_ms = ?, updated_at = ? WHERE run_id = ? AND task_id = ?",
    );
    this.unfinished = db.prepare("SELECT id, owner FROM evaluation_runs WHERE status = 'running'");
    this.bySessionStmt = db.prepare("SELECT run_id, task_id, outcome FROM evaluation_tasks WHERE session_id = ?");
  }

  /** Creates a run with every task pending, owned by this process. */
  create(run: NewRun): StoredRun {
    const now = Date.now();
    this.db.transaction(() => {
      this.insertRun.run([run.id, run.key, run.title, JSON.stringify(run.experiment), run.outDir, JSON.stringify(run.taskIds), thisOwner(), now, now]);
      run.taskIds.forEach((taskId, i) => this.insertTask.run([run.id, taskId, i, now]));
    })();
    return this.mustGet(run.id);
  }

  /**
   * Adds tasks the run does not have yet (a task file that grew); the run's task order becomes
   * `taskIds`. Tasks no longer in the set keep their rows but leave the results.
   */
  syncTasks(runId: string, taskIds: readonly string[]): void {
    const known = new Set(this.tasks(runId).map((t) => t.id));
    const now = Date.now();
    this.db.transaction(() => {
      taskIds.forEach((taskId, i) => {
        if (!known.has(taskId)) this.insertTask.run([runId, taskId, i, now]);
      });
      this.db.prepare("UPDATE evaluation_runs SET task_ids = ?, updated_at = ? WHERE id = ?").run([JSON.stringify(taskIds), now, runId]);
    })();
  }

  findByKey(key: string): StoredRun | null {
    const r = this.byKey.get([key]);
    return r ? runFromRow(r) : null;
  }

  get(runId: string): StoredRun | null {
    const r = this.byId.get([runId]);
    return r ? runFromRow(r) : null;
  }

  mustGet(runId: string): StoredRun {
    const r = this.get(runId);
    if (!r) throw new Error(`no evaluation run ${runId}`);
    return r;
  }

  /** Every run, newest first. */
  list(): StoredRun[] {
    return this.all.all().map(runFromRow);
  }

  /** The run's tasks in task-set order. */
  tasks(runId: string): StoredTask[] {
    return this.tasksOf.all([runId]).map(taskFromRow);
  }

  /** Marks this process as the one running `runId`. */
  claim(runId: string): void {
    this.claimRun.run([thisOwner(), Date.now(), runId]);
  }

  /** Whether a live process other than this one runs `runId`. */
  runningElsewhere(runId: string): boolean {
    const run = this.get(runId);
    return run !== null && run.status === "running" && run.owner !== null && run.owner !== thisOwner() && ownerAlive(run.owner);
  }

  /** Runs left running by a process that no longer exists become `interrupted`; returns their ids. */
  interruptOrphans(): string[] {
    const ids: string[] = [];
    for (const r of this.unfinished.all()) {
      if (ownerAlive(r.owner)) continue;
      this.setRunStatus.run(["interrupted", "the process running it stopped", Date.now(), r.id]);
      ids.push(r.id);
    }
    return ids;
  }

  setStatus(runId: string, status: EvaluationStatus, error: string | null = null): void {
    this.setRunStatus.run([status, error, Date.now(), runId]);
  }

  saveResults(runId: string, results: EvalResults): void {
    this.setResults.run([JSON.stringify(EvalResults.parse(results)), Date.now(), runId]);
  }

  /** The task's committee session started (or was resumed). */
  startTask(runId: string, taskId: string, sessionId: string): void {
    this.setTask.run(["running", sessionId, null, null, null, Date.now(), runId, taskId]);
  }

  /** The task is checked and compared: it is skipped from now on. */
  finishTask(runId: string, taskId: string, outcome: StoredTaskOutcome, durationMs: number): void {
    this.setTask.run(["done", null, JSON.stringify(StoredTaskOutcome.parse(outcome)), null, durationMs, Date.now(), runId, taskId]);
  }

  /** The task could not be finished (its session failed); a rerun tries it again. */
  failTask(runId: string, taskId: string, error: string, durationMs: number | null): void {
    this.setTask.run(["failed", null, null, error, durationMs, Date.now(), runId, taskId]);
  }

  /** Which run and task a committee session belongs to, with the task's outcome once done. */
  bySession(sessionId: string): { runId: string; taskId: string; outcome: StoredTaskOutcome | null } | null {
    const r = this.bySessionStmt.get([sessionId]);
    if (!r) return null;
    return { runId: r.run_id, taskId: r.task_id, outcome: r.outcome === null ? null : StoredTaskOutcome.parse(JSON.parse(r.outcome)) };
  }
}
