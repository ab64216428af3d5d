/**
 * What every turn generated on a seat shares, whichever path decodes it (a committee seat's own
 * context or a served sequence): the abort relay around the generation and the provenance of the
 * model the seat serves when the turn ends (so a turn after a hot swap names the new model).
 */
import { randomUUID } from "node:crypto";
import { SamplingParams, type SamplingInput, type SeatRef } from "../../../../shared/slots.js";
import type { Provenance } from "../../../../shared/conversation.js";
import type { SlotRegistry } from "./SlotRegistry.js";
import { localRuntime } from "../library/runtimeVersion.js";

/** The pieces a seat's turn needs: its generation id, the token relay and the provenance reader. */
export interface SeatTurn {
  generationId: string;
  /** Passes tokens on; the first one repeats an abort that came before the model process knew the generation. */
  onToken: (text: string, thought?: boolean) => void;
  /** The provenance of the model the seat serves now, with the sampling the turn used. */
  provenance: () => Provenance;
  /** Detaches the abort listener; call once the generation has ended. */
  done: () => void;
}

/**
 * Starts a turn on `seat`: `signal` aborts the generation, and since an abort that lands before the
 * worker has registered the generation finds nothing to stop, it is repeated at the first token.
 */
export function seatTurn(
  registry: SlotRegistry,
  seat: SeatRef,
  request: { generationId?: string; signal?: AbortSignal; sampling?: SamplingInput; onToken?: (text: string, thought?: boolean) => void },
): SeatTurn {
  const generationId = request.generationId ?? randomUUID();
  const { signal } = request;
  let started = false;
  const onAbort = (): void => void registry.abort(generationId);
  signal?.addEventListener("abort", onAbort, { once: true });
  return {
    generationId,
    onToken: (text, thought) => {
      if (!started) {
        started = true;
        if (signal?.aborted) void registry.abort(generationId);
      }
      request.onToken?.(text, thought);
    },
    provenance: () => {
      const slot = registry.get(seat);
      const sampling = SamplingParams.parse({ ...slot?.sampling, ...request.sampling });
      const model = slot?.model;
      return {
        modelName: model?.name ?? "unknown",
        fingerprint: model?.fingerprint ?? "unknown",
        quantization: model?.quantization ?? "unknown",
        sampling,
        seed: sampling.seed ?? null,
        ...(model ? { fileName: model.fileName } : {}),
        runtime: localRuntime(),
      };
    },
    done: () => signal?.removeEventListener("abort", onAbort),
  };
}
