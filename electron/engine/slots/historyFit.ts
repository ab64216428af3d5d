/**
 * Which part of a seat's history goes into its context: all of it when it fits beside the
 * generation reserve, else the system turns plus the newest turns that fit (`drop-oldest`). The
 * engine keeps the full history either way; only the model's view is cut.
 */
import type { PooledModel } from "./ModelPool.js";
import type { ChatTurn, SamplingParams } from "../../../shared/slots.js";

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
}

/**
 * Fits `target.history` into its context minus `reserve` tokens. With `exact` false, a history that
 * surely fits is passed through without asking the model process to count tokens.
 */
export async function fitHistory(target: FitTarget, model: PooledModel, reserve = target.sampling.maxTokens, exact = true): Promise<FittedHistory> {
  const maxTokens = Math.max(16, target.contextSize - Math.min(reserve, Math.floor(target.contextSize / 2)));
  if (!exact && surelyFits(target.history, maxTokens)) return { turns: target.history, dropped: 0, tokens: -1, totalTokens: -1 };
  const r = await model.proc.request({ op: "fitHistory", turns: target.history, maxTokens });
  const system = target.history.filter((t, i) => t.role === "system" && i < r.keptFrom);
  const turns = [...system, ...target.history.slice(r.keptFrom)];
  return { turns, dropped: target.history.length - turns.length, tokens: r.tokens, totalTokens: r.totalTokens };
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
