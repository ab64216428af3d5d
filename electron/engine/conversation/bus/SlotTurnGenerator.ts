/**
 * {@link TurnGenerator} over the in-process {@link SlotRegistry}: the seat (the request's session and
 * the role) generates with the given view replacing its history, and provenance comes from the model
 * the seat serves right now (so turns after a hot swap name the new model).
 */
import { randomUUID } from "node:crypto";
import { SamplingParams } from "../../../../shared/slots.js";
import type { Provenance } from "../../../../shared/conversation.js";
import type { SlotRegistry } from "../../runtime/slots/SlotRegistry.js";
import { localRuntime } from "../../runtime/library/runtimeVersion.js";
import type { TurnGenerator, TurnRequest, TurnResult } from "./TurnGenerator.js";

export class SlotTurnGenerator implements TurnGenerator {
  readonly backend = "local";
  readonly supportsGrammar = true;

  constructor(private readonly registry: SlotRegistry) {}

  async generateTurn(role: string, request: TurnRequest): Promise<TurnResult> {
    const generationId = request.generationId ?? randomUUID();
    const { signal } = request;
    if (signal?.aborted) throw new Error(`generation for '${role}' aborted before it started`);
    // An abort that lands before the worker has registered the generation finds nothing to stop,
    // so it is repeated at the first token.
    let started = false;
    const seat = { sessionId: request.sessionId ?? null, role };
    const onAbort = (): void => void this.registry.abort(generationId);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const result = await this.registry.generate(seat, {
        turns: request.turns,
        sampling: request.sampling,
        jsonSchema: request.jsonSchema,
        ...(request.orFreeText ? { orFreeText: true } : {}),
        generationId,
        ...(request.askedAt !== undefined ? { askedAt: request.askedAt } : {}),
        onToken: (text, thought) => {
          if (!started) {
            started = true;
            if (signal?.aborted) void this.registry.abort(generationId);
          }
          request.onToken?.(text, thought);
        },
      });
      const slot = this.registry.get(seat);
      const sampling = SamplingParams.parse({ ...slot?.sampling, ...request.sampling });
      const model = slot?.model;
      const provenance: Provenance = {
        modelName: model?.name ?? "unknown",
        fingerprint: model?.fingerprint ?? "unknown",
        quantization: model?.quantization ?? "unknown",
        sampling,
        seed: sampling.seed ?? null,
        ...(model ? { fileName: model.fileName } : {}),
        runtime: localRuntime(),
      };
      return {
        text: result.text,
        usage: {
          promptTokens: result.promptTokens,
          completionTokens: result.completionTokens,
          ttftMs: result.ttftMs,
          tokensPerSec: result.genTokensPerSec,
        },
        provenance,
        aborted: result.aborted || (signal?.aborted ?? false),
        droppedTurns: result.droppedTurns,
        thought: result.thought,
        grammarConstrained: request.jsonSchema !== undefined,
      };
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }
}
