/**
 * One task after its committee session has completed: the committee's answer (the session's result
 * message, extracted and checked), the same-budget baseline (sampled, stored, its answer chosen and
 * checked), committee against baseline, and what the arena should learn from it:
 *  - with a check, every correct final answer to the task beats every incorrect one (the result, each
 *    member's last answer when checking costs no model call, each baseline sample that was checked:
 *    `recordCheckerOutcomes`), and committee against baseline is decided by their checks;
 *  - without one, the members compare the two answers blind (blindComparison.ts);
 *  - either way the committee's result against the baseline's answer is recorded with
 *    `recordBaselineOutcome`.
 * Conformity (flips, oracle gap) and calibration points need every member's answer checked, so they
 * come with model-free checks only. The outcome is returned with a `commit` that records the arena
 * outcomes, for the caller to run in the same transaction that marks the task done.
 */
import type { Message } from "../../../shared/conversation.js";
import { modelRoles, type BaselineSpec, type CheckSpec, type Experiment, type TaskItem } from "../../../shared/experiment.js";
import type { AnswerResult, ConformityCounts } from "../../../shared/evalResults.js";
import type { PairWinner } from "../../../shared/arena.js";
import type { EvaluationPhase } from "../../../shared/evaluation.js";
import { recordBaselineOutcome, recordCheckerOutcomes, type CheckedAnswer } from "./arena/checkerOutcomes.js";
import type { TurnGenerator } from "../conversation/bus/TurnGenerator.js";
import type { SlotRegistry } from "../runtime/slots/SlotRegistry.js";
import { allMessages } from "../data/store/allMessages.js";
import type { StoredTaskOutcome } from "../data/store/evaluationStore.js";
import type { SessionStore } from "../data/store/sessionStore.js";
import { membersCompare } from "./blindComparison.js";
import { freeName } from "./evalSeat.js";
import { baselineStart, runBaseline, storedBaseline, type BaselineRun } from "./sameBudgetBaseline.js";
import { graderFor, type Grader } from "./taskGrader.js";
import { checkerFor } from "./tasks/checkers.js";
import { ANSWER_TYPES, conformity } from "./tasks/conformity.js";
import { extractAnswer } from "./tasks/extractAnswer.js";
import { majorityAnswer } from "./tasks/majority.js";
import type { CalibrationPoint } from "./tasks/results.js";
import { ATTACHMENTS_HEADING } from "../conversation/session/sessionCode.js";

export interface TaskEvaluationContext {
  store: SessionStore;
  registry: SlotRegistry;
  /** The backend pool: judges' verdicts are turns like any other. */
  generator: TurnGenerator;
  /** The experiment as run, model paths resolved. */
  experiment: Experiment;
  check: CheckSpec | null;
  /** The judge's model, resolved, for a `judge` check. */
  judgeModel: string | null;
  baseline: BaselineSpec | null;
  /** The baseline's model, resolved. */
  baselineModel: string | null;
  seed: number;
  phase: (phase: EvaluationPhase) => void;
  checkpoint: () => void;
  emit: (message: Message) => void;
  /** Where a command check's `checkFiles[].from` resolve (the experiment file's folder). */
  baseDir?: string;
  allowUnsandboxed?: boolean;
}

export interface TaskEvaluation {
  outcome: StoredTaskOutcome;
  /** Records the arena outcomes; run it in the transaction that marks the task done. */
  commit: () => void;
}

const tokensOf = (messages: readonly Message[]): number => messages.reduce((s, m) => s + (m.usage?.completionTokens ?? 0), 0);
const modelOf = (m: Message) => (m.provenance ? { fingerprint: m.provenance.fingerprint, name: m.provenance.modelName } : null);

/** The baseline's answer: majority (self-consistency), the first one the check accepts (best-of-n), or the first answered sample (single). */
async function chooseBaseline(kind: BaselineSpec["kind"], answers: readonly (string | null)[], grade: (i: number) => Promise<boolean | null>, check: CheckSpec | null): Promise<number> {
  const firstAnswered = Math.max(0, answers.findIndex((a) => a !== null));
  if (kind === "single") return firstAnswered;
  if (kind === "best-of-n" && check !== null) {
    for (let i = 0; i < answers.length; i++) if (answers[i] !== null && (await grade(i)) === true) return i;
    return firstAnswered;
  }
  return majorityAnswer(answers, check ?? undefined).index ?? 0;
}

