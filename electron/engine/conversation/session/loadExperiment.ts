/**
 * Reads an experiment file (JSON, or YAML for `.yaml`/`.yml`), validates it, and resolves relative
 * model paths against the file's folder. Every failure is an {@link ExperimentFileError} naming the
 * file, the field path and the reason, so the CLI can print it as is.
 */
import path from "node:path";
import { parseDocument } from "yaml";
import { experimentWarnings, type Experiment, type ExperimentIssue } from "../../../../shared/experiment.js";
import { checkExperimentInput } from "../../../../shared/experimentInput.js";
import { syntaxErrorReason } from "../../../../shared/syntaxError.js";
import { readRegularText, UnreadableFileError } from "../../runtime/library/openRegularFile.js";
import { compileSchemaCheck } from "../../evaluation/tasks/checkers.js";

/** A malformed experiment file: `file`, and one issue per bad field. */
export class ExperimentFileError extends Error {
  constructor(
    readonly file: string,
    readonly issues: ExperimentIssue[],
  ) {
    super(`${file}: invalid experiment\n${issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}`);
    this.name = "ExperimentFileError";
  }
}

/** A validated experiment and the non-fatal problems found in it. */
export interface LoadedExperiment {
  file: string;
  experiment: Experiment;
  warnings: ExperimentIssue[];
}

/** Model references that are not file paths and must not be joined to the folder. */
const NON_PATH_REF = /^(generated:|hf:|huggingface:|hf\.co\/|https?:\/\/)/i;

/**
 * Resolves a model reference written in a file in `baseDir`: relative paths (anything with a
 * slash, or ending in .gguf) become absolute; bare names, URIs and `generated:` refs stay as they are.
 */
export function resolveModelPath(ref: string, baseDir: string): string {
  if (NON_PATH_REF.test(ref) || path.isAbsolute(ref)) return ref;
  if (ref.includes("/") || ref.includes("\\") || /\.gguf$/i.test(ref)) return path.resolve(baseDir, ref);
  return ref;
}

/** Experiment files larger than this are refused before they are read. */
export const MAX_EXPERIMENT_BYTES = 16 * 1024 * 1024;

/**
 * YAML text as a value. A document of aliases that expand exponentially ("billion laughs") is
 * refused by the parser's alias budget; deep nesting is refused as such; neither quotes the text.
 */
function parseYamlText(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ExperimentFileError(
      file,
      doc.errors.map((e) => ({ path: `line ${e.linePos?.[0]?.line ?? "?"}`, message: `YAML syntax error: ${syntaxErrorReason(e)}` })),
    );
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const message =
      error instanceof ReferenceError && /alias/i.test(error.message)
        ? "YAML aliases expand too far (a document built to exhaust memory); write the values out"
        : error instanceof RangeError
          ? "the YAML is nested too deep to read"
          : `YAML cannot be read: ${syntaxErrorReason(error)}`;
    throw new ExperimentFileError(file, [{ path: "(root)", message }]);
  }
}

/** Parses and validates experiment text; `file` names the source in errors and anchors relative paths. */
export function parseExperiment(text: string, file: string): LoadedExperiment {
  let raw: unknown;
  if (/\.ya?ml$/i.test(file)) raw = parseYamlText(text, file);
  else {
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new ExperimentFileError(file, [{ path: "(root)", message: `JSON syntax error: ${syntaxErrorReason(error)}` }]);
    }
  }
  const checked = checkExperimentInput(raw);
  if (!checked.ok) throw new ExperimentFileError(file, checked.issues);
  const check = checked.experiment.check;
  if (check?.kind === "json-schema") {
    try {
      compileSchemaCheck(check.schema);
    } catch (error) {
      throw new ExperimentFileError(file, [{ path: "check.schema", message: (error as Error).message.replace(/^check\.schema:\s*/, "") }]);
    }
  }
  const baseDir = path.dirname(path.resolve(file));
  const experiment: Experiment = {
    ...checked.experiment,
    roles: checked.experiment.roles.map((r) => (r.model === undefined ? r : { ...r, model: resolveModelPath(r.model, baseDir) })),
    swaps: checked.experiment.swaps.map((s) => ({ ...s, model: resolveModelPath(s.model, baseDir) })),
  };
  return { file, experiment, warnings: experimentWarnings(experiment) };
}

/** Reads and validates the experiment file at `file` (only a regular file is opened). */
export async function loadExperiment(file: string): Promise<LoadedExperiment> {
  let text: string;
  try {
    text = await readRegularText(file, MAX_EXPERIMENT_BYTES);
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    throw new ExperimentFileError(file, [{ path: "(file)", message: error.missing ? "no such file" : `cannot be read: ${error.reason}` }]);
  }
  return parseExperiment(text, file);
}
