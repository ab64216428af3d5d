/**
 * Seed 000's backend pool, itself a {@link TurnGenerator}: the session runner uses it unchanged.
 * Each turn picks a backend (the request's, the role's assignment, the routing policy's, or the
 * first enabled), then walks its fallback chain with retries and backoff, a timeout per attempt and
 * a circuit breaker per backend. Every result says where it ran and why (`routing`), fallbacks and
 * budget switches included; per-backend monitoring feeds the registry.
 */
import type { Routing } from "../../../shared/conversation.js";
import type { TurnGenerator } from "../bus/TurnGenerator.js";
import { isFree, turnCost } from "../budget/cost.js";
import type { BudgetReservation, SessionBudgets } from "../budget/SessionBudget.js";
import { redact } from "../secrets/redact.js";
import { CircuitBreaker, type CircuitOptions } from "./circuitBreaker.js";
import { BackendMonitor, type BackendStats } from "./monitor.js";
import { attemptSignal, backoffMs, sleep, type BackoffOptions } from "./retry.js";
import type { LearnedWeights } from "./routing/learned.js";
import type { BackendChoice, RoutingPolicy } from "./routing/policy.js";
import { isSeatFault } from "../slots/seatFault.js";
import { BackendError, asBackendError, type Backend, type BackendConfig, type PoolTurnRequest, type RoutedTurnResult } from "./types.js";

export interface BackendPoolOptions {
  backends: Backend[];
  /** Chooses the primary backend when the request and the role name none. */
  policy?: RoutingPolicy;
  /** Tried after a backend's own fallback chain. */
  fallback?: string[];
  circuit?: CircuitOptions;
  backoff?: BackoffOptions;
  budgets?: SessionBudgets;
  /** Outcomes are fed to these weights as they happen. */
  learned?: LearnedWeights;
  /** One line per failure and fallback; pass it through the secrets redactor before any sink. */
  log?: (line: string) => void;
}

/** A finished routed turn as listeners hear it. */
export interface RoutingEvent {
  role: string;
  routing: Routing;
  cost: number;
  sessionId: string | null;
}

interface Member {
  backend: Backend;
  circuit: CircuitBreaker;
  monitor: BackendMonitor;
}

export class BackendPool implements TurnGenerator {
  readonly backend = "pool";
  private readonly members = new Map<string, Member>();
  private readonly assignments = new Map<string, string>();
  private readonly pendingRouting = new Map<string, Routing>();
  private readonly listeners = new Set<(e: RoutingEvent) => void>();

  constructor(private readonly options: BackendPoolOptions) {
    for (const b of options.backends) this.add(b);
  }

  /**
   * A schema is worth sending when any enabled backend can enforce it. Whether it was enforced is
   * decided per turn by the backend that answered (`grammarConstrained` on the result), so a remote
   * backend in the pool no longer switches the grammar off for local turns.
   */
  get supportsGrammar(): boolean {
    return [...this.members.values()].some((m) => m.backend.config.enabled && m.backend.supportsGrammar);
  }

  add(backend: Backend): void {
    if (this.members.has(backend.config.name)) throw new Error(`a backend named '${backend.config.name}' is already in the pool`);
    this.members.set(backend.config.name, { backend, circuit: new CircuitBreaker(this.options.circuit), monitor: new BackendMonitor() });
  }

  /**
   * Swaps in a new build of a backend under the same name (an edited config, a new key), keeping
   * its place in the pool order; its circuit and monitoring start fresh, as they described the old one.
   */
  replace(backend: Backend): void {
    this.member(backend.config.name);
    this.members.set(backend.config.name, { backend, circuit: new CircuitBreaker(this.options.circuit), monitor: new BackendMonitor() });
  }

  remove(name: string): void {
    this.members.delete(name);
  }

  get(name: string): Backend | undefined {
    return this.members.get(name)?.backend;
  }

  names(): string[] {
    return [...this.members.keys()];
  }

  configs(): BackendConfig[] {
    return [...this.members.values()].map((m) => m.backend.config);
  }

  setEnabled(name: string, enabled: boolean): void {
    this.member(name).backend.config.enabled = enabled;
  }

