/**
 * The default backend: models in this process's slot engine. A role generates on its own slot; a
 * role with no slot generates on the slot named by the backend's `model` (so a pool can send any
 * role's turn to a local stand-in, e.g. when a budget forces work local).
 */
import type { SlotRegistry } from "../slots/SlotRegistry.js";
import { SlotTurnGenerator } from "../bus/SlotTurnGenerator.js";
import type { TurnRequest, TurnResult } from "../bus/TurnGenerator.js";
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

  /** The slot that serves `role`'s turn here. */
  targetRole(role: string): string {
    if (this.registry.get(role)?.model) return role;
    const stand = this.config.model.replace(/^role:/, "");
    return stand || role;
  }

  async generateTurn(role: string, request: TurnRequest): Promise<TurnResult> {
    return this.slots.generateTurn(this.targetRole(role), request);
  }

  async listModels(): Promise<BackendModel[]> {
    return this.registry
      .list()
      .filter((s) => s.model)
      .map((s) => ({ id: `role:${s.role}`, sizeBytes: s.model?.sizeBytes ?? null }));
  }
}
