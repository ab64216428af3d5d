/**
 * What happens when a round starts, and how a session records its swaps. Before a round: the swaps
 * the experiment scheduled for it (committing one staged during the last turn), then the state
 * stage. A replay neither redoes swaps (the seats sit on their last models) nor re-runs the state
 * stage. Swaps of the session's seats go to the store — rotations and fault reloads too, for the
 * metrics — and scheduled and manual ones also get a new assignment and a note in the transcript.
 */
import type { Experiment } from "../../../../shared/experiment.js";
import type { SwapEvent } from "../../../../shared/slots.js";
import type { ConversationBus } from "../bus/ConversationBus.js";
import type { TurnGenerator } from "../bus/TurnGenerator.js";
import type { SlotRegistry } from "../../runtime/slots/SlotRegistry.js";
import type { StateStage } from "./StateStage.js";
import type { SessionStore } from "../../data/store/sessionStore.js";
import { describeSwap } from "./describeSwap.js";
import type { SeatedRole } from "./RoleTurns.js";
import type { SeatKeeper } from "./SeatKeeper.js";
import { sessionStateStage, stateInput, stateNote, type SessionState } from "./stateTracking.js";

export interface RoundContext {
  experiment: Experiment;
  sessionId: string;
  store: SessionStore;
  registry: SlotRegistry;
  generator: TurnGenerator;
  bus: ConversationBus;
  keeper: SeatKeeper;
  seats: ReadonlyMap<string, SeatedRole>;
  fingerprints: Map<string, string>;
  checkpoint(): Promise<void>;
  progress(text: string): void;
  system(content: string): void;
}

export class RoundStarts {
  /** The role whose scheduled swap is under way (other swaps of the session's roles are manual). */
  private scheduled: string | null = null;
  private stateStage: StateStage<SessionState> | null = null;

  constructor(private readonly ctx: RoundContext) {}

  /** Runs the scheduled swaps and the state stage of `round`. */
  async begin(round: number): Promise<void> {
    const { ctx } = this;
    if (ctx.bus.replaying) return;
    const due = ctx.experiment.swaps.filter((s) => s.atRound === round);
    const done = new Set(ctx.store.listSwaps(ctx.sessionId).filter((s) => s.round === round && s.event.kind === "scheduled").map((s) => s.event.role));
    // A swap staged during the last turn is committed, not redone cold.
    if (due.length > 0) await ctx.keeper.prefetched();
    for (const swap of due) {
      if (!ctx.seats.has(swap.role)) {
        ctx.system(`Scheduled swap at round ${swap.atRound} skipped: there is no role '${swap.role}'.`);
        continue;
      }
      if (done.has(swap.role)) continue;
      await ctx.checkpoint();
      ctx.progress(`swapping ${swap.role} → ${swap.model}`);
      this.scheduled = swap.role;
      try {
        await ctx.registry.hotSwap({ sessionId: ctx.sessionId, role: swap.role }, swap.model, {}, "scheduled");
      } finally {
        this.scheduled = null;
      }
    }
    await this.trackState(round);
  }

  /** Runs the experiment's state stage, if any, and posts the state with the path that made it. */
  private async trackState(round: number): Promise<void> {
    const { ctx } = this;
    if (!ctx.experiment.state) return;
    this.stateStage ??= sessionStateStage(ctx.experiment.state, ctx.generator, ctx.store);
    await ctx.checkpoint();
    await ctx.keeper.beforeTurn([ctx.experiment.state.role]);
    const r = await this.stateStage.run(stateInput(ctx.bus.history()), { sessionId: ctx.sessionId, seed: (ctx.experiment.seed ?? 0) + round });
    ctx.system(stateNote(r, round, ctx.experiment.state.role));
  }

  /** Records a swap of one of the session's seats (see the module note). */
  recordSwap(event: SwapEvent, round: number): void {
    const { ctx } = this;
    const kind = event.kind === "manual" && this.scheduled === event.role ? "scheduled" : event.kind;
    // Seating a role is not a swap.
    if (kind === "load") return;
    const e = { ...event, kind };
    ctx.store.recordSwap({ sessionId: ctx.sessionId, event: e, round });
    if (kind !== "manual" && kind !== "scheduled") return;
    if (e.outcome === "ok") {
      ctx.store.recordAssignment({ sessionId: ctx.sessionId, role: e.role, model: e.to, systemPrompt: ctx.seats.get(e.role)?.system ?? null });
      ctx.fingerprints.set(e.role, e.to.fingerprint);
    }
    const what = kind === "scheduled" ? `Swap at round ${round}` : `Manual swap during round ${round}`;
    ctx.system(`${what}: ${describeSwap(e)}.`);
  }

  /** Notes the swaps scheduled for rounds the session never reached. */
  noteUnfired(round: number): void {
    for (const s of this.ctx.experiment.swaps.filter((x) => x.atRound > round)) {
      this.ctx.system(`Scheduled swap at round ${s.atRound} (${s.role} → ${s.model}) did not happen: the session ended after round ${round}.`);
    }
  }
}
