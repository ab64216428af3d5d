/**
 * Spends a committee's token budget on one model: batches of parallel samples (one batch is one
 * `sampleParallel` call, N sequences of the model decoded together) until the samples together have
 * generated as many completion tokens as the committee did on the task, within the tolerance.
 *  - The first batch follows {@link sameBudgetPlan}: as many samples as answers of the committee's
 *    length fit the budget (one for `single`).
 *  - No batch may overshoot: its samples' token caps add up to at most what is left. Models stop
 *    early at their end of text, so later batches fill the remainder, each sized from the tokens a
 *    sample has actually used so far (`single` draws one sample at a time).
 *  - It stops once what is left is within half the tolerance, when a batch yields nothing three times
 *    running (a model that only ever ends at once), or after `maxBatches`.
 */
import type { BaselineSpec } from "../../../shared/experiment.js";
import type { GenerationResult } from "../../../shared/slots.js";
import { sameBudgetPlan } from "./tasks/sameBudget.js";

/** Draws `count` samples, each capped at `maxTokens`, seeded `seed`, `seed + 1`, … */
export type SampleBatch = (count: number, maxTokens: number, seed: number) => Promise<GenerationResult[]>;

export interface BudgetSample {
  result: GenerationResult;
  seed: number;
  maxTokens: number;
  batch: number;
}

export interface BudgetSampling {
  samples: BudgetSample[];
  /** Completion tokens of all samples together. */
  tokens: number;
  batches: number;
  target: number;
}

export interface BudgetSamplingOptions {
  /** Tokens an answer is sized for in the first batch (the committee's longest turn). */
  perSample: number;
  /** The most sequences one batch may run (default 8). */
  maxSamples?: number;
  /** The most tokens one sample may generate (its context minus the prompt). */
  maxTokensPerSample: number;
  /** Seed of the first sample. */
  seed: number;
  /** Allowed relative difference from the target (default 0.1). */
  tolerance?: number;
  maxBatches?: number;
  /** Checked before every batch; throwing stops the sampling. */
  checkpoint?: () => void;
}

export async function sampleToBudget(kind: BaselineSpec["kind"], target: number, sample: SampleBatch, options: BudgetSamplingOptions): Promise<BudgetSampling> {
  if (!Number.isInteger(target) || target < 1) throw new Error(`the budget must be a positive number of tokens (got ${target})`);
  const maxSamples = Math.max(1, options.maxSamples ?? 8);
  const cap = Math.max(1, Math.floor(options.maxTokensPerSample));
  const slack = Math.floor(((options.tolerance ?? 0.1) / 2) * target);
  const maxBatches = options.maxBatches ?? 64;
  const samples: BudgetSample[] = [];
  let tokens = 0;
  let stalls = 0;
  let batches = 0;
  while (batches < maxBatches && stalls < 3) {
    const left = target - tokens;
    if (left < 1 || (batches > 0 && left <= slack)) break;
    options.checkpoint?.();
    let count: number;
    if (batches === 0) {
      count = sameBudgetPlan(kind, target, { perSample: options.perSample, maxSamples }).samples;
    } else if (kind === "single") {
      count = 1;
    } else {
      const used = samples.length > 0 ? Math.max(1, tokens / samples.length) : options.perSample;
      count = Math.min(maxSamples, Math.max(1, Math.ceil(left / Math.min(used, cap))));
    }
    count = Math.min(count, left);
    const maxTokens = Math.min(cap, Math.floor(left / count));
    const seed = options.seed + samples.length;
    const results = await sample(count, maxTokens, seed);
    const spent = results.reduce((s, r) => s + r.completionTokens, 0);
    results.forEach((result, i) => samples.push({ result, seed: seed + i, maxTokens, batch: batches }));
    tokens += spent;
    batches++;
    stalls = spent === 0 ? stalls + 1 : 0;
  }
  return { samples, tokens, batches, target };
}
