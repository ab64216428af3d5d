/**
 * The `results.json` of a task-set run, computed from recorded outcomes (a pure function: the
 * evaluation runner gathers the per-task answers, checks, token counts and confidences; this turns
 * them into the shape of shared/evalResults.ts).
 *  - Accuracy counts checked tasks only (a task nobody could check is reported, not scored).
 *  - The delta, its paired-bootstrap 95% interval and McNemar's exact p use the tasks on which both
 *    the committee and the baseline were checked, paired task by task.
 *  - Conformity sums the per-session counts; calibration groups every (stated confidence, checked
 *    correctness) point by model and reports its Brier score and ECE (10 equal-width bins).
 */
import type { ArenaModel } from "../../../../shared/arena.js";
import { EVAL_RESULTS_VERSION, type AnswerResult, type ConformityCounts, type EvalResults, type SystemScore } from "../../../../shared/evalResults.js";
import { brierScore, expectedCalibrationError } from "../stats/calibration.js";
import { discordantPairs, mcnemarExactP } from "../stats/mcnemar.js";
import { pairedBootstrapDelta } from "../stats/pairedBootstrap.js";
import { meanPassAtK } from "../stats/passAtK.js";

export interface TaskOutcome {
  id: string;
  sessionId: string | null;
  committee: AnswerResult;
  baseline: AnswerResult | null;
  /** The session's conformity counts (see conformity.ts); null without a checker. */
  conformity: ConformityCounts | null;
  /** The baseline's checked samples and how many passed (pass@k). */
  samples?: { n: number; c: number } | null;
}

/** One stated confidence and whether the answer it came with was correct. */
export interface CalibrationPoint {
  model: ArenaModel;
  confidence: number;
  correct: boolean;
}

export interface ResultsInput {
  title: string;
  /** The check kind, or null without one. */
  check: string | null;
  baselineKind: string | null;
  tasks: readonly TaskOutcome[];
  calibration?: readonly CalibrationPoint[];
  /** Paired bootstrap settings (default 2000 resamples, seed 0). */
  bootstrap?: { resamples?: number; seed?: number };
}

function score(answers: readonly AnswerResult[]): SystemScore {
  const checked = answers.filter((a) => a.correct !== null);
  const correct = checked.filter((a) => a.correct === true).length;
  return {
    accuracy: checked.length === 0 ? null : correct / checked.length,
    correct,
    checked: checked.length,
    tokens: answers.reduce((s, a) => s + a.tokens, 0),
  };
}

export function computeResults(input: ResultsInput): EvalResults {
  const tasks = input.tasks.map((t) => ({ ...t }));
  const committee = score(tasks.map((t) => t.committee));
  const withBaseline = tasks.filter((t) => t.baseline !== null);
  const baseline = input.baselineKind === null && withBaseline.length === 0 ? null : score(withBaseline.map((t) => t.baseline!));

  const paired = tasks.filter((t) => t.committee.correct !== null && t.baseline?.correct !== null && t.baseline !== null);
  const first = paired.map((t) => t.committee.correct === true);
  const second = paired.map((t) => t.baseline?.correct === true);
  const boot = paired.length > 0 ? pairedBootstrapDelta(first, second, { resamples: input.bootstrap?.resamples ?? 2000, seed: input.bootstrap?.seed ?? 0 }) : null;
  const pairs = paired.length > 0 ? discordantPairs(first, second) : null;

  const counted = tasks.filter((t) => t.conformity !== null);
  const conformity =
    counted.length === 0
      ? null
      : counted.reduce(
          (s, t) => ({
            flipsToWrong: s.flipsToWrong + t.conformity!.flipsToWrong,
            flipsToRight: s.flipsToRight + t.conformity!.flipsToRight,
            oracleGap: s.oracleGap + t.conformity!.oracleGap,
            sessions: s.sessions + 1,
          }),
          { flipsToWrong: 0, flipsToRight: 0, oracleGap: 0, sessions: 0 },
        );

  const byModel = new Map<string, { model: ArenaModel; points: { confidence: number; correct: boolean }[] }>();
  for (const p of input.calibration ?? []) {
    const entry = byModel.get(p.model.fingerprint) ?? { model: p.model, points: [] };
    entry.points.push({ confidence: p.confidence, correct: p.correct });
    byModel.set(p.model.fingerprint, entry);
  }
  const calibration = [...byModel.values()].map(({ model, points }) => ({
    model,
    brier: brierScore(points) ?? 0,
    ece: expectedCalibrationError(points) ?? 0,
    n: points.length,
  }));

  return {
    version: EVAL_RESULTS_VERSION,
    title: input.title,
    check: input.check,
    baselineKind: input.baselineKind,
    tasks,
    committee,
    baseline,
    delta: boot?.delta ?? null,
    ci95: boot?.ci ?? null,
    mcnemar: pairs ? { ...pairs, p: mcnemarExactP(pairs) } : null,
    tokens: { committee: committee.tokens, baseline: baseline?.tokens ?? null },
    conformity,
    calibration,
    passAtK: meanPassAtK(tasks.flatMap((t) => (t.samples ? [t.samples] : []))),
  };
}
