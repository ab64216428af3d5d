/**
 * What a turn costs: tokens in and out at the backend's price per 1K tokens (0 for local models).
 */
import type { Usage } from "../../../../shared/conversation.js";

/** A backend's prices per 1K tokens. */
export interface Prices {
  pricePer1kInput: number;
  pricePer1kOutput: number;
}

/** Cost of one turn; rounded to 1e-9 so sums of many turns stay readable. */
export function turnCost(prices: Prices, usage: Pick<Usage, "promptTokens" | "completionTokens">): number {
  const cost = (usage.promptTokens / 1000) * prices.pricePer1kInput + (usage.completionTokens / 1000) * prices.pricePer1kOutput;
  return Math.round(cost * 1e9) / 1e9;
}

/** Whether a backend costs nothing per token (a local model). */
export function isFree(prices: Prices): boolean {
  return prices.pricePer1kInput === 0 && prices.pricePer1kOutput === 0;
}
