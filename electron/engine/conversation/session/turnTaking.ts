/**
 * Taking one or more turns at once: the speakers are made resident first (their seats never park
 * each other), the next turn is prefetched while they generate, and a seat whose model process died
 * is reloaded once and asked again (its second fault ends the session). A group that cannot be
 * resident together speaks one after another instead, each seeing the same conversation. During a
 * replay the committed turns come back without any model work.
 */
import type { ConversationBus, Outgoing } from "../bus/ConversationBus.js";
import { isSeatFault } from "../../runtime/slots/seatFault.js";
import type { RoleTurns, TurnAsk } from "./RoleTurns.js";
import type { SeatKeeper } from "./SeatKeeper.js";

export interface TurnTakingContext {
  bus: ConversationBus;
  keeper: SeatKeeper;
  turns: RoleTurns;
  metric(name: string, value: number): void;
}

export async function takeTurns(ctx: TurnTakingContext, asks: TurnAsk[]): Promise<Outgoing[]> {
  if (ctx.bus.replaying) {
    const out: Outgoing[] = [];
    for (const ask of asks) out.push(await ctx.turns.take(ask, 0));
    return out;
  }
  // Human seats hold no model: only the others are made resident and prefetched for.
  const speakers = asks.map((a) => a.role).filter((r) => !ctx.turns.isHuman(r));
  if (speakers.length === 0) return Promise.all(asks.map((ask) => ctx.turns.take(ask, performance.now())));
  let askedAt: number;
  try {
    askedAt = await ctx.keeper.beforeTurn(speakers);
  } catch (error) {
    if (asks.length === 1 || (error as { code?: string }).code !== "over-budget") throw error;
    ctx.metric("residency.groupSerialized", asks.length);
    const out: Outgoing[] = [];
    for (const ask of asks) out.push(...(await takeTurns(ctx, [ask])));
    return out;
  }
  ctx.keeper.prefetchNext(speakers);
  return Promise.all(
    asks.map(async (ask) => {
      for (let asked = askedAt; ; asked = performance.now()) {
        try {
          return await ctx.turns.take(ask, asked);
        } catch (error) {
          if (!isSeatFault(error)) throw error;
          await ctx.keeper.recover(ask.role, error.message);
        }
      }
    }),
  );
}
