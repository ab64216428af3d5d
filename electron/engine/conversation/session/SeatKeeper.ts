/**
 * A session's seats and their residency. The keeper seats every role (assigned, not yet loaded),
 * loads what fits in the order the roles will first speak, and before each turn makes its speakers
 * resident — parking the seat needed furthest in the future when the committee does not fit (a
 * rotation). While a turn generates it prefetches the next one: a parked next speaker is loaded and
 * pre-filled with the conversation so far, a resident one pre-filled, and a swap the experiment
 * schedules for the next round is staged. A seat whose model process dies is reloaded once with its
 * history; a second death fails the session with the reason.
 */
import { estimateTokens } from "../bus/perspective.js";
import type { Experiment } from "../../../../shared/experiment.js";
import type { RemoteRole, ResidencyPlan } from "../../../../shared/residency.js";
import { seatKey, type ChatTurn, type LoadOptions, type SeatFault, type SlotInfo } from "../../../../shared/slots.js";
import type { Slot } from "../../runtime/slots/Slot.js";
import type { SlotRegistry } from "../../runtime/slots/SlotRegistry.js";
import { nextUse } from "../../runtime/residency/planResidency.js";
import { sessionPlan } from "../../runtime/residency/sessionPlan.js";
import type { PlannedTurn } from "../../runtime/residency/turnSequence.js";

export interface SeatKeeperDeps {
  registry: SlotRegistry;
  sessionId: string;
  experiment: Experiment;
  turns: PlannedTurn[];
  defaultContextSize: number;
  /** A role's view of the conversation now, for pre-filling its context ahead of its turn. */
  view: (role: string) => ChatTurn[];
  /** An orchestrator note in the transcript. */
  note: (text: string) => void;
  metric: (name: string, value: number, role?: string) => void;
  fault: (fault: SeatFault) => void;
  /**
   * Roles served by remote backends: their seats are assigned but kept parked (never loaded ahead of
   * a turn, never prefetched); a turn that falls back to `local` loads its seat then.
   */
  remote?: readonly RemoteRole[];
}

/** A role that cannot go on: its model process died twice. */
export class SeatFailedError extends Error {
  constructor(role: string, reason: string) {
    super(`${role}'s model process died twice; the session cannot go on: ${reason}`);
    this.name = "SeatFailedError";
  }
}

export class SeatKeeper {
  /** Index of the turn being taken in the predicted sequence (-1 before the first). */
  private cursor = -1;
  private readonly faults = new Map<string, number>();
  private prefetching: Promise<void> = Promise.resolve();
  private readonly remote: ReadonlySet<string>;

  constructor(private readonly deps: SeatKeeperDeps) {
    deps.registry.setResidencyOrder(deps.sessionId, (seats) => this.order(seats));
    this.remote = new Set((deps.remote ?? []).map((r) => r.role));
  }

  private ref(role: string) {
    return { sessionId: this.deps.sessionId, role };
  }

  private key(role: string): string {
    return seatKey(this.ref(role));
  }

  /** Assigns `model` to the role's seat without loading it. */
  async seat(role: string, model: string, options: LoadOptions): Promise<SlotInfo> {
    return this.deps.registry.seat(this.ref(role), model, options);
  }

  /** Loads the seats that fit, in the order the roles first speak, without parking any of them. */
  async warmStart(): Promise<void> {
    const order = [...new Set(this.deps.turns.flatMap((t) => t.speakers))];
    for (const role of this.deps.experiment.roles.map((r) => r.name)) if (!order.includes(role)) order.push(role);
    for (const role of order.filter((r) => !this.remote.has(r))) {
      const info = this.deps.registry.get(this.ref(role));
      if (!info?.model || info.status !== "parked") continue;
      const need = await this.deps.registry.estimate(info.model.path, { contextSize: info.contextSize || this.contextOf(role) });
      const usage = this.deps.registry.usage();
      if (usage.inUseBytes + need.estimateBytes > usage.budgetBytes) break;
      const loaded = await this.deps.registry
        .ensureResident(this.ref(role), { kind: "load", exclude: new Set(order.map((r) => this.key(r))) })
        .then(() => true, () => false);
      if (!loaded) break;
    }
  }

  /** Pins the session's seats against other sessions (while it runs) or lets them go. */
  pin(pinned: boolean): void {
    this.deps.registry.setSessionPinned(this.deps.sessionId, pinned);
  }

  /**
   * Called before a turn: follows the predicted sequence and makes the speakers resident. Returns
   * when the turn was asked for, so the speaker's visible wait is measured from here.
   */
  async beforeTurn(speakers: readonly string[]): Promise<number> {
    const askedAt = performance.now();
    this.sync(speakers);
    await this.prefetching;
    const exclude = new Set(speakers.map((r) => this.key(r)));
    for (const role of speakers.filter((r) => !this.remote.has(r))) {
      const info = this.deps.registry.get(this.ref(role));
      if (info?.status === "error") await this.recover(role, info.error ?? "its model process died", exclude);
      else await this.deps.registry.ensureResident(this.ref(role), { exclude, kind: "rotation" });
    }
    return askedAt;
  }