export async function evaluateTask(ctx: TaskEvaluationContext, task: TaskItem, sessionId: string): Promise<TaskEvaluation> {
  const { store, experiment } = ctx;
  const extract = experiment.extract;
  const session = store.getSession(sessionId);
  if (!session) throw new Error(`no session ${sessionId}`);
  const messages = [...allMessages(store, sessionId)];
  const roles = experiment.roles.map((r) => r.name);
  const start = baselineStart(messages);
  const committee = start < 0 ? messages : messages.slice(0, start);
  const committeeTokens = tokensOf(committee);
  const stored = store.results.get(sessionId);
  const result = stored?.messageId ? (committee.find((m) => m.id === stored.messageId) ?? null) : null;
  const committeeAnswer = result ? extractAnswer(result.content, extract) : null;

  ctx.phase("check");
  const grader: Grader = graderFor({
    check: ctx.check,
    task,
    registry: ctx.registry,
    generator: ctx.generator,
    sessionId,
    judgeRole: freeName("eval-judge", roles),
    judgeModel: ctx.judgeModel,
    seed: ctx.seed,
    store,
    ...(ctx.baseDir ? { baseDir: ctx.baseDir } : {}),
    ...(ctx.allowUnsandboxed ? { allowUnsandboxed: true } : {}),
  });
  try {
    const committeeCorrect = await grader.grade(committeeAnswer);
    const committeeEvidence = grader.evidence?.(committeeAnswer) ?? null;
    const committeeResult: AnswerResult = { answer: committeeAnswer, correct: committeeCorrect, tokens: committeeTokens, messageId: result?.id ?? null, ...(committeeEvidence ? { check: committeeEvidence } : {}) };
    const checked: CheckedAnswer[] = [];
    if (result && committeeCorrect !== null) checked.push({ message: result, correct: committeeCorrect });

    // Each member's final answer, checked when that costs no model call.
    const calibration: CalibrationPoint[] = [];
    let conf: ConformityCounts | null = null;
    const sync = ctx.check === null ? null : checkerFor(ctx.check);
    if (ctx.check !== null && sync !== null) {
      const isCorrect = (answer: string): boolean => sync(answer, task).correct;
      const verdicts = new Map<string, boolean>();
      for (const m of committee) {
        if (!roles.includes(m.from) || !ANSWER_TYPES.has(m.type)) continue;
        const answer = extractAnswer(m.content, extract);
        if (answer === null) continue;
        const correct = isCorrect(answer);
        verdicts.set(m.id, correct);
        const model = modelOf(m);
        if (model && m.confidence !== null) calibration.push({ model, confidence: m.confidence, correct });
      }
      for (const role of roles) {
        const last = committee.findLast((m) => m.from === role && verdicts.has(m.id));
        if (last && last.id !== result?.id) checked.push({ message: last, correct: verdicts.get(last.id) === true });
      }
      conf = conformity({ messages: committee, resultCorrect: committeeCorrect, isCorrect, ...(extract ? { extract } : {}), check: ctx.check });
    } else if (result && committeeCorrect !== null && result.confidence !== null && modelOf(result)) {
      calibration.push({ model: modelOf(result)!, confidence: result.confidence, correct: committeeCorrect });
    }

    // The same-budget baseline.
    let baselineResult: AnswerResult | null = null;
    let baselineMessage: Message | null = null;
    let samples: { n: number; c: number } | null = null;
    if (ctx.baseline && ctx.baselineModel !== null && committeeTokens > 0) {
      const speaker = freeName("baseline", roles);
      let run: BaselineRun | null = storedBaseline(messages, speaker);
      if (!run) {
        ctx.phase("baseline");
        const longest = Math.max(0, ...committee.map((m) => m.usage?.completionTokens ?? 0));
        run = await runBaseline({
          store,
          registry: ctx.registry,
          sessionId,
          // The baseline sees what the committee saw: the task and the attachments' message.
          taskText: [session.task, ...committee.filter((m) => m.from === "user" && m.content.startsWith(ATTACHMENTS_HEADING)).map((m) => m.content)].join("\n\n"),
          spec: ctx.baseline,
          model: ctx.baselineModel,
          role: experiment.roles.find((r) => r.name === ctx.baseline?.model) ?? (ctx.baseline.model === undefined ? experiment.roles[0]! : null),
          speaker,
          seatRole: freeName("eval-baseline", roles),
          committeeTokens,
          perSample: longest > 0 ? longest : 128,
          seed: ctx.seed,
          checkpoint: ctx.checkpoint,
          emit: ctx.emit,
        });
      }
      ctx.phase("check");
      const answers = run.samples.map((m) => extractAnswer(m.content, extract));
      const grades = new Map<number, boolean | null>();
      const gradeSample = async (i: number): Promise<boolean | null> => {
        if (!grades.has(i)) grades.set(i, await grader.grade(answers[i] ?? null));
        return grades.get(i) ?? null;
      };
      const chosen = run.samples.length === 0 ? -1 : await chooseBaseline(ctx.baseline.kind, answers, gradeSample, ctx.check);
      baselineMessage = run.samples[chosen] ?? null;
      const answer = ctx.baseline.kind === "self-consistency" ? majorityAnswer(answers, ctx.check ?? undefined).answer : (answers[chosen] ?? null);
      const correct = chosen < 0 ? (ctx.check ? false : null) : await grader.grade(answer);
      const baselineEvidence = grader.evidence?.(answer) ?? null;
      baselineResult = { answer, correct, tokens: run.tokens, messageId: baselineMessage?.id ?? null, ...(baselineEvidence ? { check: baselineEvidence } : {}) };
      if (grader.modelFree) for (let i = 0; i < run.samples.length; i++) await gradeSample(i);
      if (grader.modelFree && ctx.check !== null) samples = { n: run.samples.length, c: [...grades.values()].filter((g) => g === true).length };
      for (const [i, c] of grades) if (c !== null && run.samples[i]) checked.push({ message: run.samples[i]!, correct: c });
    }

    // Committee against baseline.
    let comparison: { winner: PairWinner; judge: string; positions: { committee: number; baseline: number } | null } | null = null;
    if (result && baselineMessage && baselineResult && modelOf(result) && modelOf(baselineMessage)) {
      if (committeeCorrect !== null && baselineResult.correct !== null) {
        const c = committeeCorrect;
        const b = baselineResult.correct;
        comparison = { winner: c && !b ? "a" : b && !c ? "b" : c && b ? "tie" : "both-bad", judge: grader.label() ?? "check", positions: null };
      } else if (ctx.check === null) {
        ctx.phase("compare");
        const verdict = await membersCompare({
          registry: ctx.registry,
          generator: ctx.generator,
          sessionId,
          task: { ...task, prompt: session.task },
          members: modelRoles(experiment).map((r) => ({ name: r.name, model: r.model })),
          taken: roles,
          committee: result.content,
          baseline: baselineMessage.content,
          seed: ctx.seed,
        });
        if (verdict) comparison = { winner: verdict.winner, judge: verdict.judge, positions: verdict.positions };
      }
    }

    const label = grader.label();
    const outcome: StoredTaskOutcome = {
      result: { id: task.id, sessionId, committee: committeeResult, baseline: baselineResult, conformity: conf, comparison: comparison ? { winner: comparison.winner, judge: comparison.judge } : null, ...(samples ? { samples } : {}) },
      calibration,
    };
    const commit = (): void => {
      if (label !== null && checked.length > 1) recordCheckerOutcomes(store, checked, label);
      if (comparison && result && baselineMessage) {
        recordBaselineOutcome(store, { committee: result, baseline: baselineMessage, winner: comparison.winner, judge: comparison.judge, positions: comparison.positions });
      }
    };
    return { outcome, commit };
  } finally {
    await grader.close();
  }
}
