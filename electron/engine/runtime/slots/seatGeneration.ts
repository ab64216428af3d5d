/**
 * One generation on a resident seat, run under the seat's lock by the registry: the seat's history
 * takes the view it is given, the model streams tokens (with the seat's session on every event),
 * the reply joins the history, and the seat's metrics update. The first token after a swap or
 * rotation also measures that swap's visible gap: how long the turn waited from being asked for.
 */
import type { PooledModel } from "./ModelPool.js";
import type { Slot } from "./Slot.js";
import type { ThreadBalancer } from "./threadBalancer.js";
import { fitHistory } from "./historyFit.js";
import { toGenerationResult } from "./generationResult.js";
import { SeatFaultError } from "./seatFault.js";
import { SamplingParams, type ChatTurn, type EngineEvent, type GenerationResult, type SamplingInput } from "../../../../shared/slots.js";
import { randomUUID } from "node:crypto";

export interface GenerateOptions {
  /** Replaces the seat's history before generating (the bus's view of the conversation). */
  turns?: ChatTurn[];
  /** Appended to the seat's history before generating. */
  append?: ChatTurn[];
  sampling?: Partial<SamplingInput>;
  /** JSON schema the output must follow (enforced by a grammar). */
  jsonSchema?: Record<string, unknown>;
  /** `jsonSchema` or free text not starting with `{` (content-first turns). */
  orFreeText?: boolean;
  generationId?: string;
  /** Streamed text; `thought` marks the thought segment's. */
  onToken?: (text: string, thought: boolean) => void;
  /** When the turn was asked for (`performance.now()`), for the visible gap of a swap; default: the call. */
  askedAt?: number;
}

export interface GenerationDeps {
  active: Map<string, PooledModel>;
  threads: ThreadBalancer;
  emit: (event: EngineEvent) => void;
  /** Called at the first token (a spare waiting to start may start now). */
  onFirstToken?: () => void;
}

export async function generateOnSeat(deps: GenerationDeps, slot: Slot, options: GenerateOptions & { askedAt: number }): Promise<GenerationResult> {
  const model = slot.model;
  if (!model || slot.status === "error") throw new SeatFaultError(slot, slot.error ?? "its model is not loaded");
  const generationId = options.generationId ?? randomUUID();
  if (options.turns) slot.history = [...options.turns];
  if (options.append) slot.history.push(...options.append);
  const sampling = SamplingParams.parse({ ...slot.sampling, ...options.sampling });
  slot.touch();
  slot.moveTo("ready", "generating");
  deps.active.set(generationId, model);
  await deps.threads.rebalance();
  const gap = slot.pendingGap;
  slot.pendingGap = null;
  let first = true;
  const off = model.proc.onToken(generationId, (text, thought) => {
    const wasFirst = first;
    if (first) {
      first = false;
      if (gap) {
        deps.emit({ type: "swap-gap", sessionId: slot.sessionId, role: slot.role, swapAt: gap.swapAt, visibleGapMs: performance.now() - options.askedAt });
      }
    }
    options.onToken?.(text, thought);
    deps.emit({ type: "token", sessionId: slot.sessionId, role: slot.role, generationId, text, ...(thought ? { thought: true as const } : {}) });
    if (wasFirst) deps.onFirstToken?.();
  });
  try {
    const fit = await fitHistory(slot, model, sampling.maxTokens, false);
    const r = await model.proc.request({
      op: "generate",
      key: slot.contextKey,
      generationId,
      turns: fit.turns,
      sampling,
      jsonSchema: options.jsonSchema,
      ...(options.orFreeText ? { orFreeText: true } : {}),
    });
    slot.history.push({ role: "assistant", content: r.text });
    slot.contextTokens = r.contextTokens;
    const result = toGenerationResult(r, fit.dropped);
    slot.recordGeneration(result);
    return result;
  } catch (error) {
    if (!model.proc.alive) {
      // The process died under the generation. This runs under the seat's lock, so the seat goes to
      // `error` here, before the caller hears of it; the crash handler then finds nothing to do.
      const reason = error instanceof Error ? error.message : String(error);
      slot.loseModel(model, "generating", reason);
      throw new SeatFaultError(slot, reason);
    }
    throw error;
  } finally {
    off();
    deps.active.delete(generationId);
    void deps.threads.rebalance();
    slot.touch();
    if (slot.status === "generating") slot.moveTo("generating", "ready");
    else slot.changed();
  }
}
