/**
 * Task-set evaluation runs and session results, as every side sees them.
 *  - A session's result message: the one message that is the committee's answer (the chair's
 *    synthesis, the judge's verdict or the vote winner, the last pipeline step, the merge, the last
 *    answer of a validation loop, the routed answer), with the rule that picked it.
 *  - An evaluation run: one committee session per task of an experiment's task set, each checked and
 *    set against a same-budget baseline; progress per task and the `results.json` so far
 *    (shared/evalResults.ts). A run is identified by its experiment and output folder, so running the
 *    same experiment into the same folder again continues it (finished tasks are skipped).
 * Declared once here; the engine implements it, the RPC, the CLI and the UI carry it.
 */
import { z } from "zod";
import { EvalResults } from "./evalResults.js";
import { Experiment } from "./experiment.js";

/** The message a session ended with as its answer, and why that one. */
export const SessionResult = z.object({
  sessionId: z.string().min(1),
  /** Null when the protocol produced no answer (say, a vote in which no ballot counted). */
  messageId: z.string().min(1).nullable(),
  seq: z.number().int().positive().nullable(),
  /** The rule that picked it, in words: `synthesis by chair`, `vote winner (2 ballots)`, … */
  basis: z.string().min(1),
  createdAt: z.number(),
});
export type SessionResult = z.infer<typeof SessionResult>;

export const EvaluationStatus = z.enum(["running", "completed", "failed", "interrupted", "aborted"]);
export type EvaluationStatus = z.infer<typeof EvaluationStatus>;

/** Where one task stands: not started, its committee session running, checked and compared, or failed. */
export const EvaluationTaskStatus = z.enum(["pending", "running", "done", "failed"]);
export type EvaluationTaskStatus = z.infer<typeof EvaluationTaskStatus>;

/** What a task is doing while it runs. */
export const EvaluationPhase = z.enum(["committee", "check", "baseline", "compare"]);
export type EvaluationPhase = z.infer<typeof EvaluationPhase>;

export const EvaluationTaskState = z.object({
  id: z.string().min(1),
  status: EvaluationTaskStatus,
  /** The committee's session on this task, once it started. */
  sessionId: z.string().min(1).nullable(),
  phase: EvaluationPhase.nullable(),
  error: z.string().nullable(),
  /** Milliseconds the task took, once done (committee, checks and baseline together). */
  durationMs: z.number().nonnegative().nullable(),
});
export type EvaluationTaskState = z.infer<typeof EvaluationTaskState>;

/** A run without its per-task list and results: what lists and progress events carry. */
export const EvaluationSummary = z.object({
  id: z.string().min(1),
  title: z.string(),
  status: EvaluationStatus,
  /** The folder `results.json` is written into. */
  outDir: z.string(),
  total: z.number().int().nonnegative(),
  done: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  /** Tasks finished by an earlier invocation of this run and skipped by this one. */
  skipped: z.number().int().nonnegative(),
  /** The first task in progress (in the set's order) and what it is doing. */
  current: z.object({ taskId: z.string(), sessionId: z.string().nullable(), phase: EvaluationPhase }).nullable(),
  /** Every task in progress, in the set's order (several with `execution.concurrency` above 1). */
  inFlight: z.array(z.object({ taskId: z.string(), sessionId: z.string().nullable(), phase: EvaluationPhase })).default([]),
  /** Tasks run at once: `execution.concurrency`, or fewer when the memory budget holds fewer. */
  concurrency: z.number().int().positive().default(1),
  /** Why `concurrency` is lower than the experiment asks (null when it is not). */
  concurrencyLimit: z.string().nullable().default(null),
  /** Estimated milliseconds left, from the pace of the tasks done in this invocation; null until one is. */
  etaMs: z.number().nonnegative().nullable(),
  error: z.string().nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type EvaluationSummary = z.infer<typeof EvaluationSummary>;

export const EvaluationRun = EvaluationSummary.extend({
  tasks: z.array(EvaluationTaskState),
  /** `results.json` over the tasks finished so far; null before the first. */
  results: EvalResults.nullable(),
  /** The experiment as run (model paths resolved). */
  experiment: z.json(),
});
export type EvaluationRun = z.infer<typeof EvaluationRun>;

/** Starts (or continues) a task-set evaluation of `experiment`; it must carry `tasks`. */
export const EvaluationRunRequest = z.object({
  experiment: Experiment.refine((e) => e.tasks !== undefined, { message: "an evaluation needs `tasks`", path: ["tasks"] }),
});
export type EvaluationRunRequest = z.input<typeof EvaluationRunRequest>;
