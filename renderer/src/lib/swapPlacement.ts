/**
 * Where a hot-swap belongs in the timeline, and how its cost reads.
 *
 * A swap is recorded when it starts, but a turn the old model was already writing is stored after
 * that moment: ordered by time alone, the swap would sit above a message its old model wrote. The
 * swap is therefore placed after the role's last message by the old model that was stored before
 * the new model's first one.
 */
import type { Message } from "../../../shared/conversation.js";
import type { SwapEvent } from "../../../shared/slots.js";
import { formatMs } from "./format.js";

/** The time a swap sorts at among `messages` (by `createdAt`): its own, or just after the old model's last turn. */
export function swapPlace(swap: SwapEvent, messages: readonly Message[]): number {
  const from = swap.from?.fingerprint;
  if (!from || from === swap.to.fingerprint) return swap.at;
  const byModel = (m: Message, fingerprint: string) => m.from === swap.role && m.provenance?.fingerprint === fingerprint && m.createdAt >= swap.at;
  const firstNew = messages.find((m) => byModel(m, swap.to.fingerprint));
  let place = swap.at;
  for (const m of messages) {
    if (firstNew && m.createdAt >= firstNew.createdAt) break;
    // Half a millisecond: after that message, before anything stored a millisecond later.
    if (byModel(m, from)) place = Math.max(place, m.createdAt + 0.5);
  }
  return place;
}

/** The swap's measured time (unload + load + prefill). */
export function swapTookMs(swap: SwapEvent): number {
  return swap.unloadMs + swap.loadMs + swap.prefillMs;
}

/** "predicted 377 ms · took 1.29 s", or just what it took when nothing was predicted. */
export function swapCostText(swap: SwapEvent): string {
  const took = `took ${formatMs(swapTookMs(swap))}`;
  return swap.predictedMs === null ? took : `predicted ${formatMs(swap.predictedMs)} · ${took}`;
}
