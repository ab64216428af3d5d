/**
 * The engine's backend pool and its administration: the pool is built at start from the key-free
 * configs saved in the store's settings (`backends`), always with the built-in in-process `local`
 * backend first, and with the routing policy saved there (`routingPolicy`); `backends.*` RPCs add,
 * edit, enable and remove backends, saving configs to the store and API keys to the
 * {@link SecretStore} only. Nothing here returns or logs a key.
 */
import { BackendConfig, LOCAL_BACKEND, type BackendEntry, type BackendUpsert } from "../../../shared/backends.js";
import { RoutingPolicyName } from "../../../shared/roleBackends.js";
import type { LearnedSource } from "./routing/namedPolicy.js";
import { SessionBackends } from "./sessionBackends.js";
import { BackendPool } from "./BackendPool.js";
import { createBackend } from "./createBackend.js";
import { InProcessBackend } from "./InProcessBackend.js";
import type { Backend } from "./types.js";
import type { SessionBudgets } from "../runtime/budget/SessionBudget.js";
import type { SecretStore } from "./secrets/SecretStore.js";
import { redact } from "./secrets/redact.js";
import type { SlotRegistry } from "../runtime/slots/SlotRegistry.js";
import type { BackendAdminService } from "../Engine.js";

/** Settings key of the saved backend configs (an array of {@link BackendConfig}, keys never included). */
export const BACKENDS_SETTING = "backends";
/** Settings key of the routing policy chosen in Settings. */
export const ROUTING_POLICY_SETTING = "routingPolicy";

/** The slice of the session store the pool's configs are saved in. */
export interface BackendSettingsStore {
  getSetting(key: string): unknown;
  setSetting(key: string, value: unknown): void;
}

export interface BackendPoolDeps {
  store: BackendSettingsStore;
  registry: SlotRegistry;
  secrets: SecretStore;
  budgets?: SessionBudgets;
  /** What the `learned` routing policy reads (default: outcomes of this process only). */
  learned?: LearnedSource;
  /** Failure and fallback lines; the caller's sink, redacted here before it sees them. */
  log?: (line: string) => void;
}

/** The pool plus what administering it needs. */
export interface HostBackends {
  pool: BackendPool;
  admin: BackendAdminService;
  /** Each session's own routes and backends, for the session manager. */
  sessions: SessionBackends;
  /** The routing policy chosen in Settings; saved and applied to the pool at once. */
  setPolicy(name: RoutingPolicyName): void;
}

/** Saved configs that still parse; a broken entry is logged and left out rather than failing the start. */
function savedConfigs(store: BackendSettingsStore, log: (line: string) => void): BackendConfig[] {
  const raw = store.getSetting(BACKENDS_SETTING);
  if (!Array.isArray(raw)) return [];
  const out: BackendConfig[] = [];
  for (const item of raw) {
    const parsed = BackendConfig.safeParse(item);
    if (parsed.success) out.push(parsed.data);
    else log(`saved backend config skipped: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  }
  return out;
}

/** The built-in backend: in-process, free, first. Only its `enabled` flag is the user's to change. */
function localBackend(registry: SlotRegistry, saved: BackendConfig | undefined): InProcessBackend {
  return new InProcessBackend(registry, { name: LOCAL_BACKEND, enabled: saved?.enabled ?? true, pricePer1kInput: 0, pricePer1kOutput: 0 });
}

/** Builds the pool from saved configs and returns it with its administration. */
export async function openHostBackends(deps: BackendPoolDeps): Promise<HostBackends> {
  const log = (line: string): void => deps.log?.(redact(line));
  const hasKey = new Map<string, boolean>();

  // A keys file with loose permissions must not stop the app: the backend starts keyless and says why.
  const build = async (config: BackendConfig): Promise<Backend> => {
    try {
      const backend = await createBackend(config, { secrets: deps.secrets });
      hasKey.set(config.name, (await deps.secrets.get(config.name)) !== null);
      return backend;
    } catch (e) {
      log(`backend ${config.name}: no API key could be read (${e instanceof Error ? e.message : String(e)})`);
      hasKey.set(config.name, false);
      return createBackend(config);
    }
  };

  const saved = savedConfigs(deps.store, log);
  const remote = saved.filter((c) => c.name !== LOCAL_BACKEND && c.provider !== "in-process");
  const policy = RoutingPolicyName.safeParse(deps.store.getSetting(ROUTING_POLICY_SETTING));
  const pool = new BackendPool({
    backends: [localBackend(deps.registry, saved.find((c) => c.name === LOCAL_BACKEND)), ...(await Promise.all(remote.map(build)))],
    ...(deps.budgets ? { budgets: deps.budgets } : {}),
    ...(deps.learned ? { learnedSource: deps.learned } : {}),
    policyName: policy.success ? policy.data : "first",
    log,
  });

  const persist = (): void => deps.store.setSetting(BACKENDS_SETTING, pool.configs());
  const entry = (name: string): BackendEntry => {
    const backend = pool.get(name);
    const stats = pool.stats()[name];
    if (!backend || !stats) throw new Error(`no backend named '${name}'`);
    return {
      config: backend.config,
      stats: { ...stats, lastError: stats.lastError === null ? null : redact(stats.lastError) },
      hasApiKey: hasKey.get(name) ?? false,
      builtIn: name === LOCAL_BACKEND,
      session: null,
    };
  };
  const mustBeRemote = (name: string, what: string): void => {
    if (name === LOCAL_BACKEND) throw new Error(`'${LOCAL_BACKEND}' is the built-in in-process backend; it can be disabled but not ${what}`);
  };

  const admin: BackendAdminService = {
    async list() {
      // Backends a running experiment brought are listed after the app's, marked with their session.
      const own = pool.sessionBackends().map((b): BackendEntry => ({
        config: b.config,
        stats: { ...b.stats, lastError: b.stats.lastError === null ? null : redact(b.stats.lastError) },
        hasApiKey: false,
        builtIn: false,
        session: b.sessionId,
      }));
      return [...pool.names().map(entry), ...own];
    },
    async upsert({ config, apiKey, clearApiKey }: BackendUpsert) {
      mustBeRemote(config.name, "replaced");
      if (apiKey !== undefined) {
        if (!deps.secrets.set) throw new Error(`this host cannot store API keys; set CONCLAVE_<NAME>_API_KEY in its environment instead`);
        await deps.secrets.set(config.name, apiKey);
      } else if (clearApiKey) {
        await deps.secrets.delete?.(config.name);
      }
      const backend = await build(config);
      if (pool.get(config.name)) pool.replace(backend);
      else pool.add(backend);
      persist();
      return entry(config.name);
    },
    async remove(name) {
      mustBeRemote(name, "removed");
      if (!pool.get(name)) throw new Error(`no backend named '${name}'`);
      pool.remove(name);
      hasKey.delete(name);
      await deps.secrets.delete?.(name);
      persist();
    },
    async setEnabled(name, enabled) {
      pool.setEnabled(name, enabled);
      persist();
      return entry(name);
    },
  };
  const setPolicy = (name: RoutingPolicyName): void => {
    deps.store.setSetting(ROUTING_POLICY_SETTING, name);
    pool.setPolicy(name);
  };
  return { pool, admin, sessions: new SessionBackends({ pool, secrets: deps.secrets, log }), setPolicy };
}
