/**
 * The backends a role can name in the experiment editor: the built-in `local` and `pool`, the host's
 * own backends (Settings → Backends) and those the draft defines for itself, each with a short
 * description; and the same list as the checks need it (name, provider, model, enabled).
 */
import type { BackendEntry } from "../../../shared/backends.js";
import { LOCAL_BACKEND } from "../../../shared/backends.js";
import { POOL_BACKEND, type KnownBackend } from "../../../shared/roleBackends.js";

export interface BackendChoice {
  name: string;
  label: string;
}

/** The host's own backends (not those a running session brought) as the experiment checks read them. */
export function knownBackends(entries: readonly BackendEntry[]): KnownBackend[] {
  return entries.filter((b) => b.session === null).map((b) => ({ name: b.config.name, provider: b.config.provider, model: b.config.model, enabled: b.config.enabled }));
}

/** Every backend a role may pick, in the order the pool tries them, the draft's own last. */
export function backendChoices(entries: readonly BackendEntry[], defined: readonly string[]): BackendChoice[] {
  const own = entries.filter((b) => b.session === null && b.config.name !== LOCAL_BACKEND && !defined.includes(b.config.name));
  return [
    { name: LOCAL_BACKEND, label: "local — the role's own seat" },
    { name: POOL_BACKEND, label: "pool — the routing policy picks each turn" },
    ...own.map((b) => ({ name: b.config.name, label: `${b.config.name} — ${b.config.provider}${b.config.model ? `, ${b.config.model}` : ", no model"}${b.config.enabled ? "" : " (disabled)"}` })),
    ...defined.map((name) => ({ name, label: `${name} — defined in this experiment` })),
  ];
}
