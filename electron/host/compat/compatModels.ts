/**
 * What the OpenAI- and Ollama-compatible routes share: every loaded role (`role:<name>`) and every
 * library model (its file name; Ollama clients may add `:latest` or drop `.gguf`) is a model id;
 * library models are loaded on first use into an API role of their own and stay until unloaded
 * (Ollama's `keep_alive: 0`). A turn runs in-process, or on the pool backend the request names
 * (`X-LLM-Backend`).
 */
import type { IncomingMessage } from "node:http";
import type { ChatTurn, ModelIdentity, SamplingInput, SlotStatus } from "../../../shared/slots.js";
import type { Routing } from "../../../shared/conversation.js";
import { SlotRegistry } from "../../engine/slots/SlotRegistry.js";
import { SlotTurnGenerator } from "../../engine/bus/SlotTurnGenerator.js";
import type { TurnResult } from "../../engine/bus/TurnGenerator.js";
import type { ConclaveServices } from "../services.js";
import { HttpError } from "./http.js";

/**
 * The services the compatibility routes read. Every composed host now carries its backend pool
 * (`services.backends`), so this is the host's own services type, kept as a name for the routes.
 */
export type CompatServices = ConclaveServices;

/** The header that picks a named backend (seed 000). */
export const BACKEND_HEADER = "x-llm-backend";

export interface CompatModel {
  id: string;
  kind: "role" | "library";
  /** The role that serves it now (null for a library model not loaded yet). */
  role: string | null;
  ref: string;
  identity: ModelIdentity | null;
  loaded: boolean;
}

export interface CompatTurn {
  model: string;
  turns: ChatTurn[];
  sampling: Partial<SamplingInput>;
  jsonSchema?: Record<string, unknown>;
  onToken?: (text: string) => void;
  signal?: AbortSignal;
}

const API_ROLE_PREFIX = "api-";

function isLoaded(status: SlotStatus): boolean {
  return status !== "empty" && status !== "error" && status !== "loading";
}

/** The API role that serves a library model: `api-` + the file's base name, made a valid role name. */
export function apiRoleFor(fileName: string): string {
  return (API_ROLE_PREFIX + fileName.replace(/\.gguf$/i, "").replace(/[^a-zA-Z0-9_-]/g, "-")).slice(0, 64);
}

export class CompatModels {
  private readonly registry: SlotRegistry | null;
  private readonly local: SlotTurnGenerator | null;
  private readonly loading = new Map<string, Promise<string>>();

  constructor(private readonly services: CompatServices) {
    this.registry = services.slots instanceof SlotRegistry ? services.slots : null;
    this.local = this.registry ? new SlotTurnGenerator(this.registry) : null;
  }

  async list(): Promise<CompatModel[]> {
    const slots = this.services.slots.list();
    const out: CompatModel[] = [];
    for (const s of slots) {
      if (s.role.startsWith(API_ROLE_PREFIX) || !s.model) continue;
      out.push({ id: `role:${s.role}`, kind: "role", role: s.role, ref: s.model.path, identity: s.model, loaded: isLoaded(s.status) });
    }
    const library = await this.services.library.list().catch(() => ({ models: [] }));
    for (const m of library.models) {
      if (!m.identity) continue;
      const role = apiRoleFor(m.identity.fileName);
      const slot = slots.find((s) => s.role === role);
      const loaded = slot !== undefined && isLoaded(slot.status);
      out.push({ id: m.identity.fileName, kind: "library", role: loaded ? role : null, ref: m.ref, identity: m.identity, loaded });
    }
    return out;
  }

  /** The model an id names; `:latest` and a missing `.gguf` are forgiven, as Ollama clients send them. */
  async resolve(id: string): Promise<CompatModel> {
    const bare = id.replace(/:latest$/, "");
    const models = await this.list();
    const found = models.find((m) => m.id === bare) ?? models.find((m) => m.kind === "library" && m.id.replace(/\.gguf$/i, "") === bare);
    if (!found) throw new HttpError(404, `model '${id}' not found; GET /v1/models lists the ids`);
    return found;
  }

  /** Loads a library model into its API role when needed; returns the role that serves `model`. */
  async ensureRole(model: CompatModel): Promise<string> {
    if (model.kind === "role" && model.role) return model.role;
    const role = apiRoleFor(model.identity?.fileName ?? model.id);
    if (this.services.slots.list().some((s) => s.role === role && isLoaded(s.status))) return role;
    let job = this.loading.get(role);
    if (!job) {
      job = this.services.slots.load(role, model.ref).then(() => role);
      this.loading.set(role, job);
      void job.finally(() => this.loading.delete(role)).catch(() => undefined);
    }
    return job;
  }

  /** Unloads a library model's API role (roles of sessions are not the API's to unload). */
  async unload(model: CompatModel): Promise<void> {
    if (model.kind === "role") throw new HttpError(409, `${model.id} belongs to the app's session; unload it there`);
    await this.services.slots.unload(apiRoleFor(model.identity?.fileName ?? model.id));
  }

  /** Runs one turn where the request says, returning where it ran. */
  async generate(req: IncomingMessage, turn: CompatTurn): Promise<Omit<TurnResult, "routing"> & { routing: Routing | null }> {
    const header = req.headers[BACKEND_HEADER];
    const backendName = Array.isArray(header) ? header[0] : header;
    const model = await this.resolve(turn.model);
    const request = {
      turns: turn.turns,
      sampling: turn.sampling,
      ...(turn.jsonSchema ? { jsonSchema: turn.jsonSchema } : {}),
      ...(turn.onToken ? { onToken: turn.onToken } : {}),
      ...(turn.signal ? { signal: turn.signal } : {}),
    };
    if (backendName) {
      const pool = this.services.backends;
      const backend = pool.get(backendName);
      if (!backend) throw new HttpError(400, `no backend named '${backendName}' (${BACKEND_HEADER}); known: ${pool.names().join(", ") || "none"}`);
      const role = backend.config.provider === "in-process" ? await this.ensureRole(model) : (model.role ?? apiRoleFor(model.id));
      return pool.generateTurn(role, { ...request, backend: backendName, model: model.id });
    }
    if (!this.local) throw new HttpError(503, "this host has no in-process engine; name a backend with X-LLM-Backend");
    const role = await this.ensureRole(model);
    return { ...(await this.local.generateTurn(role, request)), routing: null };
  }
}
