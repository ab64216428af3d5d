/**
 * The models the compatible APIs offer (see shared/apiModels.ts), as the engine's `models` service:
 * naming, lazy loading and turns. Library models are loaded on first use into a lab seat of their
 * own, with several context sequences so concurrent requests are batched (BatchedServing), and stay
 * until unloaded (Ollama's `keep_alive: 0`). A turn runs in-process, or on the pool backend the
 * request names.
 */
import { ApiModelError, apiRoleFor, isApiRole, seatModelId, type ApiModel, type ApiModelTurn } from "../../../../shared/apiModels.js";
import type { SeatRef, SlotStatus } from "../../../../shared/slots.js";
import type { LibraryService, ModelTurnResult, ModelsService, SlotsService } from "../../Engine.js";
import type { BackendPool } from "../../backends/BackendPool.js";
import { SlotTurnGenerator } from "../../conversation/bus/SlotTurnGenerator.js";
import type { BatchedServing } from "./BatchedServing.js";
import type { SlotRegistry } from "../slots/SlotRegistry.js";

/** Whether a seat's weights are in memory: a parked seat's model was unloaded to make room. */
export function isResident(status: SlotStatus): boolean {
  return status === "ready" || status === "generating" || status === "swapping";
}

/** Whether a seat can take a turn now or after un-parking (it holds a model that is not failing or still loading). */
function isSeated(status: SlotStatus): boolean {
  return status !== "empty" && status !== "error" && status !== "loading";
}

export interface ModelsServiceParts {
  slots: SlotsService;
  library: LibraryService;
  registry: SlotRegistry;
  serving: BatchedServing;
  pool: BackendPool;
}

/** The `models` service over the engine's seats, library, batched serving and backend pool. */
export function modelsService(parts: ModelsServiceParts): ModelsService {
  const local = new SlotTurnGenerator(parts.registry);

  const list = async (): Promise<ApiModel[]> => {
    const slots = parts.slots.list();
    const out: ApiModel[] = [];
    for (const s of slots) {
      if ((s.sessionId === null && isApiRole(s.role)) || !s.model) continue;
      const seat = { sessionId: s.sessionId, role: s.role };
      out.push({ id: seatModelId(seat), kind: "role", seat, ref: s.model.path, identity: s.model, loaded: isResident(s.status) });
    }
    const library = await parts.library.list().catch(() => ({ models: [] }));
    for (const m of library.models) {
      if (!m.identity) continue;
      const role = apiRoleFor(m.identity.fileName);
      const slot = slots.find((s) => s.sessionId === null && s.role === role);
      const seated = slot !== undefined && isSeated(slot.status);
      out.push({ id: m.identity.fileName, kind: "library", seat: seated ? { sessionId: null, role } : null, ref: m.ref, identity: m.identity, loaded: slot !== undefined && isResident(slot.status) });
    }
    return out;
  };

  const resolve = async (id: string): Promise<ApiModel> => {
    const bare = id.replace(/:latest$/, "");
    const models = await list();
    const found = models.find((m) => m.id === bare) ?? models.find((m) => m.kind === "library" && m.id.replace(/\.gguf$/i, "") === bare);
    if (!found) throw new ApiModelError("not-found", `model '${id}' not found; GET /v1/models lists the ids`);
    return found;
  };

  const ensureSeat = async (model: ApiModel): Promise<SeatRef> => {
    if (model.kind === "role" && model.seat) return model.seat;
    const seat = { sessionId: null, role: apiRoleFor(model.identity?.fileName ?? model.id) };
    if (parts.slots.list(null).some((s) => s.role === seat.role && isSeated(s.status))) return seat;
    return parts.serving.ensure(seat.role, model.ref);
  };

  return {
    list,
    resolve,
    load: async (id) => ensureSeat(await resolve(id)),
    async unload(id) {
      const model = await resolve(id);
      if (model.kind === "role") throw new ApiModelError("conflict", `${model.id} belongs to the app's session; unload it there`);
      await parts.slots.unload({ sessionId: null, role: apiRoleFor(model.identity?.fileName ?? model.id) });
    },
    async generate(turn: ApiModelTurn): Promise<ModelTurnResult> {
      const model = await resolve(turn.model);
      const request = {
        turns: turn.turns,
        sampling: turn.sampling,
        ...(turn.jsonSchema ? { jsonSchema: turn.jsonSchema } : {}),
        ...(turn.onToken ? { onToken: turn.onToken } : {}),
        ...(turn.signal ? { signal: turn.signal } : {}),
      };
      if (turn.backend) {
        const backend = parts.pool.get(turn.backend);
        if (!backend) throw new ApiModelError("bad-request", `no backend named '${turn.backend}' (x-llm-backend); known: ${parts.pool.names().join(", ") || "none"}`);
        const seat = backend.config.provider === "in-process" ? await ensureSeat(model) : (model.seat ?? { sessionId: null, role: apiRoleFor(model.id) });
        return parts.pool.generateTurn(seat.role, { ...request, ...(seat.sessionId ? { sessionId: seat.sessionId } : {}), backend: turn.backend, model: model.id });
      }
      const seat = await ensureSeat(model);
      // A library model is served batched on its API seat's sequences; a role keeps its seat's turn order.
      const generator = model.kind === "library" ? parts.serving : local;
      return { ...(await generator.generateTurn(seat.role, { ...request, ...(seat.sessionId ? { sessionId: seat.sessionId } : {}) })), routing: null };
    },
  };
}
