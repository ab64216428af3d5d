/**
 * The pool's per-seat state: routes of seats (a (session, role) pair, or a lab seat with no
 * session) and, per running session, the routing policy and the backends it brought. A session's
 * scope lives from its start to its end; closing it drops its routes and its backends.
 */
import type { RoutingPolicyName } from "../../../shared/roleBackends.js";
import { CircuitBreaker, type CircuitOptions } from "./circuitBreaker.js";
import { BackendMonitor, type BackendStats } from "./monitor.js";
import { ConcurrencyGate } from "./concurrencyGate.js";
import type { Backend, BackendConfig } from "./types.js";

/** A backend in the pool with its circuit breaker and monitoring. */
export interface Member {
  backend: Backend;
  circuit: CircuitBreaker;
  monitor: BackendMonitor;
  /** Its `maxConcurrent`, and the outstanding work a group spreads by. */
  gate: ConcurrencyGate;
}

/**
 * `gates` holds one gate per endpoint (provider, URL and model), so the sessions that each define
 * the same server share its `maxConcurrent` and a group sees all the work outstanding there.
 */
export function newMember(backend: Backend, circuit?: CircuitOptions, gates?: Map<string, ConcurrencyGate>): Member {
  const { provider, baseUrl, model, name, maxConcurrent } = backend.config;
  const key = provider === "in-process" ? `in-process|${name}` : `${provider}|${baseUrl.replace(/\/+$/, "")}|${model}`;
  let gate = gates?.get(key);
  if (!gate) {
    gate = new ConcurrencyGate(maxConcurrent ?? null);
    gates?.set(key, gate);
  }
  return { backend, circuit: new CircuitBreaker(circuit), monitor: new BackendMonitor(), gate };
}

/**
 * Where a seat's turns go: a backend, or `pool` (the policy decides each turn), and the chain tried
 * after it (null: the chosen backend's own `fallback`).
 */
export interface SeatRoute {
  backend: string;
  fallback: string[] | null;
  /** Who set it, for the routing reason ("the experiment"). */
  source?: string;
  /** Set when `backend` names a group: its members, each turn going to the least loaded. */
  group?: string[];
}

/** What a session brings to the pool for as long as it runs. */
export interface SessionScopeInput {
  /** Routes by role. */
  routes: ReadonlyMap<string, SeatRoute>;
  /** The policy of this session's `pool` turns (null: the pool's own). */
  policy: RoutingPolicyName | null;
  /** Backends this session alone may use; a name shared with a pool backend means this one, here. */
  backends: Backend[];
}

/** A backend a running session brought, as the registry lists it. */
export interface SessionBackendEntry {
  sessionId: string;
  config: BackendConfig;
  stats: BackendStats;
}

interface SessionScope {
  routes: Map<string, SeatRoute>;
  policy: RoutingPolicyName | null;
  members: Map<string, Member>;
}

export class PoolScopes {
  private readonly labRoutes = new Map<string, SeatRoute>();
  private readonly sessions = new Map<string, SessionScope>();

  open(sessionId: string, policy: RoutingPolicyName | null, members: Member[]): void {
    this.sessions.set(sessionId, { routes: new Map(), policy, members: new Map(members.map((m) => [m.backend.config.name, m])) });
  }

  close(sessionId: string): void {
    this.sessions.delete(sessionId);
  }

  setRoute(seat: { sessionId: string | null; role: string }, route: SeatRoute | null): void {
    const routes = seat.sessionId === null ? this.labRoutes : this.scope(seat.sessionId).routes;
    if (route === null) routes.delete(seat.role);
    else routes.set(seat.role, { ...route, fallback: route.fallback ? [...route.fallback] : null });
  }

  routeOf(seat: { sessionId: string | null; role: string }): SeatRoute | null {
    return (seat.sessionId === null ? this.labRoutes : this.sessions.get(seat.sessionId)?.routes)?.get(seat.role) ?? null;
  }

  policy(sessionId: string | null): RoutingPolicyName | null {
    return sessionId === null ? null : (this.sessions.get(sessionId)?.policy ?? null);
  }

  /** The session's own backend of that name. */
  member(sessionId: string | null, name: string): Member | undefined {
    return sessionId === null ? undefined : this.sessions.get(sessionId)?.members.get(name);
  }

  /** Names of the backends the session brought. */
  names(sessionId: string | null): string[] {
    return sessionId === null ? [] : [...(this.sessions.get(sessionId)?.members.keys() ?? [])];
  }

  entries(): SessionBackendEntry[] {
    return [...this.sessions].flatMap(([sessionId, scope]) =>
      [...scope.members.values()].map((m) => ({ sessionId, config: m.backend.config, stats: m.monitor.stats(m.circuit.state) })),
    );
  }

  private scope(sessionId: string): SessionScope {
    let scope = this.sessions.get(sessionId);
    if (!scope) {
      scope = { routes: new Map(), policy: null, members: new Map() };
      this.sessions.set(sessionId, scope);
    }
    return scope;
  }
}
