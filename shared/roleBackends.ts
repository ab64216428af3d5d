/**
 * Where a committee's turns run, as the experiment file says it: each role names its backend —
 * `local` (its own seat in this process), `pool` (the routing policy decides each turn), or a named
 * Ollama or OpenAI-compatible backend from the app's settings or from the experiment's own
 * `backends.define` — and its own fallback chain. Backends an experiment defines exist for that
 * session only. An experiment file never holds an API key: a key-like field anywhere a backend is
 * described is refused, naming the field, because keys come from the key store or the environment.
 */
import { z } from "zod";
import { BackendName, LOCAL_BACKEND, RemoteProvider } from "./backends.js";
import { strictObject } from "./strictObject.js";
import type { ExperimentIssue } from "./experimentIssue.js";

/** A role whose backend is `pool` lets the routing policy pick a backend for each of its turns. */
export const POOL_BACKEND = "pool";

/**
 * How the pool picks a backend for a turn that names none:
 * - `first`: the first enabled backend in pool order (`local` first);
 * - `weighted`: a deterministic pick in proportion to each backend's `weight`;
 * - `cost`: the cheapest backend for the turn at its prices (free local models first);
 * - `learned`: the best recorded outcomes (success, latency, cost, votes) in this store.
 */
export const RoutingPolicyName = z.enum(["first", "weighted", "cost", "learned"]);
export type RoutingPolicyName = z.infer<typeof RoutingPolicyName>;

/** Field names that would carry a secret; each is refused with {@link SECRET_FIELD_MESSAGE}. */
export const SECRET_FIELDS = ["apiKey", "api_key", "apikey", "key", "token", "secret", "password", "authorization", "bearer"] as const;

export const SECRET_FIELD_MESSAGE =
  "an API key never goes in an experiment file: store it in Settings → Backends (the key store), a 0600 keys.json, or CONCLAVE_<NAME>_API_KEY in the environment";

/** Shape entries that refuse a key-like field wherever they are spread. */
export const noSecretFields = Object.fromEntries(SECRET_FIELDS.map((f) => [f, z.never({ error: SECRET_FIELD_MESSAGE }).optional()])) as Record<
  (typeof SECRET_FIELDS)[number],
  z.ZodOptional<z.ZodNever>
>;

/** A backend the experiment brings for its own session: everything but the key. */
export const ExperimentBackend = strictObject({
    name: BackendName.refine((n) => n !== LOCAL_BACKEND && n !== POOL_BACKEND, `'${LOCAL_BACKEND}' and '${POOL_BACKEND}' are built in; give this backend another name`),
    provider: RemoteProvider,
    baseUrl: z.string().regex(/^https?:\/\/\S+$/, "a base URL starting with http:// or https://"),
    /** The model id on that server; required, since the roles sent there name none of their own. */
    model: z.string().min(1, "the model this backend serves is required"),
    maxTokens: z.number().int().positive().max(32768).optional(),
    timeoutMs: z.number().int().positive().max(3_600_000).optional(),
    retries: z.number().int().nonnegative().max(10).optional(),
    weight: z.number().nonnegative().optional(),
    pricePer1kInput: z.number().nonnegative().optional(),
    pricePer1kOutput: z.number().nonnegative().optional(),
    /** Tried in order when this backend fails (a role's own `fallback` replaces it). */
    fallback: z.array(BackendName).max(8).optional(),
    /** Turns in flight on it at most; the rest wait. */
    maxConcurrent: z.number().int().positive().max(1024).optional(),
    ...noSecretFields,
  });
export type ExperimentBackend = z.infer<typeof ExperimentBackend>;

/** The experiment's `backends`: the routing policy of its `pool` turns and the backends it defines. */
export const ExperimentBackends = strictObject({
    /** Overrides the policy chosen in Settings for this session's `pool` turns. */
    policy: RoutingPolicyName.optional(),
    define: z.array(ExperimentBackend).max(16).optional(),
    /**
     * Backend groups: several endpoints serving the same model. A role naming a group has each turn
     * sent to the member with the least outstanding work, and a turn that fails on one member
     * (a server that died, a 429 past its retries) is retried on the others.
     */
    groups: z
      .array(z.object({ name: BackendName, members: z.array(BackendName).min(1).max(16), ...noSecretFields }).strict())
      .max(8)
      .optional(),
    ...noSecretFields,
  });
