/**
 * Seed 000's backend pool, itself a {@link TurnGenerator}: the session runner uses it unchanged.
 * Each turn picks a backend — the request's, its seat's route (a (session, role) assignment with its
 * own fallback chain, set while the session runs), the routing policy's (the session's or the one
 * chosen in Settings), or the first enabled — then walks the fallback chain with retries and
 * backoff, a timeout per attempt and a circuit breaker per backend. A session may bring backends of
 * its own, which exist for it alone. Every result says where it ran and why (`routing`), fallbacks
 * and budget switches included; per-backend monitoring feeds the registry.
 */
import type { Routing } from "../../../shared/conversation.js";
import { Emitter } from "../../../shared/emitter.js";
import { POOL_BACKEND, type RoutingPolicyName } from "../../../shared/roleBackends.js";
import type { TurnGenerator } from "../conversation/bus/TurnGenerator.js";
import { isFree, turnCost } from "../runtime/budget/cost.js";
import type { BudgetReservation, SessionBudgets } from "../runtime/budget/SessionBudget.js";
import { redact } from "./secrets/redact.js";
import type { CircuitOptions } from "./circuitBreaker.js";
import type { BackendStats } from "./monitor.js";
import { attemptSignal, backoffMs, sleep, type BackoffOptions } from "./retry.js";
import { LearnedWeights } from "./routing/learned.js";
import type { BackendChoice, RoutingPolicy } from "./routing/policy.js";
import { namedPolicy, type LearnedSource } from "./routing/namedPolicy.js";
import type { ConcurrencyGate } from "./concurrencyGate.js";
import { PoolScopes, newMember, type Member, type SeatRoute, type SessionBackendEntry, type SessionScopeInput } from "./poolScopes.js";

export type { SeatRoute, SessionBackendEntry, SessionScopeInput } from "./poolScopes.js";
import { isSeatFault } from "../runtime/slots/seatFault.js";
import { BackendError, asBackendError, type Backend, type BackendConfig, type PoolTurnRequest, type RoutedTurnResult } from "./types.js";
import { plural } from "../../../shared/plural.js";

export interface BackendPoolOptions {
  backends: Backend[];
  /** Chooses the primary backend when the request and the seat name none (overrides the named policies). */
  policy?: RoutingPolicy;
  /** The named policy in force where a session chooses none (default `first`). */
  policyName?: RoutingPolicyName;
  /** What the `learned` policy reads; its weights are fed every outcome (default: weights learned live only). */
  learnedSource?: LearnedSource;
  /** Tried after a backend's own fallback chain. */
  fallback?: string[];
  circuit?: CircuitOptions;
  backoff?: BackoffOptions;
  budgets?: SessionBudgets;
  /** Outcomes are fed to these weights as they happen (ignored when `learnedSource` is given). */
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

export class BackendPool implements TurnGenerator {
  readonly backend = "pool";
  private readonly members = new Map<string, Member>();
  /** Seat routes and what running sessions brought. */
  private readonly scopes = new PoolScopes();
  private readonly pendingRouting = new Map<string, Routing>();
  /** One concurrency gate per endpoint, shared by every member that names it (poolScopes.ts). */
  private readonly gates = new Map<string, ConcurrencyGate>();
  private readonly routings = new Emitter<RoutingEvent>();
  private policyName: RoutingPolicyName;
  private readonly learnedSource: LearnedSource;

  constructor(private readonly options: BackendPoolOptions) {
    for (const b of options.backends) this.add(b);
    this.policyName = options.policyName ?? "first";
    this.learnedSource = options.learnedSource ?? { weights: options.learned ?? new LearnedWeights() };
  }

  /** The named policy for turns whose session chooses none. */
  get policy(): RoutingPolicyName {
    return this.policyName;
  }

  setPolicy(name: RoutingPolicyName): void {
    this.policyName = name;
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
    this.members.set(backend.config.name, newMember(backend, this.options.circuit, this.gates));
  }

