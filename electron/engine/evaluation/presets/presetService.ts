/**
 * Presets as the engine offers them: `expand` shows what a preset would set now (the editor's
 * preview, `conclave run` before it starts, the `presets.expand` RPC), and `prepare` is what a new
 * session runs through (SessionManager.create), so the stored experiment keeps both the preset's
 * name and the settings it expanded to.
 */
import { experimentErrors, type Experiment, type ExperimentInput } from "../../../../shared/experiment.js";
import { requireExperiment } from "../../../../shared/experimentInput.js";
import { expandPreset, needsExpansion, type Expanded } from "./expandPreset.js";
import { presetFacts, type PresetFactSources } from "./presetFacts.js";

export interface PresetService {
  /** Validates `input` and expands its preset against this machine now; unchanged without a preset. */
  expand(input: ExperimentInput): Promise<Expanded>;
  /** A validated experiment with its preset expanded (as is when there is none, or it is expanded already). */
  prepare(experiment: Experiment): Promise<Experiment>;
}

function checked(e: Experiment): Experiment {
  const errors = experimentErrors(e);
  if (errors.length > 0) throw new Error(errors.map((i) => `${i.path}: ${i.message}`).join("; "));
  return e;
}

export function presetService(sources: PresetFactSources): PresetService {
  const prepareExpanded = async (e: Experiment): Promise<Expanded> => {
    if (!needsExpansion(e)) return { experiment: e, expansion: e.expansion ?? null };
    const expanded = await expandPreset(e, await presetFacts(sources, e));
    return { ...expanded, experiment: checked(expanded.experiment) };
  };
  return {
    async expand(input) {
      return prepareExpanded(requireExperiment(input));
    },
    async prepare(experiment) {
      return (await prepareExpanded(experiment)).experiment;
    },
  };
}
