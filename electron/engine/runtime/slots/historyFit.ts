/**
 * Which part of a seat's history goes into its context: all of it when it fits beside the
 * generation reserve, else the system turns plus the newest turns that fit (`drop-oldest`). The
 * engine keeps the full history either way; only the model's view is cut.
 *
 * A cut is made down to {@link LOW_WATER} of the room and then kept while the turns after it fit.
 * A window that slid by one turn every turn would change the context's prefix each time, and the
 * runtime would evaluate the whole window again; behind a fixed cut only the new turns are
 * evaluated, until the room runs out and one new cut is made.
 */
import type { PooledModel } from "./ModelPool.js";
import type { ChatTurn, SamplingParams } from "../../../../shared/slots.js";

export interface FittedHistory {
  turns: ChatTurn[];
  dropped: number;
  /** Token counts in the model's template; -1 when the quick check made counting unnecessary. */
  tokens: number;
  totalTokens: number;
}

/** What fitting needs of a seat (a staged context has the same three). */
export interface FitTarget {
  history: ChatTurn[];
  contextSize: number;
  sampling: SamplingParams;
  /** The first turn kept after the last cut (null: nothing was cut); updated by {@link fitHistory}. */
  fitAnchor: ChatTurn | null;
}

/** Share of the room a new cut leaves filled, so that the next turns fit behind the same cut. */
export const LOW_WATER = 0.75;

const sameTurn = (a: ChatTurn, b: ChatTurn) => a.role === b.role && a.content === b.content && (a.name ?? "") === (b.name ?? "");

/**
 * Fits `target.history` into its context minus `reserve` tokens. With `exact` false, a history that
 * surely fits is passed through without asking the model process to count tokens.
 */
export async function fitHistory(target: FitTarget, model: PooledModel, reserve = target.sampling.maxTokens, exact = true): Promise<FittedHistory> {
  const maxTokens = Math.max(16, target.contextSize - Math.min(reserve, Math.floor(target.contextSize / 2)));
  if (!exact && surelyFits(target.history, maxTokens)) {
    target.fitAnchor = null;
    return { turns: target.history, dropped: 0, tokens: -1, totalTokens: -1 };
  }
  const anchor = target.fitAnchor;
  const preferFrom = anchor ? target.history.findIndex((t) => t.role !== "system" && sameTurn(t, anchor)) : -1;
  const r = await model.proc.request({
    op: "fitHistory",
    turns: target.history,
    maxTokens,
    lowWater: Math.max(16, Math.floor(maxTokens * LOW_WATER)),
    ...(preferFrom > 0 ? { preferFrom } : {}),
  });
  const system = target.history.filter((t, i) => t.role === "system" && i < r.keptFrom);
  const turns = [...system, ...target.history.slice(r.keptFrom)];
  const dropped = target.history.length - turns.length;
  target.fitAnchor = dropped > 0 ? (target.history[r.keptFrom] ?? null) : null;
  return { turns, dropped, tokens: r.tokens, totalTokens: r.totalTokens };
}

/**
 * Whether `turns` fit in `maxTokens` without asking the tokenizer: a token covers at least one
 * byte of text (byte-fallback vocabularies) except template tokens, allowed for at 16 a turn.
 * Short conversations, most turns of a session, skip a round trip to the model process.
 */
export function surelyFits(turns: readonly ChatTurn[], maxTokens: number): boolean {
  let bound = 64;
  for (const t of turns) bound += Buffer.byteLength(t.content) + Buffer.byteLength(t.name ?? "") + 16;
  return bound <= maxTokens;
}
