/**
 * Outcomes an evaluation run knows without a vote, recorded in the arena against the session's
 * messages so they rank models and become preference pairs in exports (data/export/preference.ts):
 *  - a checker's verdicts: every correct answer to a prompt beats every incorrect answer to the same
 *    prompt (source `checker`), including two samples of one model (preference data only: the
 *    leaderboard skips a model against itself);
 *  - committee against baseline: the committee's result message against the same-budget baseline's
 *    answer to the same task, decided by a checker or a blind judge (source `baseline`).
 * The evaluation runner calls these once it has checked a task's answers.
 */
import type { PairWinner, PairwiseOutcome, PairwiseOutcomeInput } from "../../../../shared/arena.js";
import type { Message } from "../../../../shared/conversation.js";
import type { SessionStore } from "../../data/store/sessionStore.js";

/** A stored answer to one prompt and whether the checker accepted it. */
export interface CheckedAnswer {
  message: Message;
  correct: boolean;
}

const modelOf = (m: Message) => (m.provenance ? { fingerprint: m.provenance.fingerprint, name: m.provenance.modelName } : null);

/** Every correct-against-incorrect pair among `answers` (all to the same prompt), judged by `checker` (e.g. `checker:numeric`). */
export function checkerOutcomes(answers: readonly CheckedAnswer[], checker: string): PairwiseOutcomeInput[] {
  const out: PairwiseOutcomeInput[] = [];
  for (let i = 0; i < answers.length; i++) {
    for (let j = i + 1; j < answers.length; j++) {
      const x = answers[i]!;
      const y = answers[j]!;
      if (x.correct === y.correct) continue;
      const a = modelOf(x.message);
      const b = modelOf(y.message);
      if (!a || !b) continue;
      out.push({
        a, b,
        winner: x.correct ? "a" : "b",
        source: "checker",
        judge: checker,
        anonymous: true,
        sessionId: x.message.sessionId,
        messageA: x.message.id,
        messageB: y.message.id,
      });
    }
  }
  return out;
}

/** Records a checker's verdicts on answers to one prompt; returns the outcomes stored. */
export function recordCheckerOutcomes(store: SessionStore, answers: readonly CheckedAnswer[], checker: string): PairwiseOutcome[] {
  return store.pairwise.recordMany(checkerOutcomes(answers, checker));
}

export interface BaselineComparison {
  /** The committee's result message. */
  committee: Message;
  /** The baseline's chosen answer, stored as a message of the same session. */
  baseline: Message;
  /** `a` = the committee won. */
  winner: PairWinner;
  /** A checker (`checker:exact`) or the blind judge (`judge:<role> (<model>)`). */
  judge: string;
  /** Where each answer was shown to a judge (0 = first); null for a checker. */
  positions?: { committee: number; baseline: number } | null;
}

/** Records the committee's answer against the baseline's; refuses messages without a model behind them. */
export function recordBaselineOutcome(store: SessionStore, c: BaselineComparison): PairwiseOutcome {
  const a = modelOf(c.committee);
  const b = modelOf(c.baseline);
  if (!a || !b) throw new Error("committee and baseline answers must both come from a model");
  return store.pairwise.record({
    a, b,
    winner: c.winner,
    source: "baseline",
    judge: c.judge,
    positionA: c.positions?.committee ?? null,
    positionB: c.positions?.baseline ?? null,
    anonymous: true,
    sessionId: c.committee.sessionId,
    messageA: c.committee.id,
    messageB: c.baseline.id,
  });
}
