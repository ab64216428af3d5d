/**
 * Builds backends from configuration, taking API keys from a {@link SecretStore} (never from the
 * configuration itself, so configs can be stored and exported safely).
 */
import type { SlotRegistry } from "../runtime/slots/SlotRegistry.js";
import type { SecretStore } from "./secrets/SecretStore.js";
import { InProcessBackend } from "./InProcessBackend.js";
import { OllamaBackend } from "./OllamaBackend.js";
import { OpenAiBackend } from "./OpenAiBackend.js";
import { BackendConfig, type Backend, type BackendConfigInput } from "./types.js";

export interface BackendDeps {
  /** Needed for in-process backends. */
  registry?: SlotRegistry;
  secrets?: SecretStore;
}

export async function createBackend(input: BackendConfigInput, deps: BackendDeps = {}): Promise<Backend> {
  const config = BackendConfig.parse(input);
  const key = (await deps.secrets?.get(config.name)) ?? null;
  switch (config.provider) {
    case "in-process":
      if (!deps.registry) throw new Error(`backend ${config.name}: in-process backends need the slot registry`);
      return new InProcessBackend(deps.registry, config);
    case "ollama":
      return new OllamaBackend(config, key);
    case "openai":
      return new OpenAiBackend(config, key);
  }
}