  /**
   * While `speakers` generate: gets the next turn's seats ready. Never throws; what could not be
   * prefetched is simply loaded when its turn comes.
   */
  prefetchNext(speakers: readonly string[]): void {
    const next = this.deps.turns[this.cursor + 1];
    // `execution.prefetch: false` (the cheap preset): nothing is loaded ahead of its turn.
    if (!next || this.deps.experiment.execution?.prefetch === false) return;
    const busy = new Set(speakers);
    this.prefetching = (async () => {
      for (const swap of next.swaps.filter((s) => !this.remote.has(s.role))) {
        const ok = await this.deps.registry.stage(this.ref(swap.role), swap.model, { exclude: new Set([...busy].map((r) => this.key(r))) }).catch(() => false);
        this.deps.metric(ok ? "residency.stagedSwap" : "residency.stageSkipped", 1, swap.role);
      }
      for (const role of next.speakers) {
        if (busy.has(role) || this.remote.has(role)) continue;
        const info = this.deps.registry.get(this.ref(role));
        if (!info || (info.status !== "parked" && info.status !== "ready")) continue;
        // Only seats needed later than this one may make room for it.
        const mine = nextUse(this.deps.turns, role, this.cursor + 1);
        const keep = new Set([...busy].map((r) => this.key(r)));
        for (const other of this.deps.experiment.roles) {
          if (nextUse(this.deps.turns, other.name, this.cursor + 1) <= mine) keep.add(this.key(other.name));
        }
        keep.delete(this.key(role));
        const r = await this.deps.registry.prefetch(this.ref(role), this.deps.view(role), { exclude: keep }).catch(() => null);
        if (r) this.deps.metric(r.loaded ? "residency.prefetchedLoad" : "residency.prefilled", r.ms, role);
      }
    })().catch(() => undefined);
  }

  /**
   * How long `role` would keep the researcher waiting if picked to speak now: nothing when its seat
   * is resident (or it has none: a human seat, a remote role), else the predicted load and re-ingest
   * of its conversation (runtime/slots/perfModel.ts).
   */
  predictedWait(role: string): { resident: boolean; predictedWaitMs: number } {
    const info = this.remote.has(role) ? null : this.deps.registry.get(this.ref(role));
    if (!info?.model) return { resident: true, predictedWaitMs: 0 };
    if (info.status === "ready" || info.status === "generating" || info.status === "swapping") return { resident: true, predictedWaitMs: 0 };
    const historyTokens = this.deps.view(role).reduce((s, t) => s + estimateTokens(t.content), 0);
    return { resident: false, predictedWaitMs: this.deps.registry.perf.predict({ from: null, to: info.model, historyTokens }).ms };
  }

  /** Resolves when the prefetch started for the current turn is done (a staged swap is ready to commit). */
  async prefetched(): Promise<void> {
    await this.prefetching;
  }

  /** Reloads a seat whose process died, once; the second time the session fails. */
  async recover(role: string, reason: string, exclude: ReadonlySet<string> = new Set()): Promise<void> {
    const seen = this.faults.get(role) ?? 0;
    if (seen >= 1) {
      this.deps.fault({ sessionId: this.deps.sessionId, role, error: reason, action: "failed", at: Date.now() });
      throw new SeatFailedError(role, reason);
    }
    this.faults.set(role, seen + 1);
    this.deps.note(`Fault: ${role}'s model process died (${reason}); it is reloaded with its history and the session goes on.`);
    this.deps.metric("seat.fault", 1, role);
    await this.deps.registry.ensureResident(this.ref(role), { exclude: new Set([...exclude, this.key(role)]), kind: "fault-reload" });
    this.deps.fault({ sessionId: this.deps.sessionId, role, error: reason, action: "reloaded", at: Date.now() });
  }

  /** The registry asks which of this session's seats to park first: the one needed furthest ahead. */
  order(seats: Slot[]): Slot[] {
    const from = Math.max(0, this.cursor);
    return [...seats].sort((a, b) => nextUse(this.deps.turns, b.role, from) - nextUse(this.deps.turns, a.role, from) || a.lastUsedAt - b.lastUsedAt);
  }

  /** The plan from the current turn on, with what is resident now and this machine's measured speeds. */
  async plan(): Promise<ResidencyPlan> {
    const models = new Map<string, string>();
    const resident: string[] = [];
    for (const role of this.deps.experiment.roles) {
      const info = this.deps.registry.get(this.ref(role.name));
      if (info?.model) models.set(role.name, info.model.path);
      if (info && (info.status === "ready" || info.status === "generating" || info.status === "swapping")) resident.push(role.name);
    }
    return sessionPlan({
      registry: this.deps.registry,
      sessionId: this.deps.sessionId,
      experiment: this.deps.experiment,
      turns: this.deps.turns,
      models,
      resident,
      from: Math.max(0, this.cursor),
      defaultContextSize: this.deps.defaultContextSize,
      remote: [...(this.deps.remote ?? [])],
    });
  }

  /** Releases the keeper's hold: residency order and session pin. */
  close(): void {
    this.pin(false);
    this.deps.registry.setResidencyOrder(this.deps.sessionId, null);
  }

  private contextOf(role: string): number {
    return this.deps.experiment.roles.find((r) => r.name === role)?.contextSize ?? this.deps.defaultContextSize;
  }

  /** Moves the cursor to the next predicted turn with exactly these speakers (the session may have left the path). */
  private sync(speakers: readonly string[]): void {
    const same = (t: PlannedTurn) => t.speakers.length === speakers.length && speakers.every((s) => t.speakers.includes(s));
    for (let i = this.cursor + 1; i < Math.min(this.deps.turns.length, this.cursor + 65); i++) {
      if (same(this.deps.turns[i]!)) {
        this.cursor = i;
        return;
      }
    }
  }
}
