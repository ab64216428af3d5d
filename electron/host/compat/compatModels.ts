/**
 * What the OpenAI- and Ollama-compatible routes share: every seated role is a model id — a lab
 * seat as `role:<name>`, a session's seat as `role:<name>@<first 8 characters of the session id>` —
 * and so is every library model (its file name; Ollama clients may add `:latest` or drop `.gguf`).
 * Library models are loaded on first use into a lab seat of their own, with several context
 * sequences so concurrent requests are batched (the engine's BatchedServing), and stay until
 * unloaded (Ollama's `keep_alive: 0`). A turn runs in-process, or on the pool backend the request names
 * (`X-LLM-Backend`).
 */
import type { IncomingMessage } from "node:http";
import type { ChatTurn, ModelIdentity, SamplingInput, SeatRef, SlotStatus } from "../../../shared/slots.js";
import type { Routing } from "../../../shared/conversation.js";
import { SlotTurnGenerator } from "../../engine/bus/SlotTurnGenerator.js";
import type { TurnResult } from "../../engine/bus/TurnGenerator.js";
import type { Engine } from "../../engine/Engine.js";
import { HttpError } from "./http.js";

/** What the compatibility routes read: the engine. */
export type CompatServices = Engine;

/** The header that picks a named backend (seed 000). */
export const BACKEND_HEADER = "x-llm-backend";

export interface CompatModel {
  id: string;
  kind: "role" | "library";
  /** The seat that serves it now (null for a library model not loaded yet). */
  seat: SeatRef | null;
  ref: string;
  identity: ModelIdentity | null;
  loaded: boolean;
}

export interface CompatTurn {
  model: string;
  turns: ChatTurn[];
  sampling: Partial<SamplingInput>;
  jsonSchema?: Record<string, unknown>;
  /** Streamed text; `thought` marks the model's thought segment (sent as the API's reasoning field). */
  onToken?: (text: string, thought?: boolean) => void;
  signal?: AbortSignal;
}

const API_ROLE_PREFIX = "api-";

function isLoaded(status: SlotStatus): boolean {
  return status !== "empty" && status !== "error" && status !== "loading";
}

/** The model id of a seat: `role:<name>` in the lab, `role:<name>@<session prefix>` in a session. */
export function seatModelId(seat: SeatRef): string {
  return seat.sessionId === null ? `role:${seat.role}` : `role:${seat.role}@${seat.sessionId.slice(0, 8)}`;
}

/** The API role that serves a library model: `api-` + the file's base name, made a valid role name. */
export function apiRoleFor(fileName: string): string {
  return (API_ROLE_PREFIX + fileName.replace(/\.gguf$/i, "").replace(/[^a-zA-Z0-9_-]/g, "-")).slice(0, 64);
}

export class CompatModels {
  private readonly local: SlotTurnGenerator;

  constructor(private readonly services: CompatServices) {
    this.local = new SlotTurnGenerator(services.registry);
  }

  async list(): Promise<CompatModel[]> {
    const slots = this.services.slots.list();
    const out: CompatModel[] = [];
    for (const s of slots) {
      if ((s.sessionId === null && s.role.startsWith(API_ROLE_PREFIX)) || !s.model) continue;
      const seat = { sessionId: s.sessionId, role: s.role };
      out.push({ id: seatModelId(seat), kind: "role", seat, ref: s.model.path, identity: s.model, loaded: isLoaded(s.status) });
    }
    const library = await this.services.library.list().catch(() => ({ models: [] }));
    for (const m of library.models) {
      if (!m.identity) continue;
      const role = apiRoleFor(m.identity.fileName);
      const slot = slots.find((s) => s.sessionId === null && s.role === role);
      const loaded = slot !== undefined && isLoaded(slot.status);
      out.push({ id: m.identity.fileName, kind: "library", seat: loaded ? { sessionId: null, role } : null, ref: m.ref, identity: m.identity, loaded });
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

  /** Loads a library model into its API seat when needed; returns the seat that serves `model`. */
  async ensureSeat(model: CompatModel): Promise<SeatRef> {
    if (model.kind === "role" && model.seat) return model.seat;
    const seat = { sessionId: null, role: apiRoleFor(model.identity?.fileName ?? model.id) };
    if (this.services.slots.list(null).some((s) => s.role === seat.role && isLoaded(s.status))) return seat;
    return this.services.serving.ensure(seat.role, model.ref);
  }

  /** Unloads a library model's API seat (seats of sessions are not the API's to unload). */
  async unload(model: CompatModel): Promise<void> {
    if (model.kind === "role") throw new HttpError(409, `${model.id} belongs to the app's session; unload it there`);
    await this.services.slots.unload({ sessionId: null, role: apiRoleFor(model.identity?.fileName ?? model.id) });
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
      const seat = backend.config.provider === "in-process" ? await this.ensureSeat(model) : (model.seat ?? { sessionId: null, role: apiRoleFor(model.id) });
      return pool.generateTurn(seat.role, { ...request, ...(seat.sessionId ? { sessionId: seat.sessionId } : {}), backend: backendName, model: model.id });
    }
    const seat = await this.ensureSeat(model);
    // A library model is served batched on its API seat's sequences; a role keeps its seat's turn order.
    const generator = model.kind === "library" ? this.services.serving : this.local;
    return { ...(await generator.generateTurn(seat.role, { ...request, ...(seat.sessionId ? { sessionId: seat.sessionId } : {}) })), routing: null };
  }
}
