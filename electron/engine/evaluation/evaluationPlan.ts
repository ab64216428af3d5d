/**
 * What a task-set evaluation is before it runs: the experiment with its model references resolved
 * (the baseline's and the judge's too: a role name stands for that role's model), its tasks, the
 * folder `results.json` goes to, and the key that identifies the run — a hash of the resolved
 * experiment, the tasks and the folder, so running the same experiment into the same folder again
 * continues the same run, and changing any of them starts a new one.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { modelRoles, type Experiment, type ExperimentInput, type TaskItem } from "../../../shared/experiment.js";
import { requireExperiment } from "../../../shared/experimentInput.js";
import { isGeneratedRef } from "../runtime/library/engineResolver.js";
import { resolveModelPath } from "../conversation/session/loadExperiment.js";
import { loadTaskSet } from "./tasks/loadTaskSet.js";
import { compileSchemaCheck } from "./tasks/checkers.js";

export interface EvaluationPlan {
  experiment: Experiment;
  tasks: TaskItem[];
  outDir: string;
  key: string;
  /** The baseline's model (null without a baseline). */
  baselineModel: string | null;
  /** The judge's model (null unless the check is a judge). */
  judgeModel: string | null;
}

export interface PlanOptions {
  /** Where relative model and task paths resolve (the experiment file's folder for the CLI). */
  baseDir: string;
  /** The experiment file, when it came from one (task files resolve against its folder). */
  experimentFile?: string | null;
  /** The results folder; default: `<defaultRoot>/<title slug>-<hash>`. */
  out?: string;
  defaultRoot: string;
}

/** JSON with object keys sorted, so equal values hash equally however they were written. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

const sha = (text: string): string => createHash("sha256").update(text).digest("hex");

/** The experiment each task's committee session runs: the task set's fields removed, `task` framing the prompt. */
export function taskExperiment(e: Experiment, task: TaskItem): ExperimentInput {
  const attachments = [...(e.attachments ?? []), ...(task.attachments ?? [])];
  const copy: ExperimentInput = { ...e, title: `${e.title} · ${task.id}`, task: `${e.task.trim()}\n\n${task.prompt}`, ...(attachments.length > 0 ? { attachments } : {}) };
  delete copy.tasks;
  delete copy.check;
  delete copy.baseline;
  return copy;
}

/** Validates `input`, resolves its models against `baseDir`, loads its tasks and works out the run's folder and key. */
export async function planEvaluation(input: ExperimentInput | unknown, options: PlanOptions): Promise<EvaluationPlan> {
  const raw = requireExperiment(input);
  // Compiled now, before any model runs: a schema ajv refuses fails the run here, naming check.schema.
  if (raw.check?.kind === "json-schema") compileSchemaCheck(raw.check.schema);
  if (raw.tasks === undefined) throw new Error("tasks: an evaluation needs a task set");
  const base = path.resolve(options.baseDir);
  const resolve = (ref: string): string => (isGeneratedRef(ref) ? ref : resolveModelPath(ref, base));
  const experiment: Experiment = {
    ...raw,
    roles: raw.roles.map((r) => (r.model === undefined ? r : { ...r, model: resolve(r.model) })),
    swaps: raw.swaps.map((s) => ({ ...s, model: resolve(s.model) })),
  };
  // A baseline or judge names a role (its model) or a model of its own.
  const modelFor = (ref: string | undefined): string => {
    const roles = modelRoles(experiment);
    const role = ref === undefined ? roles[0] : roles.find((r) => r.name === ref);
    return role ? role.model : resolve(ref!);
  };
  const baselineModel = experiment.baseline ? modelFor(experiment.baseline.model) : null;
  const judgeModel = experiment.check?.kind === "judge" ? modelFor(experiment.check.judge) : null;
  if (experiment.baseline) experiment.baseline = { ...experiment.baseline, model: experiment.baseline.model ?? experiment.roles[0]!.name };
  // Task files resolve against the experiment file's folder, or the base folder without a file.
  const tasks = await loadTaskSet(experiment.tasks!, options.experimentFile ?? path.join(base, "experiment"));
  const identity = canonicalJson({ experiment, tasks, baselineModel, judgeModel });
  const slug = experiment.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 48) || "evaluation";
  const outDir = path.resolve(options.out ?? path.join(options.defaultRoot, `${slug}-${sha(identity).slice(0, 8)}`));
  return { experiment, tasks, outDir, key: sha(`${identity}\u0000${outDir}`), baselineModel, judgeModel };
}