export type ExperimentBackends = z.infer<typeof ExperimentBackends>;

/** A backend of the app's settings as the checks need it (never its key). */
export interface KnownBackend {
  name: string;
  provider: string;
  model: string;
  enabled: boolean;
}

/** The slice of an experiment the backend checks read. */
export interface BackendChoices {
  roles: readonly { name: string; backend?: string | undefined; fallback?: readonly string[] | undefined }[];
  backends?: ExperimentBackends | undefined;
}

/**
 * Backend choices that must hold for the session to run. With `known` (the app's backends), a name
 * that is neither built in, defined by the experiment nor known is an error, and so is a remote
 * backend with no model; without it (a file checked before any engine is open) only what the file
 * itself says is checked.
 */
export function backendErrors(e: BackendChoices, known?: readonly KnownBackend[]): ExperimentIssue[] {
  const issues: ExperimentIssue[] = [];
  const defined = e.backends?.define ?? [];
  const seen = new Set<string>();
  defined.forEach((b, i) => {
    if (seen.has(b.name)) issues.push({ path: `backends.define[${i}].name`, message: `duplicate backend name '${b.name}'` });
    seen.add(b.name);
  });
  const byName = new Map<string, { provider: string; model: string }>();
  for (const b of known ?? []) byName.set(b.name, b);
  for (const b of defined) byName.set(b.name, b);
  const names = [LOCAL_BACKEND, POOL_BACKEND, ...new Set([...(known ?? []).map((b) => b.name), ...defined.map((b) => b.name)].filter((n) => n !== LOCAL_BACKEND))];
  const groups = new Map((e.backends?.groups ?? []).map((g) => [g.name, g]));
  (e.backends?.groups ?? []).forEach((g, i) => {
    if (byName.has(g.name) || g.name === LOCAL_BACKEND || g.name === POOL_BACKEND) issues.push({ path: `backends.groups[${i}].name`, message: `'${g.name}' is already a backend's name; give the group another` });
  });
  const check = (path: string, name: string, inChain: boolean): void => {
    if (name === LOCAL_BACKEND) return;
    const group = groups.get(name);
    if (group) {
      if (inChain) issues.push({ path, message: `group '${name}' can only be a role's backend, not a fallback` });
      else group.members.forEach((m) => check(`${path} (group '${name}')`, m, true));
      return;
    }
    if (name === POOL_BACKEND) {
      if (inChain) issues.push({ path, message: `'${POOL_BACKEND}' can only be a role's backend, not a fallback` });
      return;
    }
    const b = byName.get(name);
    if (!b) {
      if (known) issues.push({ path, message: `'${name}' is not a backend here (known: ${names.join(", ")}); add it in Settings → Backends or define it under backends.define` });
      return;
    }
    if (b.provider !== "in-process" && b.model.trim() === "") {
      issues.push({ path, message: `backend '${name}' names no model, so turns sent there would not say which model to run; set its model in Settings → Backends` });
    }
  };
  e.roles.forEach((r, i) => {
    if (r.backend !== undefined) check(`roles[${i}].backend`, r.backend, false);
    r.fallback?.forEach((f, j) => check(`roles[${i}].fallback[${j}]`, f, true));
  });
  defined.forEach((b, i) => b.fallback?.forEach((f, j) => check(`backends.define[${i}].fallback[${j}]`, f, true)));
  (e.backends?.groups ?? []).forEach((g, i) => g.members.forEach((m, j) => check(`backends.groups[${i}].members[${j}]`, m, true)));
  return issues;
}

/** Choices the session runs with but that the user should know about (a disabled backend). */
export function backendWarnings(e: BackendChoices, known: readonly KnownBackend[]): ExperimentIssue[] {
  const definedNames = new Set((e.backends?.define ?? []).map((b) => b.name));
  const disabled = new Set(known.filter((b) => !b.enabled && !definedNames.has(b.name)).map((b) => b.name));
  return e.roles.flatMap((r, i) =>
    r.backend !== undefined && disabled.has(r.backend)
      ? [{ path: `roles[${i}].backend`, message: `'${r.backend}' is disabled in Settings; ${r.name}'s turns go down its fallback chain` }]
      : [],
  );
}
