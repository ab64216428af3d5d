/**
 * N samples from one loaded model at once, on parallel sequences of one temporary context, so
 * llama.cpp decodes them in shared batches. This is also the same-budget baseline a committee
 * result needs beside it: one model sampled N times (see shared/reference on Self-MoA).
 */
import { randomUUID } from "node:crypto";
import type { PooledModel } from "./ModelPool.js";
import type { Slot } from "./Slot.js";
import type { BudgetAdmission } from "./budgetAdmission.js";
import { BudgetExceededError, type Budget } from "./memoryBudget.js";
import { toGenerationResult } from "./generationResult.js";
import { SamplingParams, type ChatTurn, type GenerationResult, type SamplingInput } from "../../../shared/slots.js";

export interface ParallelDeps {
  slot: Slot;
  model: PooledModel;
  admission: BudgetAdmission;
  budget: Budget;
  /** The registry's in-flight generations, so abort() and thread sharing see these too. */
  generating: Map<string, PooledModel>;
  defaultContextSize: number;
}

export async function sampleParallel(deps: ParallelDeps, prompts: ChatTurn[][], sampling: Partial<SamplingInput>): Promise<GenerationResult[]> {
  const { slot, model, admission, budget, generating } = deps;
  const params = SamplingParams.parse({ ...slot.sampling, ...sampling });
  const contextSize = slot.contextSize || deps.defaultContextSize;
  const { needed } = await admission.neededBytes(model.identity, contextSize, prompts.length);
  if (admission.inUseBytes() + needed > budget.bytes) {
    throw new BudgetExceededError(slot.role, `${prompts.length} parallel sequences of ${model.identity.name}`, needed, admission.inUseBytes(), budget.bytes, []);
  }
  const key = `${slot.role}~parallel-${randomUUID().slice(0, 8)}`;
  await model.proc.request({ op: "openSession", key, contextSize, sequences: prompts.length });
  try {
    return await Promise.all(
      prompts.map(async (turns, sequence) => {
        const generationId = randomUUID();
        generating.set(generationId, model);
        try {
          // Distinct seeds per sequence, or N identical samples would waste the budget.
          const seed = params.seed === undefined ? undefined : params.seed + sequence;
          const r = await model.proc.request({ op: "generate", key, sequence, generationId, turns, sampling: { ...params, seed } });
          return toGenerationResult(r, 0);
        } finally {
          generating.delete(generationId);
        }
      }),
    );
  } finally {
    await model.proc.request({ op: "closeSession", key }).catch(() => undefined);
  }
}
