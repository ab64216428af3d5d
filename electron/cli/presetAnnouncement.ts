/**
 * `conclave run` with a preset: the expansion is printed before the session starts — each setting,
 * its value and why — and the expanded experiment is what runs (and is stored), so what was shown
 * is what happens.
 */
import type { Experiment } from "../../shared/experiment.js";
import type { PresetExpansion } from "../../shared/presets.js";
import type { Engine } from "../engine/Engine.js";

/** The expansion as text: a header naming the machine facts, then one line per setting. */
export function formatExpansion(x: PresetExpansion): string {
  const gb = (x.machine.budgetBytes / 1e9).toFixed(1);
  const resident = x.machine.residentModels.length > 0 ? x.machine.residentModels.map((p) => p.split(/[\\/]/).at(-1)).join(", ") : "none";
  const remote = x.machine.remoteBackends.length > 0 ? x.machine.remoteBackends.join(", ") : "none";
  const width = Math.max(...x.settings.map((s) => s.setting.length));
  const lines = x.settings.map((s) => `#   ${s.setting.padEnd(width)}  ${s.value} — ${s.reason}`);
  return `# preset ${x.preset}, expanded for this machine (memory budget ${gb} GB; resident models: ${resident}; remote backends: ${remote}):\n${lines.join("\n")}\n`;
}

/** Expands `experiment`'s preset (if any), prints the expansion, and returns the experiment to run. */
export async function announcePreset(engine: Engine, experiment: Experiment, write: (text: string) => void = (t) => process.stdout.write(t)): Promise<Experiment> {
  if (!experiment.preset) return experiment;
  const { experiment: expanded, expansion } = await engine.presets.expand(experiment);
  if (expansion) write(formatExpansion(expansion));
  return expanded;
}
