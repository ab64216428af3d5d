/**
 * Seats an evaluation borrows beside a task's committee session: the same-budget baseline's model
 * and a judge. Each is a seat of the task's session under a name no committee role uses, loaded and
 * pinned for the work (so the finished session's keep-warm release cannot take it mid-use) and
 * removed afterwards; seats on the same model file share its process with the committee's.
 */
import type { ModelIdentity, SamplingInput, SeatRef } from "../../../shared/slots.js";
import type { Provenance } from "../../../shared/conversation.js";
import { SamplingParams } from "../../../shared/slots.js";
import { localRuntime } from "../runtime/library/runtimeVersion.js";
import type { SlotRegistry } from "../runtime/slots/SlotRegistry.js";

/** `base`, or `base-2`, `base-3`… — the first that is not among `taken`. */
export function freeName(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) if (!used.has(`${base}-${i}`)) return `${base}-${i}`;
}

export interface EvalSeatOptions {
  contextSize?: number;
  sampling?: Partial<SamplingInput>;
}

/** A seat loaded on first use and removed by {@link EvalSeat.close}. */
export class EvalSeat {
  private loading: Promise<ModelIdentity> | null = null;

  constructor(
    private readonly registry: SlotRegistry,
    readonly seat: SeatRef,
    readonly modelRef: string,
    private readonly options: EvalSeatOptions = {},
  ) {}

  /** Loads the model (once) and returns its identity. */
  open(): Promise<ModelIdentity> {
    this.loading ??= this.registry
      .load(this.seat, this.modelRef, {
        pinned: true,
        ...(this.options.contextSize ? { contextSize: this.options.contextSize } : {}),
        ...(this.options.sampling ? { sampling: this.options.sampling } : {}),
      })
      .then((info) => {
        if (!info.model) throw new Error(`${this.modelRef} did not load on ${this.seat.role}: ${info.error ?? "no model"}`);
        return info.model;
      });
    return this.loading;
  }

  /** The seat's context size once loaded. */
  contextSize(): number | null {
    return this.registry.get(this.seat)?.contextSize ?? null;
  }

  /** Removes the seat (nothing happens when it was never opened). */
  async close(): Promise<void> {
    if (!this.loading) return;
    this.loading = null;
    await this.registry.remove(this.seat).catch(() => undefined);
  }
}

/** Loads `modelRef` on `seat`, pinned, runs `fn` with the loaded model's identity, and removes the seat. */
export async function withEvalSeat<T>(registry: SlotRegistry, seat: SeatRef, modelRef: string, options: EvalSeatOptions, fn: (model: ModelIdentity, seat: EvalSeat) => Promise<T>): Promise<T> {
  const s = new EvalSeat(registry, seat, modelRef, options);
  try {
    return await fn(await s.open(), s);
  } finally {
    await s.close();
  }
}

/** Provenance of text `model` produced with `sampling` on this machine's runtime. */
export function localProvenance(model: ModelIdentity, sampling: Partial<SamplingInput>): Provenance {
  const params = SamplingParams.parse(sampling);
  return {
    modelName: model.name,
    fingerprint: model.fingerprint,
    quantization: model.quantization,
    sampling: params,
    seed: params.seed ?? null,
    fileName: model.fileName,
    runtime: localRuntime(),
  };
}
