/**
 * Per-session cost tracking and budgets. Every routed turn adds its cost; once a session's spend
 * reaches `switchAt` of its limit, the pool sends that session's work to free (local) backends only,
 * and the switch is recorded once: as an event, and as a metric and system note when a recorder is set.
 *
 * A paid turn first reserves its worst case (its token cap at the backend's price): turns that run
 * at once each see the others' reservations, so together they cannot spend past the limit, where
 * checking the spend alone let every one of them start.
 */
import type { MetricInput } from "../../../../shared/conversation.js";
import { Emitter } from "../../../../shared/emitter.js";

export interface BudgetLimit {
  /** Spend allowed for the session, in the prices' currency. */
  limit: number;
  /** Fraction of the limit at which work switches to local backends. Default 0.8. */
  switchAt?: number;
}

/** The switch as recorded. */
export interface BudgetSwitch {
  sessionId: string;
  spent: number;
  limit: number;
  at: number;
  reason: string;
}

/** Where budget facts go (a {@link SessionStore} satisfies it). */
export interface BudgetRecorder {
  recordMetric(input: MetricInput): unknown;
}

/** A turn's hold on part of a session's budget, until it is settled or released. */
export interface BudgetReservation {
  readonly sessionId: string;
  readonly amount: number;
}

interface SessionSpend {
  spent: number;
  /** Held by turns that are running now. */
  reserved: number;
  byBackend: Map<string, number>;
  limit: BudgetLimit | null;
  switched: BudgetSwitch | null;
}

export class SessionBudgets {
  private readonly sessions = new Map<string, SessionSpend>();
  private readonly switches = new Emitter<BudgetSwitch>();

  constructor(private readonly recorder: BudgetRecorder | null = null) {}

  private entry(sessionId: string): SessionSpend {
    let e = this.sessions.get(sessionId);
    if (!e) {
      e = { spent: 0, reserved: 0, byBackend: new Map(), limit: null, switched: null };
      this.sessions.set(sessionId, e);
    }
    return e;
  }

  /** Sets (or replaces) a session's budget. */
  setLimit(sessionId: string, limit: BudgetLimit): void {
    this.entry(sessionId).limit = limit;
  }

  /**
   * Holds `amount` for a turn about to run, or returns null when the spend, the other running turns'
   * holds and this one together would pass the limit. Sessions without a limit always get one.
   */
  reserve(sessionId: string, amount: number): BudgetReservation | null {
    const e = this.entry(sessionId);
    if (e.limit && e.spent + e.reserved + amount > e.limit.limit) return null;
    e.reserved += amount;
    return { sessionId, amount };
  }

  /** Gives a reservation back unspent (the turn failed). */
  release(reservation: BudgetReservation): void {
    const e = this.entry(reservation.sessionId);
    e.reserved = Math.max(0, e.reserved - reservation.amount);
  }

  /** Replaces a reservation by the turn's real cost; returns the switch when this turn crossed the threshold. */
  settle(reservation: BudgetReservation, backend: string, cost: number): BudgetSwitch | null {
    this.release(reservation);
    return this.add(reservation.sessionId, backend, cost);
  }

  /** What a session may still reserve (null without a limit). */
  available(sessionId: string): number | null {
    const e = this.sessions.get(sessionId);
    if (!e?.limit) return null;
    return Math.max(0, e.limit.limit - e.spent - e.reserved);
  }

  /** Adds a turn's cost; returns the switch when this turn crossed the threshold. */
  add(sessionId: string, backend: string, cost: number): BudgetSwitch | null {
    const e = this.entry(sessionId);
    e.spent += cost;
    e.byBackend.set(backend, (e.byBackend.get(backend) ?? 0) + cost);
    this.recorder?.recordMetric({ sessionId, name: "budget.cost", value: cost });
    if (!e.limit || e.switched) return null;
    const threshold = e.limit.limit * (e.limit.switchAt ?? 0.8);
    if (e.spent < threshold) return null;
    const s: BudgetSwitch = {
      sessionId,
      spent: e.spent,
      limit: e.limit.limit,
      at: Date.now(),
      reason: `budget: spent ${e.spent.toFixed(6)} of ${e.limit.limit} (≥ ${Math.round((e.limit.switchAt ?? 0.8) * 100)}%); work switched to local backends`,
    };
    e.switched = s;
    this.recorder?.recordMetric({ sessionId, name: "budget.switchedToLocal", value: e.spent });
    this.switches.emit(s);
    return s;
  }

  /** Whether the session's work must stay on free backends now. */
  localOnly(sessionId: string | undefined): BudgetSwitch | null {
    return sessionId === undefined ? null : (this.sessions.get(sessionId)?.switched ?? null);
  }

  spent(sessionId: string): { total: number; byBackend: Record<string, number>; limit: number | null; switched: BudgetSwitch | null } {
    const e = this.sessions.get(sessionId);
    return {
      total: e?.spent ?? 0,
      byBackend: Object.fromEntries(e?.byBackend ?? []),
      limit: e?.limit?.limit ?? null,
      switched: e?.switched ?? null,
    };
  }

  onSwitch(listener: (s: BudgetSwitch) => void): () => void {
    return this.switches.on(listener);
  }
}
