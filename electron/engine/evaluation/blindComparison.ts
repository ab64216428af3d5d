/**
 * Committee against baseline without a check: the members vote. Each member's model (on a seat of
 * the task's session of its own, so the committee's seats are not touched) is shown the two answers
 * as A and B, never told which is whose, in an order shuffled per task from the experiment's seed,
 * and says which is better. The majority decides: more votes for the committee's answer is a win
 * for the committee (`a`), more for the baseline's a win for the baseline (`b`); otherwise a tie,
 * or both bad when most voters said so. Unreadable verdicts do not vote.
 */
import type { PairWinner } from "../../../shared/arena.js";
import type { TaskItem } from "../../../shared/experiment.js";
import type { TurnGenerator } from "../conversation/bus/TurnGenerator.js";
import { seededShuffle } from "../conversation/protocols/seededRandom.js";
import type { SlotRegistry } from "../runtime/slots/SlotRegistry.js";
import { freeName, withEvalSeat } from "./evalSeat.js";
import { ModelJudge } from "./modelJudge.js";

export interface BlindComparisonOptions {
  registry: SlotRegistry;
  generator: TurnGenerator;
  sessionId: string;
  /** The task as the committee saw it. */
  task: TaskItem;
  /** The voters: each member's name and (resolved) model. */
  members: readonly { name: string; model: string }[];
  /** Seat names in use in the session (the committee's roles). */
  taken: readonly string[];
  committee: string;
  baseline: string;
  /** Seeds the presentation order and the verdicts. */
  seed: number;
}

export interface BlindComparison {
  winner: PairWinner;
  /** Where each answer was shown (0 = A). */
  positions: { committee: number; baseline: number };
  /** Per voter: what it picked, in words. */
  votes: string[];
  judge: string;
}

/** The members' blind verdict on committee against baseline; null when no verdict could be read. */
export async function membersCompare(o: BlindComparisonOptions): Promise<BlindComparison | null> {
  const order = seededShuffle(["committee", "baseline"] as const, `${o.seed}:${o.task.id}:baseline-order`);
  const committeeFirst = order[0] === "committee";
  const [first, second] = committeeFirst ? [o.committee, o.baseline] : [o.baseline, o.committee];
  const tally = { committee: 0, baseline: 0, tie: 0, "both-bad": 0 };
  const votes: string[] = [];
  for (const [i, member] of o.members.entries()) {
    const role = freeName(`eval-vote`, o.taken);
    const pick = await withEvalSeat(o.registry, { sessionId: o.sessionId, role }, member.model, {}, async () => {
      const judge = new ModelJudge({ generator: o.generator, sessionId: o.sessionId, role, seed: o.seed + i, maxTokens: 48 });
      return (await judge.compare(o.task, first, second)).pick;
    });
    if (pick === null) {
      votes.push(`${member.name}: unreadable`);
      continue;
    }
    const side = pick === "first" ? (committeeFirst ? "committee" : "baseline") : pick === "second" ? (committeeFirst ? "baseline" : "committee") : pick;
    tally[side]++;
    votes.push(`${member.name}: ${side}`);
  }
  const counted = tally.committee + tally.baseline + tally.tie + tally["both-bad"];
  if (counted === 0) return null;
  const winner: PairWinner =
    tally.committee > tally.baseline ? "a" : tally.baseline > tally.committee ? "b" : tally["both-bad"] > tally.tie ? "both-bad" : "tie";
  return {
    winner,
    positions: { committee: committeeFirst ? 0 : 1, baseline: committeeFirst ? 1 : 0 },
    votes,
    judge: `members' blind vote (${votes.join(", ")})`,
  };
}
