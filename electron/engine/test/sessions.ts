/**
 * Test support for sessions: a store and a seat registry on a fresh temp folder, disposed together,
 * and experiments with the defaults the schema would fill in.
 */
import path from "node:path";
import type { Experiment } from "../../../shared/experiment.js";
import { SlotRegistry, type SlotRegistryOptions } from "../runtime/slots/SlotRegistry.js";
import { engineResolver } from "../runtime/library/engineResolver.js";
import { tempStore } from "../data/store/test/testSupport.js";
import type { SessionStore } from "../data/store/sessionStore.js";

export interface SessionParts {
  store: SessionStore;
  registry: SlotRegistry;
  dir: string;
}

/** Runs `fn` with a fresh store and registry (one llama.cpp thread per process), then cleans up. */
export async function withSessionParts<T>(fn: (parts: SessionParts) => Promise<T>, options: Partial<SlotRegistryOptions> = {}): Promise<T> {
  const t = tempStore();
  const registry = new SlotRegistry({ resolver: engineResolver({ modelsDir: t.dir }), stateRoot: path.join(t.dir, "state"), threads: 1, ...options });
  try {
    return await fn({ store: t.store, registry, dir: t.dir });
  } finally {
    await registry.dispose();
    t.cleanup();
  }
}

/** An experiment with the schema's defaults filled in. */
export function experiment(e: Pick<Experiment, "roles" | "protocol"> & Partial<Experiment>): Experiment {
  return { title: "test", task: "Tell a short story about a brave little robot.", seed: 11, swaps: [], context: { policy: "drop-oldest" }, ...e };
}
