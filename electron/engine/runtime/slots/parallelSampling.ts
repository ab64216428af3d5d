/**
 * N samples from one loaded model at once, on parallel sequences of one temporary context, so
 * llama.cpp decodes them in shared batches. This is also the same-budget baseline a committee
 * result needs beside it: one model sampled N times.
 */
import { randomUUID } from "node:crypto";
import type { PooledModel } from "./ModelPool.js";
import type { Slot } from "./Slot.js";
import type { BudgetAdmission } from "./budgetAdmission.js";
import { toGenerationResult } from "./generationResult.js";
import { SamplingParams, type ChatTurn, type GenerationResult, type SamplingInput } from "../../../../shared/slots.js";

export interface ParallelDeps {
  slot: Slot;
  model: PooledModel;
  admission: BudgetAdmission;
  /** The registry's in-flight generations, so abort() and thread sharing see these too. */
  active: Map<string, PooledModel>;
  defaultContextSize: number;
}

export async function sampleParallel(deps: ParallelDeps, prompts: ChatTurn[][], sampling: Partial<SamplingInput>): Promise<GenerationResult[]> {
  const { slot, model, admission, active } = deps;
  const params = SamplingParams.parse({ ...slot.sampling, ...sampling });
  const contextSize = slot.contextSize || deps.defaultContextSize;
  const { estimate } = await admission.need(model.identity, contextSize, prompts.length);
  // The model is loaded already: only the temporary context's memory is new.
  await admission.reserve(slot, `${prompts.length} parallel sequences of ${model.identity.name}`, estimate.contextBytes);
  const key = `${slot.key}~parallel-${randomUUID().slice(0, 8)}`;
  await model.proc.request({ op: "openContext", key, contextSize, sequences: prompts.length });
  try {
    return await Promise.all(
      prompts.map(async (turns, sequence) => {
        const generationId = randomUUID();
        active.set(generationId, model);
        try {
          // Distinct seeds per sequence, or N identical samples would waste the budget.
          const seed = params.seed === undefined ? undefined : params.seed + sequence;
          const r = await model.proc.request({ op: "generate", key, sequence, generationId, turns, sampling: { ...params, seed } });
          return toGenerationResult(r, 0);
        } finally {
          active.delete(generationId);
        }
      }),
    );
  } finally {
    await model.proc.request({ op: "closeContext", key }).catch(() => undefined);
  }
}
