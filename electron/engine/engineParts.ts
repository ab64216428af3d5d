/**
 * The parts an engine is composed of, kept out of the {@link Engine} façade: front ends drive only
 * its services. Tests and benches, which may look inside, reach the parts through
 * {@link engineParts}; the layering lint keeps the host, CLI and shell from importing this file.
 */
import type { Engine } from "./Engine.js";
import type { BackendPool } from "./backends/BackendPool.js";
import type { BatchedServing } from "./runtime/serving/BatchedServing.js";
import type { SlotRegistry } from "./runtime/slots/SlotRegistry.js";
import type { SessionStore } from "./data/store/sessionStore.js";

export interface EngineParts {
  /** The seat engine. */
  registry: SlotRegistry;
  store: SessionStore;
  /** The backend pool every session turn runs through. */
  pool: BackendPool;
  /** Library models served batched to the compatible API. */
  serving: BatchedServing;
}

const partsOf = new WeakMap<Engine, EngineParts>();

/** Called by `createEngine()` once for the engine it returns. */
export function recordEngineParts(engine: Engine, parts: EngineParts): void {
  partsOf.set(engine, parts);
}

/** The parts of an engine `createEngine()` built (tests and benches only). */
export function engineParts(engine: Engine): EngineParts {
  const parts = partsOf.get(engine);
  if (!parts) throw new Error("engineParts: this engine was not built by createEngine()");
  return parts;
}
