/** How a seat registry is configured, and what it is told when a model goes into a seat. */
import type { ModelPoolOptions } from "./ModelPool.js";
import type { EvictionPolicy } from "./budgetAdmission.js";
import type { LoadOptions, ModelIdentity } from "../../../../shared/slots.js";

/** Turns a model reference (path, library name, hf: URI) into a validated file identity. */
export interface ModelResolver {
  resolve(ref: string): Promise<string>;
  /** Reads and validates the GGUF header; throws a specific error for a bad file. */
  inspect(filePath: string): Promise<ModelIdentity>;
}

export interface SlotRegistryOptions extends ModelPoolOptions {
  resolver: ModelResolver;
  budgetBytes?: number;
  /** Whether a load may park idle, unpinned seats of other sessions (LRU); a session's own rotation needs no policy. */
  eviction?: EvictionPolicy;
  /** Context size when a load names none (capped by the model's training context). */
  defaultContextSize?: number;
  /** Root folder for saved KV states; each engine process takes a folder of its own inside. */
  stateRoot?: string;
}

/** Options for putting a model into a seat. */
export interface SeatOptions extends LoadOptions {
  /** Seats that must stay resident while this one loads (the seat about to speak). */
  exclude?: ReadonlySet<string>;
}
