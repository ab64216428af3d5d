/**
 * Presets: a sensible committee without hand-tuning. An experiment names `preset: balanced | fast |
 * cheap | reliable`; before it runs, the engine expands the preset into concrete settings (protocol,
 * rounds, members and their models, token caps, context policy, backends and fallbacks, retries,
 * budget behaviour, prefetch) for the user's models and this machine's memory, and stores both the
 * preset's name and the expansion with the experiment. What each preset sets, and why, is listed in
 * electron/engine/evaluation/presets/README.md. Declared once here; the engine expands (electron/engine/evaluation/presets/).
 */
import { z } from "zod";
import { strictObject } from "./strictObject.js";

export const Preset = z.enum(["balanced", "fast", "cheap", "reliable"]);
export type Preset = z.infer<typeof Preset>;

/** One concrete setting a preset chose: what, the value, and why (in words a researcher can check). */
export const PresetSetting = strictObject({
  setting: z.string().min(1),
  value: z.string(),
  reason: z.string(),
});
export type PresetSetting = z.infer<typeof PresetSetting>;

/** What the expansion knew about this machine when it ran. */
export const PresetMachine = strictObject({
  budgetBytes: z.number().nonnegative(),
  /** Model files loaded in some seat when the preset was expanded. */
  residentModels: z.array(z.string()),
  /** Enabled remote backends (fallback candidates). */
  remoteBackends: z.array(z.string()),
});
export type PresetMachine = z.infer<typeof PresetMachine>;

/**
 * The expansion stored with the experiment. An experiment that carries the expansion of its own
 * preset is already expanded and runs as it is (a rerun, fork or replay does not expand it again).
 */
export const PresetExpansion = strictObject({
  preset: Preset,
  settings: z.array(PresetSetting),
  machine: PresetMachine,
  expandedAt: z.number(),
});
export type PresetExpansion = z.infer<typeof PresetExpansion>;

/** How the session runs, beyond who talks when. */
export const ExecutionSpec = strictObject({
  /** Prepare the next speaker's seat while a turn generates (default true). */
  prefetch: z.boolean().optional(),
  /**
   * Tasks of an evaluation run at once (default 1). Results, resume and `results.json` are the
   * same as one at a time; a killed run loses at most the tasks in flight.
   */
  concurrency: z.number().int().min(1).max(64).optional(),
});
export type ExecutionSpec = z.infer<typeof ExecutionSpec>;