  /**
   * Swaps in a new build of a backend under the same name (an edited config, a new key), keeping
   * its place in the pool order; its circuit and monitoring start fresh, as they described the old one.
   */
  replace(backend: Backend): void {
    this.member(backend.config.name);
    this.members.set(backend.config.name, newMember(backend, this.options.circuit, this.gates));
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

  /**
   * Opens a session's scope: its seats' routes, its policy and its own backends, until
   * {@link closeSession}. Every backend a route names must exist here or in the session.
   */
  openSession(sessionId: string, input: SessionScopeInput): void {
    this.scopes.open(sessionId, input.policy, input.backends.map((b) => newMember(b, this.options.circuit, this.gates)));
    for (const [role, route] of input.routes) this.assign({ sessionId, role }, route);
  }

  /** Clears a session's routes and drops the backends it brought. */
  closeSession(sessionId: string): void {
    this.scopes.close(sessionId);
  }

  /** Sends the turns of one seat (session, role) along `route` (null clears it). */
  assign(seat: { sessionId: string | null; role: string }, route: SeatRoute | null): void {
    if (route) for (const name of [...(route.group ?? [route.backend]), ...(route.fallback ?? [])]) if (name !== POOL_BACKEND) this.memberIn(name, seat.sessionId);
    this.scopes.setRoute(seat, route);
  }

  /** The route of a seat, or null when its turns go where the policy sends them. */
  routeOf(seat: { sessionId: string | null; role: string }): SeatRoute | null {
    return this.scopes.routeOf(seat);
  }

  /** Monitoring per backend, for the registry. */
  stats(): Record<string, BackendStats> {
    return Object.fromEntries([...this.members].map(([name, m]) => [name, m.monitor.stats(m.circuit.state)]));
  }

  /** The backends running sessions brought, with their monitoring. */
  sessionBackends(): SessionBackendEntry[] {
    return this.scopes.entries();
  }

  onRouting(listener: (e: RoutingEvent) => void): () => void {
    return this.routings.on(listener);
  }

  /** The routing of `role`'s latest turn, handed out once (see test/recordRouting.ts). */
  takeRouting(role: string): Routing | null {
    const r = this.pendingRouting.get(role) ?? null;
    this.pendingRouting.delete(role);
    return r;
  }

  async generateTurn(role: string, request: PoolTurnRequest): Promise<RoutedTurnResult> {
    const sessionId = request.sessionId ?? null;
    const find = (n: string): Member | undefined => this.find(n, sessionId);
    const budgetSwitch = this.options.budgets?.localOnly(request.sessionId) ?? null;
    const usable = (c: BackendConfig): boolean => c.enabled && (!budgetSwitch || isFree(c));
    const candidates = this.scopedConfigs(sessionId).filter(usable);
    const route = request.backend === undefined ? this.routeOf({ sessionId, role }) : null;
    const spread = route?.group ? this.spread(route.backend, route.group, sessionId) : null;
    const primary = spread?.primary ?? this.choosePrimary(role, request, candidates, route);
    const after = [...(spread?.rest ?? []), ...(route?.fallback ?? find(primary.backend)?.backend.config.fallback ?? [])];
    const chain = [primary.backend, ...after, ...(this.options.fallback ?? [])]
      .filter((n, i, all) => all.indexOf(n) === i)
      .filter((n) => {
        const c = find(n)?.backend.config;
        return c !== undefined && (n === request.backend || usable(c));
      });
    // Past a budget switch a paid chain gives way to free backends, as unassigned turns do.
    if (chain.length === 0 && budgetSwitch) chain.push(...candidates.filter(isFree).map((c) => c.name));
    if (chain.length === 0) {
      throw new Error(`no enabled backend for '${role}'${route ? ` in its chain (${[primary.backend, ...after].join(", ")})` : ""}${budgetSwitch ? " (budget allows local backends only)" : ""}`);
    }

    const failures: string[] = [];
    for (const name of chain) {
      const m = this.memberIn(name, sessionId);
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
      if (failures.length > 0) reasons.push(`fallback to ${name} after ${failures.join("; ")}`);
      else if (name !== primary.backend) reasons.push(`${primary.backend} cannot take turns now (disabled or over budget); next in the chain: ${name}`);
      const routing: Routing = { backend: name, reason: reasons.join("; ") };
      const cost = turnCost(m.backend.config, result.usage);
      if (request.sessionId !== undefined) {
        const crossed = hold ? this.options.budgets?.settle(hold, name, cost) : this.options.budgets?.add(request.sessionId, name, cost);
        if (crossed) this.options.log?.(crossed.reason);
      }
      this.pendingRouting.set(role, routing);
      this.routings.emit({ role, routing, cost, sessionId: request.sessionId ?? null });
      return { ...result, routing, cost };
    }
    throw new Error(redact(`every backend failed for '${role}': ${failures.join("; ")}`));
  }

  /**
   * A group's members by outstanding work (running and waiting turns), least first (on a tie, the
   * one idle longest), members with an open circuit last: the first takes the turn and the others are its chain, so a member that
   * dies has the turn retried on the next.
   */
  private spread(group: string, members: readonly string[], sessionId: string | null): { primary: BackendChoice; rest: string[] } {
    const ranked = members
      .map((name, i) => ({ name, i, m: this.find(name, sessionId) }))
      .filter((x) => x.m !== undefined && x.m.backend.config.enabled)
      .sort((a, b) => Number(a.m!.circuit.state === "open") - Number(b.m!.circuit.state === "open") || a.m!.gate.load - b.m!.gate.load || a.m!.gate.lastAcquiredAt - b.m!.gate.lastAcquiredAt || a.i - b.i);
    const first = ranked[0];
    if (!first) throw new Error(`no enabled backend in group '${group}' (${members.join(", ")})`);
    return {
      primary: { backend: first.name, reason: `group ${group}: ${first.name} had the least outstanding work (${plural(first.m!.gate.load, "turn")})` },
      rest: ranked.slice(1).map((x) => x.name),
    };
  }

  /** A paid backend's worst case held against the session's budget; null when nothing needs holding. */
  private reserve(config: BackendConfig, request: PoolTurnRequest): BudgetReservation | "refused" | null {
    const budgets = this.options.budgets;
    if (!budgets || request.sessionId === undefined || isFree(config)) return null;
    return budgets.reserve(request.sessionId, worstCase(config, request)) ?? "refused";
  }

  private choosePrimary(role: string, request: PoolTurnRequest, candidates: readonly BackendConfig[], route: SeatRoute | null): BackendChoice {
    const sessionId = request.sessionId ?? null;
    if (request.backend !== undefined) {
      this.memberIn(request.backend, sessionId);
      return { backend: request.backend, reason: `backend ${request.backend} requested` };
    }
    // A seat's own backend leads its chain even when it cannot take the turn now; the chain walks on.
    if (route && route.backend !== POOL_BACKEND) return { backend: route.backend, reason: `${role} runs on ${route.backend}${route.source ? ` (${route.source})` : ""}` };
    const task = request.task ?? request.turns.findLast((t) => t.role === "user")?.content ?? "";
    const open = candidates.filter((c) => this.find(c.name, sessionId)?.circuit.state !== "open");
    const scopePolicy = this.scopes.policy(sessionId);
    const name = scopePolicy ?? this.policyName;
    const policy = this.options.policy ?? namedPolicy(name, this.learnedSource);
    const choice = policy?.({ task, role, candidates: open.length > 0 ? open : candidates });
    if (choice) return { ...choice, reason: `${choice.reason}${this.options.policy ? "" : ` (policy ${name}${scopePolicy ? ", the experiment's" : ""})`}` };
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
          // A 429 or 503 that said how long to wait is waited for (capped), not the shorter backoff.
          await sleep(Math.max(backoffMs(attempt, this.options.backoff), lastError?.retryAfterMs ?? 0), request.signal);
        } catch {
          break;
        }
      }
      try {
        await m.gate.acquire(request.signal);
      } catch {
        break;
      }
      const guard = attemptSignal(config.timeoutMs, request.signal);
      const t0 = performance.now();
      try {
        // The session travels on: the in-process backend finds the session's seat by it.
        const { backend: _b, task: _t, onToken, ...turn } = request;
        // What a backend says is redacted before anything else sees it: a provider may echo a key.
        const raw = await m.backend.generateTurn(role, { ...turn, signal: guard.signal, ...(onToken ? { onToken: (t: string, thought?: boolean) => onToken(redact(t), thought) } : {}) });
        const thought = raw.thought ? { ...raw.thought, text: redact(raw.thought.text) } : raw.thought;
        const result = { ...raw, text: redact(raw.text), ...(thought !== undefined ? { thought } : {}), grammarConstrained: raw.grammarConstrained ?? (m.backend.supportsGrammar && turn.jsonSchema !== undefined) };
        if (guard.timedOut()) throw new BackendError(config.name, `timed out after ${config.timeoutMs} ms`, true);
        m.monitor.record(true, performance.now() - t0);
        m.circuit.success();
        this.learnedSource.weights.record({ backend: config.name, ok: true, latencyMs: performance.now() - t0, cost: turnCost(config, result.usage) });
        return { result };
      } catch (e) {
        // A seat whose model is gone is the session's to recover (it reloads the seat), not a
        // backend failure: nothing is counted, retried or routed around.
        if (isSeatFault(e)) throw e;
        const error = guard.timedOut() ? new BackendError(config.name, `timed out after ${config.timeoutMs} ms`, true) : asBackendError(config.name, e);
        m.monitor.record(false, performance.now() - t0, error.message);
        m.circuit.failure();
        this.learnedSource.weights.record({ backend: config.name, ok: false, latencyMs: performance.now() - t0, cost: 0 });
        lastError = error;
        // The caller stopping the session is not the backend's failure to route around.
        if (request.signal?.aborted || !error.retryable || m.circuit.state === "open") break;
      } finally {
        guard.dispose();
        m.gate.release();
      }
    }
    return { error: lastError ?? new BackendError(config.name, "no attempt was made", false) };
  }

  private member(name: string): Member {
    return this.memberIn(name, null);
  }

  /** A session's own backend of that name, else the pool's. */
  private find(name: string, sessionId: string | null): Member | undefined {
    return this.scopes.member(sessionId, name) ?? this.members.get(name);
  }

  private memberIn(name: string, sessionId: string | null): Member {
    const m = this.find(name, sessionId);
    if (!m) throw new Error(`no backend named '${name}' (known: ${[...new Set([...this.names(), ...this.scopes.names(sessionId)])].join(", ") || "none"})`);
    return m;
  }

  /** The configs a session's turn may use: the pool's in order (a session's own shadowing its name), then the session's others. */
  private scopedConfigs(sessionId: string | null): BackendConfig[] {
    const own = this.scopes.names(sessionId);
    if (own.length === 0) return this.configs();
    const config = (name: string): BackendConfig | undefined => this.scopes.member(sessionId, name)?.backend.config;
    const shared = this.configs().map((c) => config(c.name) ?? c);
    return [...shared, ...own.filter((n) => !this.members.has(n)).flatMap((n) => config(n) ?? [])];
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
