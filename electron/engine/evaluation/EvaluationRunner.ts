/**
 * The task loop of one evaluation run, the same for the CLI and the UI: for each task of the set, in
 * order (up to `execution.concurrency` tasks at once, each in a session of its own), a session of the committee on that task (the experiment with `task` framing the task's
 * prompt), then the check, the same-budget baseline and committee against baseline
 * (taskEvaluation.ts). After every task the run's `results.json` is recomputed from the stored
 * outcomes in the set's order, saved in the database and written to `<out>/results.json`, so a
 * killed run loses at most the tasks it was on, and the file is the same whatever the concurrency.
 *
 * Resumable: a task whose outcome is stored is skipped; one whose session was interrupted resumes
 * that session; one whose session completed before its check was stored is checked without running
 * the committee again (a stored baseline is reused too). Aborting stops the session in flight and
 * leaves the run `aborted`; closing the engine leaves it `interrupted`; either is continued by
 * running it again. A task whose session fails is recorded as failed, and a rerun tries it again.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { EvalResults } from "../../../shared/evalResults.js";
import type { EvaluationPhase, EvaluationRun, EvaluationStatus, EvaluationSummary } from "../../../shared/evaluation.js";
import type { JsonValue, Message } from "../../../shared/conversation.js";
import type { TaskItem } from "../../../shared/experiment.js";
import { hashString } from "../../../shared/prng.js";
import type { SessionsService } from "../conversation/session/SessionsService.js";
import type { TurnGenerator } from "../conversation/bus/TurnGenerator.js";
import type { SlotRegistry } from "../runtime/slots/SlotRegistry.js";
import type { StoredTask } from "../data/store/evaluationStore.js";
import type { SessionStore } from "../data/store/sessionStore.js";
import type { EvaluationPlan } from "./evaluationPlan.js";
import { taskExperiment } from "./evaluationPlan.js";
import { evaluateTask } from "./taskEvaluation.js";
import { computeResults } from "./tasks/results.js";
import { Mutex } from "../runtime/slots/mutex.js";
import { admittedConcurrency, type AdmittedConcurrency } from "./concurrencyAdmission.js";
import { plural } from "../../../shared/plural.js";

export interface EvaluationRunnerDeps {
  store: SessionStore;
  registry: SlotRegistry;
  generator: TurnGenerator;
  sessions: SessionsService;
  /** A run moved on. */
  onChange: (summary: EvaluationSummary) => void;
  /** A message the evaluation added to a task's session (the baseline's samples). */
  onMessage: (message: Message) => void;
  /** Where a command check's `checkFiles[].from` resolve (the experiment file's folder). */
  baseDir?: string;
  /** Whether command checks may run unsandboxed where no sandbox exists. */
  allowUnsandboxed?: () => boolean;
}

/** Thrown at a checkpoint once the run is asked to stop. */
class StopRequested extends Error {}

type TaskEnd = "done" | "failed" | "stop";

export class EvaluationRunner {
  private stopAs: "aborted" | "interrupted" | null = null;
  /** Tasks in progress, by id; several when the experiment's `execution.concurrency` is above 1. */
  private readonly inFlight = new Map<string, { taskId: string; sessionId: string | null; phase: EvaluationPhase }>();
  /** `results.json` is recomputed by one finished task at a time. */
  private readonly publishing = new Mutex();
  private readonly durations: number[] = [];
  /** Tasks this invocation finished (done or failed). */
  private readonly attempted = new Set<string>();
  private skipped = 0;
  private status: EvaluationStatus = "running";
  private error: string | null = null;
  readonly done: Promise<EvaluationRun>;
  private startDone!: () => void;

  constructor(
    readonly id: string,
    private readonly plan: EvaluationPlan,
    private readonly deps: EvaluationRunnerDeps,
  ) {
    const started = new Promise<void>((resolve) => (this.startDone = resolve));
    this.done = started.then(() => this.loop());
  }

  /** Starts the loop (once). */
  start(): void {
    this.startDone();
  }

  /** Stops the run: the session in flight is aborted and the run ends `aborted` (resumable). */
  abort(): void {
    this.stop("aborted");
  }

  /** Stops the run because the engine closes: it ends `interrupted` (the session in flight is interrupted by the session manager). */
  interrupt(): void {
    this.stopAs ??= "interrupted";
  }

