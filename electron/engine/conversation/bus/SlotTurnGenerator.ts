/**
 * {@link TurnGenerator} over the in-process {@link SlotRegistry}: the seat (the request's session and
 * the role) generates with the given view replacing its history, and provenance comes from the model
 * the seat serves right now (so turns after a hot swap name the new model).
 */
import type { SlotRegistry } from "../../runtime/slots/SlotRegistry.js";
import { seatTurn } from "../../runtime/slots/seatTurn.js";
import type { TurnGenerator, TurnRequest, TurnResult } from "./TurnGenerator.js";

export class SlotTurnGenerator implements TurnGenerator {
  readonly backend = "local";
  readonly supportsGrammar = true;

  constructor(private readonly registry: SlotRegistry) {}

  async generateTurn(role: string, request: TurnRequest): Promise<TurnResult> {
    if (request.signal?.aborted) throw new Error(`generation for '${role}' aborted before it started`);
    const seat = { sessionId: request.sessionId ?? null, role };
    const turn = seatTurn(this.registry, seat, request);
    try {
      const result = await this.registry.generate(seat, {
        turns: request.turns,
        sampling: request.sampling,
        jsonSchema: request.jsonSchema,
        ...(request.orFreeText ? { orFreeText: true } : {}),
        generationId: turn.generationId,
        ...(request.askedAt !== undefined ? { askedAt: request.askedAt } : {}),
        onToken: turn.onToken,
      });
      return {
        text: result.text,
        usage: {
          promptTokens: result.promptTokens,
          completionTokens: result.completionTokens,
          ttftMs: result.ttftMs,
          tokensPerSec: result.genTokensPerSec,
        },
        provenance: turn.provenance(),
        aborted: result.aborted || (request.signal?.aborted ?? false),
        droppedTurns: result.droppedTurns,
        thought: result.thought,
        grammarConstrained: request.jsonSchema !== undefined,
      };
    } finally {
      turn.done();
    }
  }
}
