/**
 * The experiment editor's working copy: a plain JSON object edited by path, so fields the form does
 * not know (added to the schema later) survive every edit, import and export untouched. Validation is
 * the engine's own (`checkExperimentInput`): nesting, shapes and ranges (a field the schema does not
 * declare is an error with a suggestion), then cross-references, each issue keyed by its field path.
 */
import { titleSlug } from "../../../shared/names.js";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { fieldPath, type Experiment, type ExperimentIssue } from "../../../shared/experiment.js";
import { checkExperimentInput } from "../../../shared/experimentInput.js";
import { syntaxErrorReason } from "../../../shared/syntaxError.js";
import type { KnownBackend } from "../../../shared/roleBackends.js";

/** A JSON object: the experiment as the user has it, valid or not. */
export type Draft = { [key: string]: unknown };
export type DraftPath = ReadonlyArray<string | number>;
export type ExperimentFormat = "json" | "yaml";

export function isObject(value: unknown): value is Draft {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The value at `path`, or undefined where the path leads nowhere. */
export function getAt(draft: unknown, path: DraftPath): unknown {
  let cur: unknown = draft;
  for (const key of path) {
    if (typeof key === "number" ? !Array.isArray(cur) : !isObject(cur)) return undefined;
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}

/**
 * A copy of `draft` with `value` at `path` (objects and arrays on the way are created as needed);
 * `undefined` removes an object key, and an object left empty by that goes too, so clearing the
 * last field of `budget` removes `budget` rather than leaving an invalid `{}` in the file.
 */
export function setAt(draft: Draft, path: DraftPath, value: unknown): Draft {
  return (setIn(draft, path, value, true) ?? {}) as Draft;
}

function setIn(node: unknown, path: DraftPath, value: unknown, root = false): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return value;
  if (typeof key === "number") {
    const arr = Array.isArray(node) ? [...(node as unknown[])] : [];
    arr[key] = setIn(arr[key], rest, value);
    return arr;
  }
  const obj: Draft = isObject(node) ? { ...node } : {};
  const next = setIn(obj[key], rest, value);
  if (next !== undefined) obj[key] = next;
  else {
    delete obj[key];
    if (!root && Object.keys(obj).length === 0) return undefined;
  }
  return obj;
}

export interface DraftCheck {
  /** The parsed experiment, when the draft is valid. */
  experiment: Experiment | null;
  /** Blocking problems, keyed by field path (`roles[0].model`). */
  errors: ExperimentIssue[];
  /** Problems the session runs with (a swap of an unknown role is skipped). */
  warnings: ExperimentIssue[];
}

/**
 * Validates the draft with the same schema and cross-reference checks as `conclave run`; with the
 * host's backends, the roles' backend names are checked against them as the engine will.
 */
export function checkDraft(draft: Draft, knownBackends?: readonly KnownBackend[]): DraftCheck {
  const checked = checkExperimentInput(draft, knownBackends);
  return checked.ok ? { experiment: checked.experiment, errors: [], warnings: checked.warnings } : { experiment: null, errors: checked.issues, warnings: [] };
}

/** A blank experiment: two roles on the first library model, a two-round roundtable. */
export function defaultDraft(firstModel: string): Draft {
  return {
    title: "",
    task: "",
    roles: [
      { name: "analyzer", model: firstModel, maxTokens: 48 },
      { name: "critic", model: firstModel, maxTokens: 48 },
    ],
    protocol: { kind: "roundtable", rounds: 2, stopWhen: "consensus" },
  };
}

/** What is exported and submitted: the draft as edited, less an empty title (the schema defaults it). */
export function finalDraft(draft: Draft): Draft {
  return typeof draft.title === "string" && draft.title.trim() === "" ? setAt(draft, ["title"], undefined) : draft;
}

/** The draft as file text; YAML and JSON carry the same object. */
export function serializeDraft(draft: Draft, format: ExperimentFormat): string {
  return format === "yaml" ? stringifyYaml(draft) : `${JSON.stringify(draft, null, 2)}\n`;
}

/** The format a file name implies: `.yaml`/`.yml` are YAML, anything else JSON. */
export function formatOf(fileName: string): ExperimentFormat {
  return /\.ya?ml$/i.test(fileName) ? "yaml" : "json";
}

/** Parses file text into a draft, or says why not (the syntax error, or that it is not an object). */
export function parseDraft(text: string, format: ExperimentFormat): { draft: Draft } | { error: string } {
  let raw: unknown;
  try {
    raw = format === "yaml" ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    return { error: `${format === "yaml" ? "YAML" : "JSON"} syntax error: ${syntaxErrorReason(error)}` };
  }
  if (!isObject(raw)) return { error: "an experiment is an object with a task, roles and a protocol" };
  return { draft: raw };
}

const NON_PATH = /^(generated:|hf:|huggingface:|hf\.co\/|https?:\/\/)/i;

function isAbsolutePath(ref: string): boolean {
  return ref.startsWith("/") || /^[A-Za-z]:[\\/]/.test(ref) || ref.startsWith("\\\\");
}

function baseName(ref: string): string {
  return ref.split(/[\\/]/).pop() ?? ref;
}

/**
 * A file's relative model paths name files on the machine that wrote it. An imported file has no
 * folder here, so each relative path is matched by file name against the library; what matches
 * becomes that library model, and every change (or miss) is reported for the user to check.
 */
export function resolveImportedModels(draft: Draft, libraryRefs: readonly string[]): { draft: Draft; notes: string[] } {
  const notes: string[] = [];
  let out = draft;
  const visit = (path: DraftPath): void => {
    const ref = getAt(out, path);
    if (typeof ref !== "string" || NON_PATH.test(ref) || isAbsolutePath(ref)) return;
    if (!ref.includes("/") && !ref.includes("\\") && !/\.gguf$/i.test(ref)) return;
    const match = libraryRefs.find((r) => baseName(r) === baseName(ref));
    const where = fieldPath(path as PropertyKey[]);
    if (match) {
      out = setAt(out, path, match);
      notes.push(`${where}: ${ref} → library model ${match}`);
    } else {
      notes.push(`${where}: ${ref} is a relative path and no library model is named ${baseName(ref)}; pick a model or type its full path`);
    }
  };
  const roles = getAt(draft, ["roles"]);
  if (Array.isArray(roles)) roles.forEach((_, i) => visit(["roles", i, "model"]));
  const swaps = getAt(draft, ["swaps"]);
  if (Array.isArray(swaps)) swaps.forEach((_, i) => visit(["swaps", i, "model"]));
  return { draft: out, notes };
}

/** A file name for the export: the title as a slug. */
export function exportFileName(draft: Draft, format: ExperimentFormat): string {
  const title = typeof draft.title === "string" ? draft.title : "";
  return `${titleSlug(title, "experiment")}.${format === "yaml" ? "yaml" : "json"}`;
}

/** Names of the backends the draft defines for itself (`backends.define`), for the backend pickers. */
export function draftBackendNames(draft: Draft): string[] {
  const defined = getAt(draft, ["backends", "define"]);
  if (!Array.isArray(defined)) return [];
  return defined.map((b) => (isObject(b) && typeof b.name === "string" ? b.name : "")).filter((n) => n !== "");
}

/** The role names in the draft, in order, for the role pickers. */
export function draftRoleNames(draft: Draft): string[] {
  const roles = getAt(draft, ["roles"]);
  if (!Array.isArray(roles)) return [];
  return roles.map((r) => (isObject(r) && typeof r.name === "string" ? r.name : "")).filter((n) => n !== "");
}
