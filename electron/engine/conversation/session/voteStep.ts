/**
 * A protocol's vote step: every voter ranks the latest message of every other member (never its
 * own), blind when the step says so, shown in both orders when the experiment asks for it; ballots
 * that cannot be read, and voters of the same model family as a contestant when that is excluded,
 * are recorded as abstentions and never counted. Counted ballots become votes and pairwise arena
 * outcomes; the tally is posted with who abstained and why. During a replay nothing is recorded
 * twice.
 */
import type { Message } from "../../../../shared/conversation.js";
import type { Experiment } from "../../../../shared/experiment.js";
import type { ConversationBus, Outgoing } from "../bus/ConversationBus.js";
import { labelOf } from "../bus/perspective.js";
import type { VoteStep } from "../protocols/plan.js";
import { ballotFor, mirroredBallot, tally, votesFromRanking } from "../protocols/voting.js";
import { readBallots } from "../protocols/ballotReading.js";
import { familyConflict, modelAt } from "../protocols/modelFamily.js";
import { recordCountedBallot } from "../../evaluation/arena/ballotOutcomes.js";
import type { AbstentionKind } from "../../data/store/abstentionStore.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import type { TurnAsk } from "./RoleTurns.js";
import type { HumanDesk } from "./HumanDesk.js";
import { arbitrate } from "./arbitration.js";

/** What the vote step needs from the session running it. */
export interface VoteContext {
  experiment: Experiment;
  sessionId: string;
  store: SessionStore;
  bus: ConversationBus;
  round: number;
  phaseLog: readonly { phase: string; round: number; message: Message }[];
  system(content: string): void;
  takeTurns(asks: TurnAsk[]): Promise<Outgoing[]>;
  log(phase: string, message: Message): void;
  /** The researcher's side, for arbitration. */
  human: HumanDesk;
  /** Whose candidate the `chair` fallback keeps. */
  chair: string;
}

export async function runVoteStep(ctx: VoteContext, step: VoteStep): Promise<void> {
    const latest = new Map<string, Message>();
    for (const p of ctx.phaseLog) if (step.from.includes(p.phase)) latest.set(p.message.from, p.message);
    const candidates = [...latest.values()];
    // Vote hygiene (conversation/protocols/ballotReading.ts, conversation/protocols/modelFamily.ts): abstentions are recorded, never counted.
    const { bothOrders = false, excludeSameFamily = false } = ctx.experiment.protocol;
    const assignments = ctx.store.listAssignments(ctx.sessionId);
    const votes: ReturnType<typeof votesFromRanking> = [];
    const abstained: string[] = [];
    const abstain = (voter: string, kind: AbstentionKind, reason: string, messageId: string | null): void => {
      if (!ctx.bus.replaying) ctx.store.abstentions.record({ sessionId: ctx.sessionId, voter, round: ctx.round, kind, reason, messageId });
      abstained.push(`${voter} (${kind}: ${reason})`);
    };
    for (const voter of step.voters) {
      const ballot = ballotFor(voter, candidates, `${ctx.experiment.seed}:ballot:${voter}:${ctx.round}`, step.blind, step.instruction);
      if (!ballot) {
        ctx.system(`${voter} has no other member's message to rank; no ballot (self-votes are excluded).`);
        continue;
      }
      const conflict = excludeSameFamily ? familyConflict(ballot, assignments) : null;
      if (conflict) {
        abstain(voter, "same-family", conflict, null);
        continue;
      }
      const shown = bothOrders ? [ballot, mirroredBallot(ballot, step.blind, step.instruction)] : [ballot];
      // A replayed ballot's votes, outcomes and abstentions are in the store already.
      let replayed = false;
      const answers: Message[] = [];
      for (const b of shown) {
        ctx.bus.send({ from: "system", to: [voter], type: "system", content: b.text, round: ctx.round });
        const refs = new Map(b.candidates.map((c) => [c.label, c.message.id]));
        const [draft] = await ctx.takeTurns([{ role: voter, types: ["vote"], round: ctx.round, refs, exactRefs: b.candidates.length, privateView: step.blind }]);
        replayed = ctx.bus.replaying;
        const sent = ctx.bus.send(draft!);
        ctx.log(step.phase, sent);
        answers.push(sent);
      }
      const answer = answers.at(-1)!;
      const reading = readBallots(shown, answers);
      if (!reading.counted) {
        if (!replayed) abstain(voter, reading.kind, reading.reason, answer.id);
        else abstained.push(`${voter} (${reading.kind}: ${reading.reason})`);
        continue;
      }
      if (replayed) {
        votes.push(...votesFromRanking(ctx.sessionId, voter, reading.ranking, ctx.round, answer.content, answer.id));
        continue;
      }
      const voterModel = modelAt(assignments, voter);
      votes.push(...recordCountedBallot(ctx.store, { sessionId: ctx.sessionId, round: ctx.round, ballot, ranking: reading.ranking, answer, voterModel, blind: step.blind }));
    }
    const notes = abstained.length > 0 ? `\nNot counted: ${abstained.join("; ")}.` : "";
    if (votes.length === 0) {
      if (abstained.length > 0) ctx.system(`Vote result (round ${ctx.round}): no ballot counted.${notes}`);
      return;
    }
    const ranked = tally(candidates, votes);
    const rows = ranked.map(
      (r, i) => `${i + 1}. ${labelOf(r.message)} by ${r.message.from} (${r.message.provenance?.modelName ?? "?"}): ${r.points.toFixed(2)} points, ${r.ballots} ballots`,
    );
    ctx.system(`Vote result (round ${ctx.round}${step.blind ? ", blind — authors revealed now" : ""}):\n${rows.join("\n")}${notes}`);
    // A tie, disagreement or weak winner waits for the researcher when the experiment asks (arbitration.ts).
    const spec = ctx.experiment.arbitration;
    if (spec) await arbitrate({ spec, chair: ctx.chair, sessionId: ctx.sessionId, store: ctx.store, bus: ctx.bus, round: ctx.round, human: ctx.human }, ranked, votes);
  }