  private stop(as: "aborted" | "interrupted"): void {
    this.stopAs ??= as;
    if (as !== "aborted") return;
    for (const { sessionId } of this.inFlight.values()) {
      if (sessionId) void this.deps.sessions.control(sessionId, "abort").catch(() => undefined);
    }
  }

  private get evals() {
    return this.deps.store.evaluations;
  }

  /** Where the run stands, for events and lists. */
  summary(): EvaluationSummary {
    const run = this.evals.mustGet(this.id);
    const tasks = this.evals.tasks(this.id).filter((t) => this.plan.tasks.some((p) => p.id === t.id));
    const done = tasks.filter((t) => t.status === "done").length;
    const failed = tasks.filter((t) => t.status === "failed").length;
    const mean = this.durations.length === 0 ? null : this.durations.reduce((a, b) => a + b, 0) / this.durations.length;
    const left = tasks.filter((t) => t.status !== "done" && !this.attempted.has(t.id)).length;
    const inFlight = this.plan.tasks.flatMap((t) => this.inFlight.get(t.id) ?? []);
    return {
      id: this.id,
      title: run.title,
      status: this.status,
      outDir: run.outDir,
      total: tasks.length,
      done,
      failed,
      skipped: this.skipped,
      current: inFlight[0] ?? null,
      inFlight,
      concurrency: this.admitted.concurrency,
      concurrencyLimit: this.admitted.limitedBy,
      // Tasks finish `concurrency` at a time, so the time left divides by the tasks in flight.
      etaMs: mean === null || this.status !== "running" ? null : (mean * left) / Math.max(1, this.concurrency()),
      error: this.error,
      createdAt: run.createdAt,
      updatedAt: Date.now(),
    };
  }

  private changed(): void {
    try {
      this.deps.onChange(this.summary());
    } catch {
      // A listener's failure must not stop the run.
    }
  }

  private setPhase(taskId: string, sessionId: string | null, phase: EvaluationPhase): void {
    this.inFlight.set(taskId, { taskId, sessionId, phase });
    this.changed();
  }

  /** Tasks run at once: the experiment's `execution.concurrency` as the budget admits it (concurrencyAdmission.ts). */
  private admitted: AdmittedConcurrency = { concurrency: 1, limitedBy: null };

  private concurrency(): number {
    return this.admitted.concurrency;
  }

  private checkpoint(): void {
    if (this.stopAs) throw new StopRequested(this.stopAs);
  }

