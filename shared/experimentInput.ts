/**
 * One way into an experiment from outside (a file, an RPC request, the editor's import): the
 * nesting bound first, then the schema (strict: unknown fields are errors with a suggestion), then
 * the cross-references. Every caller reports the same issues, each with its field path.
 */
import { Experiment, experimentErrors, experimentWarnings, fieldPath, type ExperimentIssue } from "./experiment.js";
import type { KnownBackend } from "./roleBackends.js";
import { MAX_INPUT_DEPTH, tooDeep } from "./inputDepth.js";
import { issueList } from "./strictObject.js";

/** A checked experiment and what the session runs with regardless, or the blocking problems. */
export type ExperimentCheck = { ok: true; experiment: Experiment; warnings: ExperimentIssue[] } | { ok: false; issues: ExperimentIssue[] };

/** Checks untrusted `input` as an experiment; never throws, whatever `input` holds. */
export function checkExperimentInput(input: unknown, knownBackends?: readonly KnownBackend[]): ExperimentCheck {
  const deep = tooDeep(input);
  if (deep) return { ok: false, issues: [{ path: fieldPath(deep), message: `nested more than ${MAX_INPUT_DEPTH} levels deep` }] };
  let parsed;
  try {
    parsed = Experiment.safeParse(input);
  } catch (e) {
    // A validator that throws (rather than reporting) is still the input's fault, not a crash.
    return { ok: false, issues: [{ path: "(root)", message: `cannot be checked: ${e instanceof Error ? e.message : String(e)}` }] };
  }
  if (!parsed.success) return { ok: false, issues: issueList(parsed.error) };
  const errors = experimentErrors(parsed.data, knownBackends);
  if (errors.length > 0) return { ok: false, issues: errors };
  return { ok: true, experiment: parsed.data, warnings: experimentWarnings(parsed.data, knownBackends) };
}

/** The issues as one line, for an error message: `roles[0].temprature: unknown field …; task: …`. */
export function issuesText(issues: readonly ExperimentIssue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join("; ");
}

/** Checks `input` and returns the experiment, or throws one error listing every issue with its path. */
export function requireExperiment(input: unknown, knownBackends?: readonly KnownBackend[]): Experiment {
  const checked = checkExperimentInput(input, knownBackends);
  if (!checked.ok) throw new ExperimentInputError(checked.issues);
  return checked.experiment;
}

/** An experiment refused at a boundary: its issues, each with a field path. */
export class ExperimentInputError extends Error {
  constructor(readonly issues: ExperimentIssue[]) {
    super(issuesText(issues));
    this.name = "ExperimentInputError";
  }
}
