/**
 * What a preset's expansion knows about this machine and the user's models: which model files are
 * resident now (any seat, any session: `registry.list()`), each model's size and parameter count
 * (the registry's cached header read), the memory budget, the enabled remote backends (fallback
 * candidates), and whether a committee fits in memory at once (the residency planner's preview).
 */
import { modelRoles, type Experiment } from "../../../../shared/experiment.js";
import type { ResidencyPlan } from "../../../../shared/residency.js";
import type { BackendEntry } from "../../../../shared/backends.js";
import type { SlotRegistry } from "../../runtime/slots/SlotRegistry.js";

export interface ModelFacts {
  ref: string;
  name: string;
  sizeBytes: number;
  parameterCount: number;
  resident: boolean;
}

export interface PresetFacts {
  budgetBytes: number;
  /** Paths of model files loaded in some seat now. */
  residentModels: string[];
  /** Enabled remote backends, in pool order. */
  remoteBackends: string[];
  /** Facts per model reference of the experiment's roles. */
  models: Map<string, ModelFacts>;
  /** Whether the committee would keep every seat resident at once (a plan without rotation). */
  fitsWithoutRotation(e: Experiment): Promise<boolean>;
}

export interface PresetFactSources {
  registry: SlotRegistry;
  backends: () => Promise<BackendEntry[]>;
  preview: (e: Experiment) => Promise<ResidencyPlan>;
}

const RESIDENT = new Set(["ready", "generating", "swapping"]);

/** Gathers the facts for `e`'s models. */
export async function presetFacts(sources: PresetFactSources, e: Experiment): Promise<PresetFacts> {
  const residentModels = [...new Set(sources.registry.list().flatMap((s) => (s.model && RESIDENT.has(s.status) ? [s.model.path] : [])))];
  const models = new Map<string, ModelFacts>();
  for (const role of modelRoles(e)) {
    if (models.has(role.model)) continue;
    const { identity } = await sources.registry.estimate(role.model, { contextSize: role.contextSize ?? 2048 });
    models.set(role.model, {
      ref: role.model,
      name: identity.name,
      sizeBytes: identity.sizeBytes,
      parameterCount: identity.parameterCount,
      resident: residentModels.includes(identity.path),
    });
  }
  const remoteBackends = (await sources.backends()).filter((b) => !b.builtIn && b.config.enabled).map((b) => b.config.name);
  return {
    budgetBytes: sources.registry.usage().budgetBytes,
    residentModels,
    remoteBackends,
    models,
    async fitsWithoutRotation(candidate) {
      const plan = await sources.preview(candidate);
      return plan.refused === null && plan.fitsAll;
    },
  };
}
