/**
 * The same-budget baseline of one task: the single model sampled on the task as the committee saw it
 * until its samples have spent the committee's completion tokens (baselineSampler.ts), stored in the
 * task's session after the committee's messages — a note saying what was run, then one `answer`
 * from the baseline speaker per sample, with its provenance and usage — in one transaction, so a
 * crash leaves all of them or none. A rerun finds stored samples and reuses them.
 */
import type { BaselineSpec, ExperimentRole } from "../../../shared/experiment.js";
import type { Message } from "../../../shared/conversation.js";
import type { ChatTurn } from "../../../shared/slots.js";
import type { SlotRegistry } from "../runtime/slots/SlotRegistry.js";
import type { SessionStore } from "../data/store/sessionStore.js";
import { sampleToBudget } from "./baselineSampler.js";
import { localProvenance, withEvalSeat } from "./evalSeat.js";
import { plural } from "../../../shared/plural.js";

/** How the baseline's note in the transcript begins (it also marks where the committee's messages end). */
export const BASELINE_NOTE = "Same-budget baseline";

export interface BaselineOptions {
  store: SessionStore;
  registry: SlotRegistry;
  sessionId: string;
  /** The task as the committee saw it. */
  taskText: string;
  spec: BaselineSpec;
  /** The model, resolved. */
  model: string;
  /** The role whose model it is, when the baseline names a role: its system prompt and sampling apply. */
  role: ExperimentRole | null;
  /** Who the samples are from in the transcript, and the seat they are drawn on. */
  speaker: string;
  seatRole: string;
  committeeTokens: number;
  /** Tokens an answer is sized for (the committee's longest turn). */
  perSample: number;
  seed: number;
  checkpoint: () => void;
  emit: (message: Message) => void;
}

export interface BaselineRun {
  /** One `answer` per sample, in sampling order. */
  samples: Message[];
  tokens: number;
}

/** Where a stored baseline starts in `messages` (its note), or -1. */
export function baselineStart(messages: readonly Message[]): number {
  return messages.findIndex((m) => m.from === "system" && m.content.startsWith(BASELINE_NOTE));
}

/** A baseline stored by an earlier run of this task, or null. */
export function storedBaseline(messages: readonly Message[], speaker: string): BaselineRun | null {
  const start = baselineStart(messages);
  if (start < 0) return null;
  const samples = messages.slice(start).filter((m) => m.from === speaker && m.type === "answer");
  return { samples, tokens: samples.reduce((s, m) => s + (m.usage?.completionTokens ?? 0), 0) };
}

export async function runBaseline(o: BaselineOptions): Promise<BaselineRun> {
  const prompt: ChatTurn[] = [...(o.role?.system ? [{ role: "system" as const, content: o.role.system }] : []), { role: "user", content: o.taskText }];
  const sampling = {
    temperature: o.role?.temperature ?? 0.7,
    ...(o.role?.topP !== undefined ? { topP: o.role.topP } : {}),
    ...(o.role?.topK !== undefined ? { topK: o.role.topK } : {}),
  };
  const seat = { sessionId: o.sessionId, role: o.seatRole };
  const contextSize = o.role?.contextSize;
  return withEvalSeat(o.registry, seat, o.model, contextSize ? { contextSize } : {}, async (model, evalSeat) => {
    // Each sample's own context holds the prompt and its answer; prompt tokens are estimated generously.
    const promptTokens = Math.ceil(prompt.reduce((n, t) => n + t.content.length, 0) / 2) + 32;
    const context = evalSeat.contextSize() ?? 512;
    const drawn = await sampleToBudget(
      o.spec.kind,
      o.committeeTokens,
      (count, maxTokens, seed) => o.registry.sampleParallel(seat, Array.from({ length: count }, () => prompt), { ...sampling, maxTokens, seed }),
      { perSample: o.perSample, maxTokensPerSample: Math.max(8, context - promptTokens), seed: o.seed, checkpoint: o.checkpoint },
    );
    const note =
      `${BASELINE_NOTE} (${o.spec.kind}) on ${model.name}: ${plural(drawn.samples.length, "sample")} in ${plural(drawn.batches, "parallel batch")}, ` +
      `${drawn.tokens} tokens against the committee's ${o.committeeTokens}.`;
    const stored = o.store.transaction(() => {
      const out = [o.store.appendMessage({ sessionId: o.sessionId, from: "system", to: "all", type: "system", content: note })];
      for (const s of drawn.samples) {
        out.push(
          o.store.appendMessage({
            sessionId: o.sessionId,
            from: o.speaker,
            to: ["user"],
            type: "answer",
            content: s.result.text,
            provenance: localProvenance(model, { ...sampling, maxTokens: s.maxTokens, seed: s.seed }),
            usage: { promptTokens: s.result.promptTokens, completionTokens: s.result.completionTokens, ttftMs: s.result.ttftMs, tokensPerSec: s.result.genTokensPerSec },
            repairs: s.result.aborted ? ["stopped before its end"] : [],
          }),
        );
      }
      return out;
    });
    for (const m of stored) o.emit(m);
    return { samples: stored.slice(1), tokens: drawn.tokens };
  });
}
