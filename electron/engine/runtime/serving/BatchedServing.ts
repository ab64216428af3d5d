/**
 * Batched serving of a library model to many concurrent clients (the compatible API): the model is
 * loaded once into a lab seat whose llama context has `parallel` sequences, and every request is a
 * stateless turn on a free sequence of it (SlotRegistry.serve), so concurrent requests are decoded
 * together like llama.cpp's server with `--parallel`. The host's routes only carry messages: the
 * seat, its sequences and the model work are here.
 */
import type { SeatRef } from "../../../../shared/slots.js";
import type { SlotRegistry } from "../slots/SlotRegistry.js";
import { seatTurn } from "../slots/seatTurn.js";
import type { TurnGenerator, TurnRequest, TurnResult } from "../../conversation/bus/TurnGenerator.js";

/** Sequences of a served model's context unless configured otherwise (LM Studio's default too). */
export const DEFAULT_SERVING_PARALLEL = 4;

export class BatchedServing implements TurnGenerator {
  readonly backend = "local";
  readonly supportsGrammar = true;
  private readonly loading = new Map<string, Promise<SeatRef>>();

  /** `parallel`: sequences per served model; the memory budget counts the context that many times. */
  constructor(
    private readonly registry: SlotRegistry,
    readonly parallel: number = DEFAULT_SERVING_PARALLEL,
  ) {}

  /**
   * Loads `modelRef` into the lab seat `role` with {@link parallel} sequences, once however many
   * requests ask at the same time. When N sequences do not fit the budget, one is tried: a model
   * that can be served one request at a time is still served.
   */
  async ensure(role: string, modelRef: string): Promise<SeatRef> {
    const seat: SeatRef = { sessionId: null, role };
    const info = this.registry.get(seat);
    if (info && info.status !== "empty" && info.status !== "error" && info.status !== "loading") return seat;
    let job = this.loading.get(role);
    if (!job) {
      const started = this.load(seat, modelRef);
      job = started;
      this.loading.set(role, started);
      void started.finally(() => this.loading.delete(role)).catch(() => undefined);
    }
    return job;
  }

  private async load(seat: SeatRef, modelRef: string): Promise<SeatRef> {
    let parallel = this.parallel;
    if (parallel > 1) {
      const { estimateBytes, budgetBytes } = await this.registry.estimate(modelRef, { parallel });
      const { reservedBytes } = this.registry.usage();
      if (estimateBytes + reservedBytes > budgetBytes) parallel = 1;
    }
    try {
      await this.registry.load(seat, modelRef, { parallel });
    } catch (error) {
      // Room for one sequence may still be made where N could not (the others are busy).
      if (parallel === 1) throw error;
      await this.registry.load(seat, modelRef, { parallel: 1 });
    }
    return seat;
  }

  /** One stateless turn of the lab seat `role` on a free sequence; aborts through `request.signal`. */
  async generateTurn(role: string, request: TurnRequest): Promise<TurnResult> {
    if (request.signal?.aborted) throw new Error(`generation for '${role}' aborted before it started`);
    const seat: SeatRef = { sessionId: request.sessionId ?? null, role };
    const turn = seatTurn(this.registry, seat, request);
    try {
      const result = await this.registry.serve(seat, {
        turns: request.turns,
        ...(request.sampling ? { sampling: request.sampling } : {}),
        ...(request.jsonSchema ? { jsonSchema: request.jsonSchema } : {}),
        generationId: turn.generationId,
        onToken: turn.onToken,
      });
      return {
        text: result.text,
        usage: { promptTokens: result.promptTokens, completionTokens: result.completionTokens, ttftMs: result.ttftMs, tokensPerSec: result.genTokensPerSec },
        provenance: turn.provenance(),
        aborted: result.aborted || (request.signal?.aborted ?? false),
        droppedTurns: 0,
        thought: result.thought,
        grammarConstrained: request.jsonSchema !== undefined,
      };
    } finally {
      turn.done();
    }
  }
}
