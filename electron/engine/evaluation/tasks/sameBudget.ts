/**
 * The same-budget baseline's plan: how many parallel samples of the single model, and how many tokens
 * each may use, so that together they spend what the committee spent on the task. Samples get
 * ⌈committee tokens / n⌉ tokens each, so the budget is met from above by less than one token a sample;
 * the runner then trims or tops up to land within ±10% of the committee's actual spend (a sample may
 * stop early at its end-of-text).
 *  - `single`: one sample with the whole budget;
 *  - `self-consistency` and `best-of-n`: as many samples as fit `perSample` tokens each (at least 2 when
 *    the budget allows two answers of `minPerSample` tokens, else 1), capped at `maxSamples`.
 */
import type { BaselineSpec } from "../../../../shared/experiment.js";

export interface BudgetPlan {
  samples: number;
  maxTokensPerSample: number;
  /** samples × maxTokensPerSample. */
  totalTokens: number;
}

export interface BudgetOptions {
  /** Tokens a baseline answer is sized for (default: the committee's longest answer, else 128). */
  perSample?: number;
  /** The fewest tokens an answer may get (default 16). */
  minPerSample?: number;
  /** Parallel sequences the model can run (default 16). */
  maxSamples?: number;
}

export function sameBudgetPlan(kind: BaselineSpec["kind"], committeeTokens: number, options: BudgetOptions = {}): BudgetPlan {
  if (!Number.isInteger(committeeTokens) || committeeTokens < 1) throw new Error(`the committee's tokens must be a positive integer (got ${committeeTokens})`);
  const perSample = Math.max(1, options.perSample ?? 128);
  const minPerSample = Math.max(1, options.minPerSample ?? 16);
  const maxSamples = Math.max(1, options.maxSamples ?? 16);
  let samples = 1;
  if (kind !== "single") {
    samples = Math.min(maxSamples, Math.max(1, Math.round(committeeTokens / perSample)));
    if (samples === 1 && committeeTokens >= 2 * minPerSample) samples = 2;
  }
  const maxTokensPerSample = Math.ceil(committeeTokens / samples);
  return { samples, maxTokensPerSample, totalTokens: samples * maxTokensPerSample };
}
