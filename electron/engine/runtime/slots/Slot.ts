/**
 * The state of one seat — a (session, role) pair — kept by the registry in the engine process. The
 * role's history lives here, not in the model process, so it survives a swap, a rotation, an
 * eviction or a crash. The seat's status changes only through {@link Slot.moveTo}, which checks the
 * status the caller expects, then the transition table, and emits exactly one event per change.
 */
import { estimateTotalBytes, seatShare, type MemoryEstimate } from "../../../../shared/memoryEstimate.js";
import type { PooledModel } from "./ModelPool.js";
import { RoleLock } from "./roleLock.js";
import type { SequenceLanes } from "./sequenceLanes.js";
import { IllegalSlotTransition, StaleSlotTransition, canMove } from "./slotTransitions.js";
import {
  SamplingParams,
  seatKey,
  type ChatTurn,
  type GenerationResult,
  type ModelIdentity,
  type SeatRef,
  type SlotInfo,
  type SlotMetrics,
  type SlotStatus,
} from "../../../../shared/slots.js";

/** A swap prepared ahead of its turn: the new model loaded and pre-filled, not yet the seat's. */
export interface StagedSwap {
  identity: ModelIdentity;
  model: PooledModel;
  contextKey: string;
  contextSize: number;
  contextEstimateBytes: number;
  /** History turns the staged context was pre-filled with. */
  turns: number;
  loadMs: number;
  prefillMs: number;
}

/** A KV state saved to disk, and how many tokens it holds. */
export interface SavedState {
  file: string;
  tokens: number;
}

/** A swap whose visible cost is measured at the seat's next first token. */
export interface PendingGap {
  swapAt: number;
}

export class Slot {
  readonly key: string;
  private current: SlotStatus = "empty";
  progress: number | null = null;
  error: string | null = null;
  model: PooledModel | null = null;
  /** The model assigned to this seat: kept while parked and in the error state, so the UI can say which. */
  identity: ModelIdentity | null = null;
  /** Context size asked for when the seat was seated (the model may cap it). */
  requestedContextSize: number | null = null;
  contextSize = 0;
  pinned = false;
  /** Set while the seat's session runs: other sessions and hand loads may not evict it. */
  sessionPinned = false;
  lastUsedAt = Date.now();
  sampling: SamplingParams = SamplingParams.parse({});
  metrics: SlotMetrics = { ttftMs: null, promptTokensPerSec: null, genTokensPerSec: null, tokensSoFar: 0, promptTokens: 0, generations: 0 };
  /** Estimated context bytes of this seat (weights are counted once per file by the pool). */
  contextEstimateBytes = 0;
  measuredContextBytes: number | null = null;
  contextTokens = 0;
  history: ChatTurn[] = [];
  /** The first history turn the context kept after its last drop-oldest cut (historyFit.ts). */
  fitAnchor: ChatTurn | null = null;
  /** The key of this seat's llama context in its model process; new for every (re)load. */
  contextKey = "";
  /** Sequences asked for when the seat's context opens (LoadOptions.parallel). */
  parallel = 1;
  /** Sequences the context keyed {@link sequencesKey} was opened with (a staged context has one). */
  contextSequences = 1;
  sequencesKey = "";
  /** The serving context's sequences handed to concurrent requests (servedGeneration.ts). */
  lanes: SequenceLanes | null = null;
  /** Saved KV states by model and context size (kvStates.ts), for cheap swap-back and rotation. */
  readonly savedStates = new Map<string, SavedState>();
  readonly lock = new RoleLock();
  staged: StagedSwap | null = null;
  /** A staging in progress; a swap or unload of the seat waits for it. */
  staging: Promise<boolean> | null = null;
  pendingGap: PendingGap | null = null;
  /** The error of the last failed load or swap, with its type (a budget refusal is not a fault). */
  lastFailure: unknown = null;
  private loads = 0;

  constructor(
    readonly sessionId: string | null,
    readonly role: string,
    private readonly onChange: (slot: Slot) => void,
  ) {
    this.key = seatKey({ sessionId, role });
  }

