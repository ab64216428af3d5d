/**
 * Conformity in one committee session, measured with a checker: each member's answers in the order
 * it gave them, and whether each was correct.
 *  - a flip is a member's answer changing from one of its turns to its next while other members
 *    spoke in between (it saw its peers): correct → incorrect is `flipsToWrong`, incorrect → correct
 *    `flipsToRight`; an answer that stays the same, or changes between two unchecked answers, is no flip;
 *  - the oracle gap is 1 when some member gave a correct answer at some point and the session's result
 *    is wrong (the committee had the answer and lost it), else 0.
 * A member's answers are its turns of the answer-bearing types (proposal, revision, answer, consensus,
 * analysis) whose extract pattern finds an answer; votes, critiques, questions and summaries are not
 * answers.
 */
import type { ConformityCounts } from "../../../../shared/evalResults.js";
import type { Message, MessageType } from "../../../../shared/conversation.js";
import { extractAnswer } from "./extractAnswer.js";
import { answerKey } from "./majority.js";
import type { CheckSpec } from "../../../../shared/experiment.js";

/** Message types that carry a member's answer to the task. */
export const ANSWER_TYPES: ReadonlySet<MessageType> = new Set(["proposal", "revision", "answer", "consensus", "analysis"]);
const NOT_MEMBERS = new Set(["user", "system"]);

export interface ConformityInput {
  /** The session's messages in order. */
  messages: readonly Message[];
  /** Whether the session's result is correct (null when unchecked: then there is no oracle gap to tell). */
  resultCorrect: boolean | null;
  /** Grades an extracted answer; null when it cannot tell. */
  isCorrect: (answer: string) => boolean | null;
  extract?: string;
  check?: Pick<CheckSpec, "kind">;
}

export function conformity(input: ConformityInput): ConformityCounts {
  const last = new Map<string, { key: string; correct: boolean | null; seq: number }>();
  let flipsToWrong = 0;
  let flipsToRight = 0;
  let someoneRight = false;
  const spokeAt: { from: string; seq: number }[] = [];
  for (const m of input.messages) {
    if (NOT_MEMBERS.has(m.from)) continue;
    spokeAt.push({ from: m.from, seq: m.seq });
    if (!ANSWER_TYPES.has(m.type)) continue;
    const answer = extractAnswer(m.content, input.extract);
    if (answer === null) continue;
    const correct = input.isCorrect(answer);
    if (correct) someoneRight = true;
    const key = answerKey(answer, input.check);
    const before = last.get(m.from);
    if (before && before.key !== key) {
      const sawPeers = spokeAt.some((s) => s.from !== m.from && s.seq > before.seq && s.seq < m.seq);
      if (sawPeers && before.correct === true && correct === false) flipsToWrong++;
      if (sawPeers && before.correct === false && correct === true) flipsToRight++;
    }
    last.set(m.from, { key, correct, seq: m.seq });
  }
  return { flipsToWrong, flipsToRight, oracleGap: someoneRight && input.resultCorrect === false ? 1 : 0 };
}
