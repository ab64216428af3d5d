/**
 * One stateless request served on a seat with several context sequences (LoadOptions.parallel):
 * the request takes a free sequence of the seat's context, generates there from its own turns, and
 * gives the sequence back. Requests on the other sequences run at the same time and llama.cpp
 * decodes them in shared batches (continuous batching: a request that ends frees its sequence for
 * the next one while the rest keep going). The seat's history is left alone: a served request is
 * not a turn of the seat's conversation, so concurrent requests can never see each other's text.
 */
import { randomUUID } from "node:crypto";
import type { Slot } from "./Slot.js";
import type { GenerateOptions, GenerationDeps } from "./seatGeneration.js";
import { SequenceLanes } from "./sequenceLanes.js";
import { toGenerationResult } from "./generationResult.js";
import { SeatFaultError } from "./seatFault.js";
import { SamplingParams, type ChatTurn, type GenerationResult, type SamplingInput } from "../../../../shared/slots.js";

/** A request served on one of a seat's sequences. */
export interface ServeOptions {
  turns: ChatTurn[];
  sampling?: Partial<SamplingInput>;
  jsonSchema?: Record<string, unknown>;
  /** `jsonSchema` or free text not starting with `{` (content-first turns). */
  orFreeText?: boolean;
  generationId?: string;
  onToken?: (text: string, thought: boolean) => void;
}

/** The seat's lanes over its current context, made when the context is first served. */
function lanesOf(slot: Slot): SequenceLanes {
  if (!slot.lanes || slot.lanes.contextKey !== slot.contextKey) {
    const total = slot.sequencesKey === slot.contextKey ? slot.contextSequences : 1;
    slot.lanes = new SequenceLanes(slot.contextKey, total);
  }
  return slot.lanes;
}

/**
 * Serves `options.turns` on a free sequence of the resident seat (waiting for one when all are
 * busy). The seat is `generating` while any of its sequences is.
 */
export async function serveOnLane(deps: GenerationDeps, slot: Slot, options: ServeOptions): Promise<GenerationResult> {
  const model = slot.model;
  if (!model || slot.status === "error") throw new SeatFaultError(slot, slot.error ?? "its model is not loaded");
  const lanes = lanesOf(slot);
  const sequence = await lanes.acquire();
  const generationId = options.generationId ?? randomUUID();
  const sampling = SamplingParams.parse({ ...slot.sampling, ...options.sampling });
  slot.touch();
  if (slot.status === "ready") slot.moveTo("ready", "generating");
  else slot.changed();
  deps.active.set(generationId, model);
  await deps.threads.rebalance();
  let first = true;
  const off = model.proc.onToken(generationId, (text, thought) => {
    options.onToken?.(text, thought);
    deps.emit({ type: "token", sessionId: slot.sessionId, role: slot.role, generationId, text, ...(thought ? { thought: true as const } : {}) });
    if (first) {
      first = false;
      deps.onFirstToken?.();
    }
  });
  try {
    const r = await model.proc.request({ op: "generate", key: lanes.contextKey, sequence, generationId, turns: options.turns, sampling, jsonSchema: options.jsonSchema, ...(options.orFreeText ? { orFreeText: true } : {}) });
    const result = toGenerationResult(r, 0);
    slot.recordGeneration(result);
    return result;
  } catch (error) {
    if (!model.proc.alive) throw new SeatFaultError(slot, error instanceof Error ? error.message : String(error));
    throw error;
  } finally {
    off();
    deps.active.delete(generationId);
    void deps.threads.rebalance();
    lanes.release(sequence);
    slot.touch();
    if (lanes.inUse === 0 && slot.status === "generating" && slot.lanes === lanes) slot.moveTo("generating", "ready");
    else slot.changed();
  }
}

/** Whether the seat's context has more than one sequence, so its own turns must take one too. */
export function servesConcurrently(slot: Slot): boolean {
  return slot.model !== null && slot.sequencesKey === slot.contextKey && slot.contextSequences > 1;
}

/**
 * A turn of the seat's own conversation on a serving seat: it takes a sequence like any request
 * (sequence 0 may be generating someone else's reply) and its reply joins the seat's history.
 */
export async function seatTurnOnLane(deps: GenerationDeps, slot: Slot, options: GenerateOptions): Promise<GenerationResult> {
  if (options.turns) slot.history = [...options.turns];
  if (options.append) slot.history.push(...options.append);
  const r = await serveOnLane(deps, slot, {
    turns: [...slot.history],
    ...(options.sampling ? { sampling: options.sampling } : {}),
    ...(options.jsonSchema ? { jsonSchema: options.jsonSchema } : {}),
    ...(options.orFreeText ? { orFreeText: true } : {}),
    ...(options.generationId ? { generationId: options.generationId } : {}),
    ...(options.onToken ? { onToken: options.onToken } : {}),
  });
  slot.history.push({ role: "assistant", content: r.text });
  return r;
}