  /** Sends every turn of `role` to `backend` (null clears the assignment). */
  assign(role: string, backend: string | null): void {
    if (backend === null) this.assignments.delete(role);
    else {
      this.member(backend);
      this.assignments.set(role, backend);
    }
  }

  /** Monitoring per backend, for the registry. */
  stats(): Record<string, BackendStats> {
    return Object.fromEntries([...this.members].map(([name, m]) => [name, m.monitor.stats(m.circuit.state)]));
  }

  onRouting(listener: (e: RoutingEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The routing of `role`'s latest turn, handed out once (see recordRouting.ts). */
  takeRouting(role: string): Routing | null {
    const r = this.pendingRouting.get(role) ?? null;
    this.pendingRouting.delete(role);
    return r;
  }

  async generateTurn(role: string, request: PoolTurnRequest): Promise<RoutedTurnResult> {
    const budgetSwitch = this.options.budgets?.localOnly(request.sessionId) ?? null;
    const usable = (c: BackendConfig): boolean => c.enabled && (!budgetSwitch || isFree(c));
    const candidates = this.configs().filter(usable);
    const primary = this.choosePrimary(role, request, candidates);
    const chain = [primary.backend, ...(this.members.get(primary.backend)?.backend.config.fallback ?? []), ...(this.options.fallback ?? [])]
      .filter((n, i, all) => all.indexOf(n) === i)
      .filter((n) => {
        const c = this.members.get(n)?.backend.config;
        return c !== undefined && (n === request.backend || usable(c));
      });
    if (chain.length === 0) throw new Error(`no enabled backend for '${role}'${budgetSwitch ? " (budget allows local backends only)" : ""}`);

    const failures: string[] = [];
    for (const name of chain) {
      const m = this.member(name);
      const hold = this.reserve(m.backend.config, request);
      if (hold === "refused") {
        failures.push(`${name}: budget: a turn here may cost up to ${worstCase(m.backend.config, request).toFixed(6)}, more than the ${this.options.budgets?.available(request.sessionId ?? "")?.toFixed(6)} left`);
        // What the budget cannot cover goes to free backends, as after a budget switch.
        for (const c of candidates) if (isFree(c) && !chain.includes(c.name)) chain.push(c.name);
        continue;
      }
      if (!m.circuit.tryAcquire()) {
        if (hold) this.options.budgets?.release(hold);
        failures.push(`${name}: circuit open (retry in ${Math.ceil(m.circuit.retryInMs() / 1000)} s)`);
        continue;
      }
      const outcome = await this.tryBackend(m, role, request);
      if ("error" in outcome) {
        if (hold) this.options.budgets?.release(hold);
        failures.push(outcome.error.message);
        this.options.log?.(`backend ${name} failed for ${role}: ${outcome.error.message}`);
        continue;
      }
      const result = outcome.result;
      const reasons = [primary.reason];
      if (budgetSwitch) reasons.unshift(budgetSwitch.reason);
      if (name !== primary.backend || failures.length > 0) reasons.push(`fallback to ${name} after ${failures.join("; ")}`);
      const routing: Routing = { backend: name, reason: reasons.join("; ") };
      const cost = turnCost(m.backend.config, result.usage);
      if (request.sessionId !== undefined) {
        const crossed = hold ? this.options.budgets?.settle(hold, name, cost) : this.options.budgets?.add(request.sessionId, name, cost);
        if (crossed) this.options.log?.(crossed.reason);
      }
      this.pendingRouting.set(role, routing);
      for (const l of this.listeners) l({ role, routing, cost, sessionId: request.sessionId ?? null });
      return { ...result, routing, cost };
    }
    throw new Error(redact(`every backend failed for '${role}': ${failures.join("; ")}`));
  }

  /** A paid backend's worst case held against the session's budget; null when nothing needs holding. */
  private reserve(config: BackendConfig, request: PoolTurnRequest): BudgetReservation | "refused" | null {
    const budgets = this.options.budgets;
    if (!budgets || request.sessionId === undefined || isFree(config)) return null;
    return budgets.reserve(request.sessionId, worstCase(config, request)) ?? "refused";
  }

  private choosePrimary(role: string, request: PoolTurnRequest, candidates: readonly BackendConfig[]): BackendChoice {
    if (request.backend !== undefined) {
      this.member(request.backend);
      return { backend: request.backend, reason: `backend ${request.backend} requested` };
    }
    const assigned = this.assignments.get(role);
    if (assigned && candidates.some((c) => c.name === assigned)) return { backend: assigned, reason: `${role} is assigned to ${assigned}` };
    const task = request.task ?? request.turns.findLast((t) => t.role === "user")?.content ?? "";
    const open = candidates.filter((c) => this.members.get(c.name)?.circuit.state !== "open");
    const choice = this.options.policy?.({ task, role, candidates: open.length > 0 ? open : candidates });
    if (choice) return choice;
    const first = candidates[0];
    if (!first) throw new Error(`no enabled backend for '${role}'`);
    return { backend: first.name, reason: "first enabled backend" };
  }

  /** One backend with its retries; never throws. */
  private async tryBackend(m: Member, role: string, request: PoolTurnRequest): Promise<{ result: Awaited<ReturnType<Backend["generateTurn"]>> } | { error: BackendError }> {
    const { config } = m.backend;
    let lastError: BackendError | null = null;
    for (let attempt = 0; attempt <= config.retries; attempt++) {
      if (attempt > 0) {
        try {
          await sleep(backoffMs(attempt, this.options.backoff), request.signal);
        } catch {
          break;
        }
      }
      const guard = attemptSignal(config.timeoutMs, request.signal);
      const t0 = performance.now();
      try {
        // The session travels on: the in-process backend finds the session's seat by it.
        const { backend: _b, task: _t, onToken, ...turn } = request;
        // What a backend says is redacted before anything else sees it: a provider may echo a key.
        const raw = await m.backend.generateTurn(role, { ...turn, signal: guard.signal, ...(onToken ? { onToken: (t: string) => onToken(redact(t)) } : {}) });
        const result = { ...raw, text: redact(raw.text), grammarConstrained: raw.grammarConstrained ?? (m.backend.supportsGrammar && turn.jsonSchema !== undefined) };
        if (guard.timedOut()) throw new BackendError(config.name, `timed out after ${config.timeoutMs} ms`, true);
        m.monitor.record(true, performance.now() - t0);
        m.circuit.success();
        this.options.learned?.record({ backend: config.name, ok: true, latencyMs: performance.now() - t0, cost: turnCost(config, result.usage) });
        return { result };
      } catch (e) {
        // A seat whose model is gone is the session's to recover (it reloads the seat), not a
        // backend failure: nothing is counted, retried or routed around.
        if (isSeatFault(e)) throw e;
        const error = guard.timedOut() ? new BackendError(config.name, `timed out after ${config.timeoutMs} ms`, true) : asBackendError(config.name, e);
        m.monitor.record(false, performance.now() - t0, error.message);
        m.circuit.failure();
        this.options.learned?.record({ backend: config.name, ok: false, latencyMs: performance.now() - t0, cost: 0 });
        lastError = error;
        // The caller stopping the session is not the backend's failure to route around.
        if (request.signal?.aborted || !error.retryable || m.circuit.state === "open") break;
      } finally {
        guard.dispose();
      }
    }
    return { error: lastError ?? new BackendError(config.name, "no attempt was made", false) };
  }

  private member(name: string): Member {
    const m = this.members.get(name);
    if (!m) throw new Error(`no backend named '${name}' (known: ${this.names().join(", ") || "none"})`);
    return m;
  }
}

/**
 * The most a turn can cost on `config`: its prompt (estimated at 3 characters a token, more
 * tokens than most tokenizers make of English) and every token up to its cap, at the backend's prices.
 */
function worstCase(config: BackendConfig, request: PoolTurnRequest): number {
  const promptTokens = request.turns.reduce((n, t) => n + Math.ceil(t.content.length / 3) + 4, 0);
  const completionTokens = Math.min(config.maxTokens, request.sampling?.maxTokens ?? config.maxTokens);
  return turnCost(config, { promptTokens, completionTokens });
}
