/**
 * The default backend: models in this process's slot engine. A role generates on its own seat (the
 * request's session and the role); a role with no seat generates on the lab seat named by the
 * backend's `model` (so a pool can send any role's turn to a local stand-in, e.g. when a budget
 * forces work local).
 */
import type { SlotRegistry } from "../runtime/slots/SlotRegistry.js";
import { SlotTurnGenerator } from "../conversation/bus/SlotTurnGenerator.js";
import type { TurnRequest, TurnResult } from "../conversation/bus/TurnGenerator.js";
import { BackendConfig, type Backend, type BackendConfigInput, type BackendModel } from "./types.js";

export class InProcessBackend implements Backend {
  readonly config: BackendConfig;
  readonly supportsGrammar = true;
  private readonly slots: SlotTurnGenerator;

  constructor(
    private readonly registry: SlotRegistry,
    config: Partial<BackendConfigInput> = {},
  ) {
    this.config = BackendConfig.parse({ name: "local", ...config, provider: "in-process" });
    this.slots = new SlotTurnGenerator(registry);
  }

  get backend(): string {
    return this.config.name;
  }

  /** The seat that serves `role`'s turn here: its own when it has one, else the configured stand-in. */
  target(role: string, sessionId: string | null): { sessionId: string | null; role: string } {
    if (this.registry.get({ sessionId, role })?.model || this.registry.get({ sessionId, role })?.status === "parked") return { sessionId, role };
    const stand = this.config.model.replace(/^role:/, "");
    return stand ? { sessionId: null, role: stand } : { sessionId, role };
  }

  async generateTurn(role: string, request: TurnRequest): Promise<TurnResult> {
    const seat = this.target(role, request.sessionId ?? null);
    const { sessionId: _s, ...rest } = request;
    return this.slots.generateTurn(seat.role, seat.sessionId === null ? rest : { ...rest, sessionId: seat.sessionId });
  }

  async listModels(): Promise<BackendModel[]> {
    return this.registry
      .list()
      .filter((s) => s.model && s.sessionId === null)
      .map((s) => ({ id: `role:${s.role}`, sizeBytes: s.model?.sizeBytes ?? null }));
  }
}
