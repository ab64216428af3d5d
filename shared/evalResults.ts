/**
 * `results.json` of a task-set run: per task the committee's answer and the same-budget baseline's,
 * whether each is correct and what each spent, then the paired statistics (accuracy delta with its
 * paired-bootstrap 95% interval, exact McNemar p), conformity (answers flipped after seeing peers;
 * sessions where some member was right and the result wrong) and calibration of stated confidence per
 * model. Declared once here; the engine computes it (electron/engine/evaluation/tasks/results.ts), the CLI
 * writes it, the UI reads it.
 */
import { z } from "zod";
import { ArenaModel, PairWinner } from "./arena.js";
import { CommandCheckOutcome } from "./commandCheck.js";

export const EVAL_RESULTS_VERSION = 1;

export const AnswerResult = z.object({
  /** The extracted answer; null when the extract pattern found none. */
  answer: z.string().nullable(),
  /** Null when nothing could check it (no checker and no judge verdict). */
  correct: z.boolean().nullable(),
  /** Completion tokens spent on the task. */
  tokens: z.number().int().nonnegative(),
  /** The stored message the answer came from. */
  messageId: z.string().nullable(),
  /** A command check's evidence for this answer (its artifacts, the exit code, output, limits). */
  check: CommandCheckOutcome.nullable().optional(),
});
export type AnswerResult = z.infer<typeof AnswerResult>;

export const ConformityCounts = z.object({
  /** A member's answer went from correct to incorrect after it saw its peers. */
  flipsToWrong: z.number().int().nonnegative(),
  /** From incorrect to correct. */
  flipsToRight: z.number().int().nonnegative(),
  /** Per session: 1 when some member gave a correct answer at some point but the result is wrong; in aggregate, how many sessions. */
  oracleGap: z.number().int().nonnegative(),
});
export type ConformityCounts = z.infer<typeof ConformityCounts>;

export const TaskResult = z.object({
  id: z.string(),
  sessionId: z.string().nullable(),
  committee: AnswerResult,
  baseline: AnswerResult.nullable(),
  conformity: ConformityCounts.nullable(),
  /**
   * Committee (`a`) against baseline (`b`): decided by the check, or — without one — by a blind
   * comparison; null when there was nothing to compare. Optional: results written before it was kept.
   */
  comparison: z.object({ winner: PairWinner, judge: z.string() }).nullable().optional(),
  /** The baseline's samples on this task and how many passed the check (for pass@k); absent without checked samples. */
  samples: z.object({ n: z.number().int().nonnegative(), c: z.number().int().nonnegative() }).nullable().optional(),
});
export type TaskResult = z.infer<typeof TaskResult>;

export const SystemScore = z.object({
  /** Correct over checked tasks; null when none was checked. */
  accuracy: z.number().min(0).max(1).nullable(),
  correct: z.number().int().nonnegative(),
  checked: z.number().int().nonnegative(),
  tokens: z.number().int().nonnegative(),
});
export type SystemScore = z.infer<typeof SystemScore>;

export const CalibrationRow = z.object({
  model: ArenaModel,
  brier: z.number().min(0).max(1),
  /** Expected calibration error over 10 equal-width bins. */
  ece: z.number().min(0).max(1),
  n: z.number().int().positive(),
});
export type CalibrationRow = z.infer<typeof CalibrationRow>;

export const EvalResults = z.object({
  version: z.literal(EVAL_RESULTS_VERSION),
  title: z.string(),
  check: z.string().nullable(),
  baselineKind: z.string().nullable(),
  tasks: z.array(TaskResult),
  committee: SystemScore,
  baseline: SystemScore.nullable(),
  /** Committee accuracy minus baseline accuracy over the tasks both were checked on. */
  delta: z.number().nullable(),
  /** Paired bootstrap 95% interval of the delta. */
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  /** Exact McNemar test on the discordant tasks: b = committee right and baseline wrong, c = the reverse. */
  mcnemar: z.object({ b: z.number().int().nonnegative(), c: z.number().int().nonnegative(), p: z.number().min(0).max(1) }).nullable(),
  tokens: z.object({ committee: z.number().int().nonnegative(), baseline: z.number().int().nonnegative().nullable() }),
  /** Summed over sessions; null without a checker. */
  conformity: ConformityCounts.extend({ sessions: z.number().int().nonnegative() }).nullable(),
  calibration: z.array(CalibrationRow),
  /** pass@k of the baseline's samples (unbiased estimator, mean over tasks), keyed by k; null without checked samples. */
  passAtK: z.record(z.string(), z.number().min(0).max(1)).nullable().optional(),
});
export type EvalResults = z.infer<typeof EvalResults>;
