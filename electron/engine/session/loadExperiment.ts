/**
 * Reads an experiment file (JSON, or YAML for `.yaml`/`.yml`), validates it, and resolves relative
 * model paths against the file's folder. Every failure is an {@link ExperimentFileError} naming the
 * file, the field path and the reason, so the CLI can print it as is.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseDocument } from "yaml";
import {
  Experiment,
  experimentErrors,
  experimentWarnings,
  fieldPath,
  type ExperimentIssue,
} from "../../../shared/experiment.js";

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

/** Parses and validates experiment text; `file` names the source in errors and anchors relative paths. */
export function parseExperiment(text: string, file: string): LoadedExperiment {
  const yaml = /\.ya?ml$/i.test(file);
  let raw: unknown;
  if (yaml) {
    const doc = parseDocument(text, { prettyErrors: true });
    if (doc.errors.length > 0) {
      throw new ExperimentFileError(
        file,
        doc.errors.map((e) => ({ path: `line ${e.linePos?.[0]?.line ?? "?"}`, message: `YAML syntax error: ${e.message.split("\n")[0]}` })),
      );
    }
    raw = doc.toJS();
  } else {
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new ExperimentFileError(file, [{ path: "(root)", message: `JSON syntax error: ${(error as Error).message}` }]);
    }
  }
  const parsed = Experiment.safeParse(raw);
  if (!parsed.success) {
    throw new ExperimentFileError(
      file,
      parsed.error.issues.map((i) => ({ path: fieldPath(i.path), message: i.message })),
    );
  }
  const errors = experimentErrors(parsed.data);
  if (errors.length > 0) throw new ExperimentFileError(file, errors);
  const baseDir = path.dirname(path.resolve(file));
  const experiment: Experiment = {
    ...parsed.data,
    roles: parsed.data.roles.map((r) => (r.model === undefined ? r : { ...r, model: resolveModelPath(r.model, baseDir) })),
    swaps: parsed.data.swaps.map((s) => ({ ...s, model: resolveModelPath(s.model, baseDir) })),
  };
  return { file, experiment, warnings: experimentWarnings(experiment) };
}

/** Reads and validates the experiment file at `file`. */
export async function loadExperiment(file: string): Promise<LoadedExperiment> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ExperimentFileError(file, [
      { path: "(file)", message: code === "ENOENT" ? "no such file" : `cannot be read (${code ?? String(error)})` },
    ]);
  }
  return parseExperiment(text, file);
}