  get ref(): SeatRef {
    return { sessionId: this.sessionId, role: this.role };
  }

  get status(): SlotStatus {
    return this.current;
  }

  /**
   * The only way a seat's status changes, as a compare-and-swap: `expected` is the status (or one of
   * the statuses) the caller believes the seat is in; any other current status throws
   * {@link StaleSlotTransition}. The change is then checked against the transition table and emits
   * one event. `error` carries the reason in the error state and is cleared by every other move.
   */
  moveTo(expected: SlotStatus | readonly SlotStatus[], to: SlotStatus, error: string | null = null): void {
    const expectedList: readonly SlotStatus[] = typeof expected === "string" ? [expected] : expected;
    if (!expectedList.includes(this.current)) throw new StaleSlotTransition(this.key, expectedList, this.current, to);
    if (to === this.current) {
      if (to === "error" && error !== this.error) {
        this.error = error;
        this.onChange(this);
      }
      return;
    }
    if (!canMove(this.current, to)) throw new IllegalSlotTransition(this.key, this.current, to);
    this.current = to;
    this.error = to === "error" ? error : null;
    if (to !== "loading" && to !== "swapping") this.progress = null;
    else this.progress = 0;
    this.onChange(this);
  }

  /**
   * The seat's model process died: the seat lets go of `model` (its context and sequences went with
   * the process) and enters `error` with the reason, keeping its history. Called under the seat's
   * lock, by the operation that saw the death or by the crash handler once that operation is done;
   * false when the seat no longer holds `model` (the operation already dealt with it).
   */
  loseModel(model: PooledModel, expected: SlotStatus | readonly SlotStatus[], reason: string): boolean {
    if (this.model !== model) return false;
    this.model = null;
    this.lanes?.close(reason);
    this.lanes = null;
    this.contextTokens = 0;
    this.measuredContextBytes = null;
    this.moveTo(expected, "error", reason);
    return true;
  }

  /** Progress of a load or swap, 0..1; emitted without a status change. */
  setProgress(progress: number): void {
    this.progress = progress;
    this.onChange(this);
  }

  /** Emits the seat's current info again (pin changes, metrics after a turn). */
  changed(): void {
    this.onChange(this);
  }

  nextContextKey(): string {
    this.loads += 1;
    return `${this.key}#${this.loads}`;
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

  /** The contract view of this seat. */
  info(sharedWith: SeatRef[]): SlotInfo {
    const model = this.model;
    // The same three parts the load dialog and library list count (shared/memoryEstimate.ts), as this seat's share.
    const estimate: MemoryEstimate = model
      ? seatShare({ weightsBytes: model.estimatedWeightsBytes, contextBytes: this.contextEstimateBytes, processBytes: model.proc.baselineBytes }, model.seats.size)
      : { weightsBytes: 0, contextBytes: 0, processBytes: 0 };
    const measuredShare = model ? model.measuredWeightsBytes / Math.max(1, model.seats.size) : 0;
    return {
      sessionId: this.sessionId,
      role: this.role,
      status: this.current,
      progress: this.progress,
      error: this.error,
      model: model?.identity ?? this.identity,
      contextSize: this.contextSize,
      pinned: this.pinned,
      sessionPinned: this.sessionPinned,
      lastUsedAt: this.lastUsedAt,
      sampling: this.sampling,
      metrics: { ...this.metrics },
      memory: {
        estimateBytes: estimateTotalBytes(estimate),
        estimate,
        measuredBytes: model && this.measuredContextBytes !== null ? measuredShare + this.measuredContextBytes : null,
      },
      pid: model?.proc.pid ?? null,
      sharedWith,
      contextTokens: this.contextTokens,
      sequences: this.lanes
        ? { total: this.lanes.total, inUse: this.lanes.inUse }
        : { total: this.sequencesKey === this.contextKey && this.contextKey ? this.contextSequences : 1, inUse: this.current === "generating" ? 1 : 0 },
    };
  }
}
