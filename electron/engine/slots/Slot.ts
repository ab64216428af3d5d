/**
 * The state of one role slot, kept by the registry in the engine process. The role's history
 * lives here, not in the model process, so it survives a swap, an eviction or a crash.
 */
import type { PooledModel } from "./ModelPool.js";
import { RoleLock } from "./roleLock.js";
import {
  SamplingParams,
  type ChatTurn,
  type GenerationResult,
  type ModelIdentity,
  type SlotInfo,
  type SlotMetrics,
  type SlotStatus,
} from "../../../shared/slots.js";

export class Slot {
  status: SlotStatus = "empty";
  progress: number | null = null;
  error: string | null = null;
  model: PooledModel | null = null;
  /** Identity of the last model asked for, kept in the error state so the UI can say which. */
  identity: ModelIdentity | null = null;
  contextSize = 0;
  pinned = false;
  lastUsedAt = Date.now();
  sampling: SamplingParams = SamplingParams.parse({});
  metrics: SlotMetrics = { ttftMs: null, promptTokensPerSec: null, genTokensPerSec: null, tokensSoFar: 0, promptTokens: 0, generations: 0 };
  /** Estimated context bytes of this slot (weights are counted once per file by the pool). */
  contextEstimateBytes = 0;
  measuredContextBytes: number | null = null;
  contextTokens = 0;
  history: ChatTurn[] = [];
  /** The session key of this slot's context in its model process; new for every (re)load. */
  sessionKey = "";
  /** Saved KV state per model fingerprint, for cheap swap-back. */
  readonly savedStates = new Map<string, string>();
  readonly lock = new RoleLock();
  private loads = 0;

  constructor(readonly role: string) {}

  nextSessionKey(): string {
    this.loads += 1;
    return `${this.role}#${this.loads}`;
  }

  /** Live metrics after a generation: the latest rates, running token totals. */
  recordGeneration(r: GenerationResult): void {
    const m = this.metrics;
    m.ttftMs = r.ttftMs;
    m.promptTokensPerSec = r.promptTokensPerSec;
    m.genTokensPerSec = r.genTokensPerSec;
    m.tokensSoFar += r.completionTokens;
    m.promptTokens = r.promptTokens;
    m.generations += 1;
  }

  touch(): void {
    this.lastUsedAt = Date.now();
  }

  /** The contract view of this slot. */
  info(sharedWith: string[]): SlotInfo {
    const model = this.model;
    const weightsShare = model ? model.estimatedWeightsBytes / Math.max(1, model.roles.size) : 0;
    const measuredShare = model ? model.measuredWeightsBytes / Math.max(1, model.roles.size) : 0;
    return {
      role: this.role,
      status: this.status,
      progress: this.progress,
      error: this.error,
      model: model?.identity ?? this.identity,
      contextSize: this.contextSize,
      pinned: this.pinned,
      lastUsedAt: this.lastUsedAt,
      sampling: this.sampling,
      metrics: { ...this.metrics },
      memory: {
        estimateBytes: model ? weightsShare + this.contextEstimateBytes : 0,
        measuredBytes: model && this.measuredContextBytes !== null ? measuredShare + this.measuredContextBytes : null,
      },
      pid: model?.proc.pid ?? null,
      sharedWith,
      contextTokens: this.contextTokens,
    };
  }
}
