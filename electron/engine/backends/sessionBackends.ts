/**
 * The experiment's backend choices, carried into the pool for one session: each role's route (its
 * backend and its own fallback chain), the session's routing policy, and the backends the
 * experiment defines, built with keys from the key store or the environment and alive for that
 * session only. Also says which roles are served remotely, so the session keeps their local seats
 * parked and the residency plan leaves them out.
 */
import { LOCAL_BACKEND, type BackendConfig } from "../../../shared/backends.js";
import type { Experiment } from "../../../shared/experiment.js";
import type { RemoteRole } from "../../../shared/residency.js";
import { POOL_BACKEND, type KnownBackend } from "../../../shared/roleBackends.js";
import type { SecretStore } from "./secrets/SecretStore.js";
import type { BackendPool, SeatRoute } from "./BackendPool.js";
import { createBackend } from "./createBackend.js";
import type { Backend } from "./types.js";

export interface SessionBackendsDeps {
  pool: BackendPool;
  secrets: SecretStore;
  /** Where a key that cannot be read is reported (already redacted by the caller's sink). */
  log?: (line: string) => void;
}

/** An experiment's backends built before its session exists; bound once the session has an id. */
export interface PreparedBackends {
  bind(sessionId: string): void;
}

export class SessionBackends {
  constructor(private readonly deps: SessionBackendsDeps) {}

  /** The app's backends as the experiment checks see them (never a key). */
  known(): KnownBackend[] {
    return this.deps.pool.configs().map((c) => ({ name: c.name, provider: c.provider, model: c.model, enabled: c.enabled }));
  }

  /**
   * Roles whose turns go to a remote backend first (named by the role, enabled, not in-process):
   * they need no resident seat. A role on `pool` may land anywhere, so its seat stays resident.
   */
  remoteRoles(e: Experiment): RemoteRole[] {
    const configs = this.configsOf(e);
    const groups = groupsOf(e);
    return e.roles.flatMap((r) => {
      // A group is remote when its members are: the first one stands for it.
      const group = r.backend === undefined ? undefined : groups.get(r.backend);
      const c = r.backend === undefined ? undefined : configs.get(group?.[0] ?? r.backend);
      if (!c || !c.enabled || c.provider === "in-process") return [];
      return [{ role: r.name, backend: c.name, fallback: r.fallback ?? c.fallback }];
    });
  }

  /** Builds the experiment's own backends; the routes and policy are set when {@link PreparedBackends.bind} is called. */
  async prepare(e: Experiment): Promise<PreparedBackends> {
    const own = await Promise.all((e.backends?.define ?? []).map((d) => this.build({ ...d, enabled: true })));
    const routes = new Map<string, SeatRoute>();
    const groups = groupsOf(e);
    for (const r of e.roles) {
      if (r.backend === undefined && r.fallback === undefined) continue;
      const group = r.backend === undefined ? undefined : groups.get(r.backend);
      routes.set(r.name, { backend: r.backend ?? POOL_BACKEND, fallback: r.fallback ?? (group ? [] : null), source: "the experiment", ...(group ? { group } : {}) });
    }
    const policy = e.backends?.policy ?? null;
    return { bind: (sessionId) => this.deps.pool.openSession(sessionId, { routes, policy, backends: own }) };
  }

  /** Ends the session's routes and drops its own backends. */
  release(sessionId: string): void {
    this.deps.pool.closeSession(sessionId);
  }

  private configsOf(e: Experiment): Map<string, { name: string; provider: string; enabled: boolean; fallback: string[] }> {
    const out = new Map<string, { name: string; provider: string; enabled: boolean; fallback: string[] }>(this.deps.pool.configs().map((c) => [c.name, c]));
    for (const d of e.backends?.define ?? []) out.set(d.name, { name: d.name, provider: d.provider, enabled: true, fallback: d.fallback ?? [] });
    out.delete(LOCAL_BACKEND);
    return out;
  }

  /** A keys file that cannot be read leaves the backend keyless and says why, as the app's own backends do. */
  private async build(config: Partial<BackendConfig> & Pick<BackendConfig, "name" | "provider">): Promise<Backend> {
    try {
      return await createBackend(config, { secrets: this.deps.secrets });
    } catch (e) {
      this.deps.log?.(`backend ${config.name}: no API key could be read (${e instanceof Error ? e.message : String(e)})`);
      return createBackend(config);
    }
  }
}

/** The experiment's backend groups: name to members. */
function groupsOf(e: Experiment): Map<string, string[]> {
  return new Map((e.backends?.groups ?? []).map((g) => [g.name, g.members]));
}
