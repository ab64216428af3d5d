/**
 * Task-set evaluations as the engine offers them to every front end (`conclave run`, the RPC, the
 * UI): start or continue a run, follow it, list runs, stop one, and read a session's result
 * message. A run is found again by its key (evaluationPlan.ts): starting one that exists continues
 * it; one this process runs already is returned as it is; one another live process runs is refused.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { EvaluationRun, EvaluationSummary, SessionResult } from "../../../shared/evaluation.js";
import type { ExperimentInput } from "../../../shared/experiment.js";
import type { Message } from "../../../shared/conversation.js";
import type { SessionsService } from "../conversation/session/SessionsService.js";
import type { TurnGenerator } from "../conversation/bus/TurnGenerator.js";
import type { SlotRegistry } from "../runtime/slots/SlotRegistry.js";
import type { StoredRun, StoredTask } from "../data/store/evaluationStore.js";
import type { SessionStore } from "../data/store/sessionStore.js";
import { planEvaluation } from "./evaluationPlan.js";
import { EvaluationRunner, experimentJson } from "./EvaluationRunner.js";

export interface EvaluationRunOptions {
  /** The results folder (`<out>/results.json`); default: a folder per experiment under the export folder's `evaluations/`. */
  out?: string;
  /** The experiment file it came from: relative task paths resolve against its folder. */
  experimentFile?: string | null;
}

/** Evaluations over the engine: the same calls for the CLI, the RPC and the UI. */
export interface EvaluationsService {
  /** Starts a run of `experiment` (which must carry `tasks`), or continues the stored run with the same key. */
  run(experiment: ExperimentInput, options?: EvaluationRunOptions): Promise<EvaluationSummary>;
  /** Resolves when the run ends (this process must be running it). */
  wait(runId: string): Promise<EvaluationRun>;
  get(runId: string): Promise<EvaluationRun>;
  /** Every stored run, newest first. */
  list(): Promise<EvaluationSummary[]>;
  /** Stops a run this process runs; it can be continued by running it again. */
  abort(runId: string): Promise<EvaluationSummary>;
  /** The message a session ended with as its answer; null before it has one. */
  sessionResult(sessionId: string): Promise<SessionResult | null>;
  /** Stops every run as `interrupted`; resolves once they have stopped (the engine is closing: call it, close the sessions, then await it). */
  close(): Promise<void>;
}

export interface EvaluationServiceOptions {
  store: SessionStore;
  registry: SlotRegistry;
  generator: TurnGenerator;
  sessions: SessionsService;
  emit: (event: { type: "evaluation"; run: EvaluationSummary } | { type: "message"; message: Message }) => void;
  /** Where runs without `out` write their results (`<exportDir>/evaluations/…`). */
  exportDir: string;
  /** Where relative model and task paths of experiments without a file resolve. */
  baseDir?: string;
  /** Expands a preset once for the whole run, so every task's session runs the same settings. */
  prepare?: (experiment: ExperimentInput) => Promise<ExperimentInput>;
  /** Whether command checks may run unsandboxed where no sandbox exists. */
  allowUnsandboxed?: () => boolean;
}

/** A stored run no process runs now, as a summary. */
function idleSummary(run: StoredRun, tasks: StoredTask[]): EvaluationSummary {
  const inSet = tasks.filter((t) => run.taskIds.includes(t.id));
  return {
    id: run.id,
    title: run.title,
    status: run.status,
    outDir: run.outDir,
    total: inSet.length,
    done: inSet.filter((t) => t.status === "done").length,
    failed: inSet.filter((t) => t.status === "failed").length,
    skipped: 0,
    current: null,
    inFlight: [],
    concurrency: 1,
    concurrencyLimit: null,
    etaMs: null,
    error: run.error,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
  };
}

export function evaluationService(o: EvaluationServiceOptions): EvaluationsService {
  const evals = o.store.evaluations;
  const runners = new Map<string, EvaluationRunner>();
  // Runs left running by a process that is gone can be continued by running them again.
  evals.interruptOrphans();

  const stored = (runId: string): EvaluationRun => {
    const run = evals.mustGet(runId);
    const tasks = evals.tasks(runId);
    return {
      ...idleSummary(run, tasks),
      tasks: tasks.map((t) => ({ id: t.id, status: t.status, sessionId: t.sessionId, phase: null, error: t.error, durationMs: t.durationMs })),
      results: run.results,
      experiment: run.experiment,
    };
  };

  return {
    async run(input, options = {}) {
      const experiment = o.prepare ? await o.prepare(input) : input;
      const plan = await planEvaluation(experiment, {
        baseDir: o.baseDir ?? process.cwd(),
        experimentFile: options.experimentFile ?? null,
        ...(options.out ? { out: options.out } : {}),
        defaultRoot: path.join(o.exportDir, "evaluations"),
      });
      const existing = evals.findByKey(plan.key);
      if (existing) {
        const live = runners.get(existing.id);
        if (live) return live.summary();
        if (evals.runningElsewhere(existing.id)) throw new Error(`evaluation ${existing.id} is running in another process`);
        evals.claim(existing.id);
        evals.syncTasks(existing.id, plan.tasks.map((t) => t.id));
      } else {
        evals.create({ id: randomUUID(), key: plan.key, title: plan.experiment.title, experiment: experimentJson(plan), outDir: plan.outDir, taskIds: plan.tasks.map((t) => t.id) });
      }
      const id = existing?.id ?? evals.findByKey(plan.key)!.id;
      const runner = new EvaluationRunner(id, plan, {
        store: o.store,
        registry: o.registry,
        generator: o.generator,
        sessions: o.sessions,
        onChange: (run) => o.emit({ type: "evaluation", run }),
        onMessage: (message) => o.emit({ type: "message", message }),
        baseDir: options.experimentFile ? path.dirname(path.resolve(options.experimentFile)) : path.resolve(o.baseDir ?? process.cwd()),
        ...(o.allowUnsandboxed ? { allowUnsandboxed: o.allowUnsandboxed } : {}),
      });
      runners.set(id, runner);
      void runner.done.finally(() => runners.delete(id)).catch(() => undefined);
      runner.start();
      return runner.summary();
    },
    async wait(runId) {
      const live = runners.get(runId);
      if (!live) throw new Error(`evaluation ${runId} is not running in this process`);
      return live.done;
    },
    async get(runId) {
      return runners.get(runId)?.get() ?? stored(runId);
    },
    async list() {
      return evals.list().map((r) => runners.get(r.id)?.summary() ?? idleSummary(r, evals.tasks(r.id)));
    },
    async abort(runId) {
      const live = runners.get(runId);
      if (!live) throw new Error(`evaluation ${runId} is not running in this process`);
      live.abort();
      return live.summary();
    },
    async sessionResult(sessionId) {
      if (!o.store.getSession(sessionId)) throw new Error(`no session ${sessionId}`);
      return o.store.results.get(sessionId);
    },
    async close() {
      const live = [...runners.values()];
      for (const r of live) r.interrupt();
      await Promise.all(live.map((r) => r.done.catch(() => undefined)));
    },
  };
}