  private async loop(): Promise<EvaluationRun> {
    const stored = new Map(this.evals.tasks(this.id).map((t) => [t.id, t]));
    this.skipped = this.plan.tasks.filter((t) => stored.get(t.id)?.status === "done").length;
    this.changed();
    let failed = 0;
    try {
      const pending = this.plan.tasks.filter((t) => stored.get(t.id)?.status !== "done");
      this.admitted = await admittedConcurrency(this.deps.registry, this.plan.experiment, Math.max(1, this.plan.experiment.execution?.concurrency ?? 1));
      this.changed();
      let next = 0;
      let fatal: unknown = null;
      // Each worker takes the next task of the set; a task that ends is published before its worker
      // takes another, so at most `concurrency` tasks are ever unfinished and unstored.
      const worker = async (): Promise<void> => {
        while (!this.stopAs && fatal === null) {
          const task = pending[next++];
          if (!task) return;
          const end = await this.runTask(task, stored.get(task.id) ?? null);
          this.inFlight.delete(task.id);
          if (end === "stop") return;
          this.attempted.add(task.id);
          if (end === "failed") failed++;
          try {
            await this.publishing.run(() => this.publishResults());
          } catch (e) {
            fatal ??= e;
            return;
          }
          this.changed();
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.concurrency(), Math.max(1, pending.length)) }, worker));
      if (fatal !== null) throw fatal;
      if (this.stopAs) this.status = this.stopAs;
      else if (failed > 0) {
        this.status = "failed";
        this.error = `${failed} of ${plural(this.plan.tasks.length, "task")} failed; run it again to retry them`;
      } else this.status = "completed";
    } catch (e) {
      this.status = this.stopAs ?? "failed";
      this.error = e instanceof Error ? e.message : String(e);
    }
    this.inFlight.clear();
    this.evals.setStatus(this.id, this.status, this.error);
    await this.publishResults().catch((e: unknown) => {
      this.error ??= `results.json could not be written: ${e instanceof Error ? e.message : String(e)}`;
    });
    this.changed();
    return this.get();
  }

  /** The run with its tasks and latest results. */
  get(): EvaluationRun {
    const run = this.evals.mustGet(this.id);
    return {
      ...this.summary(),
      tasks: this.evals.tasks(this.id).map((t) => ({
        id: t.id,
        status: t.status,
        sessionId: t.sessionId,
        phase: this.inFlight.get(t.id)?.phase ?? null,
        error: t.error,
        durationMs: t.durationMs,
      })),
      results: run.results,
      experiment: run.experiment,
    };
  }

  /** Runs one task to its stored outcome; "stop" when the run was asked to stop meanwhile. */
  private async runTask(task: TaskItem, row: StoredTask | null): Promise<TaskEnd> {
    const t0 = Date.now();
    const { sessions, store } = this.deps;
    const fail = (error: string): TaskEnd => {
      this.evals.failTask(this.id, task.id, error, Date.now() - t0);
      return "failed";
    };
    this.setPhase(task.id, row?.sessionId ?? null, "committee");
    let sessionId = row?.sessionId ?? null;
    let status = sessionId ? (store.getSession(sessionId)?.status ?? null) : null;
    try {
      if (status !== "completed") {
        this.checkpoint();
        if (sessionId && status === "interrupted") await sessions.control(sessionId, "resume");
        else sessionId = (await sessions.create(taskExperiment(this.plan.experiment, task))).id;
        // Asked to stop while the session was being created: it would outlive the run.
        if (this.stopAs) await sessions.control(sessionId, "abort").catch(() => undefined);
        this.evals.startTask(this.id, task.id, sessionId);
        this.setPhase(task.id, sessionId, "committee");
        const outcome = await sessions.wait(sessionId);
        status = outcome.status;
        if (status !== "completed") {
          if (this.stopAs) return "stop";
          return fail(`the committee's session ${status}${outcome.error ? `: ${outcome.error}` : ""}`);
        }
      }
      const id = sessionId!;
      const seed = Number((store.getSession(id)?.experiment as { seed?: unknown } | undefined)?.seed ?? 0);
      const { outcome, commit } = await evaluateTask(
        {
          store,
          registry: this.deps.registry,
          generator: this.deps.generator,
          experiment: this.plan.experiment,
          check: this.plan.experiment.check ?? null,
          judgeModel: this.plan.judgeModel,
          baseline: this.plan.experiment.baseline ?? null,
          baselineModel: this.plan.baselineModel,
          seed: hashString(`${seed}:${task.id}:evaluation`) & 0x7fffffff,
          phase: (phase) => this.setPhase(task.id, id, phase),
          checkpoint: () => this.checkpoint(),
          emit: (m) => this.deps.onMessage(m),
          ...(this.deps.baseDir ? { baseDir: this.deps.baseDir } : {}),
          ...(this.deps.allowUnsandboxed?.() ? { allowUnsandboxed: true } : {}),
        },
        task,
        id,
      );
      const ms = Date.now() - t0;
      store.transaction(() => {
        commit();
        this.evals.finishTask(this.id, task.id, outcome, ms);
      });
      this.durations.push(ms);
      return "done";
    } catch (e) {
      if (e instanceof StopRequested || this.stopAs) return "stop";
      return fail(e instanceof Error ? e.message : String(e));
    }
  }

  /** Recomputes `results.json` from the stored outcomes of the plan's tasks; saves and writes it. */
  private async publishResults(): Promise<void> {
    const byId = new Map(this.evals.tasks(this.id).map((t) => [t.id, t]));
    const outcomes = this.plan.tasks.flatMap((t) => {
      const o = byId.get(t.id)?.outcome;
      return o ? [o] : [];
    });
    if (outcomes.length === 0) return;
    const e = this.plan.experiment;
    const results: EvalResults = computeResults({
      title: e.title,
      check: e.check?.kind ?? null,
      baselineKind: e.baseline?.kind ?? null,
      tasks: outcomes.map((o) => o.result),
      calibration: outcomes.flatMap((o) => o.calibration),
      bootstrap: { seed: e.seed ?? 0 },
    });
    this.evals.saveResults(this.id, results);
    const file = path.join(this.plan.outDir, "results.json");
    await mkdir(this.plan.outDir, { recursive: true });
    // Written beside and renamed, so a reader never sees half a file.
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(results, null, 2)}\n`);
    await rename(temp, file);
  }
}

/** The stored experiment of a run, as JSON. */
export function experimentJson(plan: EvaluationPlan): JsonValue {
  return JSON.parse(JSON.stringify(plan.experiment)) as JsonValue;
}
