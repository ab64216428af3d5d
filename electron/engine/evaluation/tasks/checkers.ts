/**
 * Checkers: whether an extracted answer is correct against a task's reference.
 *  - `exact`: equal after trimming and collapsing whitespace, ignoring case unless `caseSensitive`, and
 *    ignoring one trailing full stop;
 *  - `regex`: the answer matches the check's pattern, or else the task's reference read as a pattern
 *    (on the linear-time engine of shared/userPattern.ts: both come from files);
 *  - `numeric`: the answer's number (the last number in it, thousands separators allowed) is within
 *    the tolerance of the reference, absolute or relative;
 *  - `json-schema`: the answer (or the first JSON object or array in it) parses and validates against
 *    the schema (ajv);
 *  - `judge`: a model grades the answer; the evaluation runner implements {@link Judge} with a model
 *    call. No checker here guesses a judge's verdict.
 */
import { Ajv, type ValidateFunction } from "ajv";
import type { CheckSpec, TaskItem } from "../../../../shared/experiment.js";
import { jsonSchemaIssues } from "../../../../shared/jsonSchemaBounds.js";
import { compileUserPattern, schemaRegExp } from "../../../../shared/userPattern.js";

export interface CheckResult {
  correct: boolean;
  /** Why, in words (what was compared, or what failed to parse). */
  detail: string;
}

/** A checker that needs no model. */
export type Checker = (answer: string | null, task: TaskItem) => CheckResult;

/** What a judge grades: the task, the answer to grade, and the reference when the task has one. */
export interface JudgeRequest {
  task: TaskItem;
  answer: string;
  /** The judging role or model named by the experiment's `check.judge`. */
  judge: string;
  instruction?: string;
}

/** A judge's grade: `correct` is null when the verdict could not be read (the answer stays unchecked). */
export interface JudgeResult {
  correct: boolean | null;
  detail: string;
}

/** A grading model. The evaluation runner implements it with a model call (evaluation/modelJudge.ts): blind, never told who wrote the answer. */
export interface Judge {
  grade(request: JudgeRequest): Promise<JudgeResult>;
}

const normalize = (s: string, caseSensitive: boolean): string => {
  const t = s.trim().replace(/\s+/g, " ").replace(/\.$/, "");
  return caseSensitive ? t : t.toLowerCase();
};

/** The last number in `text` (`-1,234.5`, `3e8`, `.5`); null when there is none. */
export function lastNumber(text: string): number | null {
  const matches = text.match(/[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?/g)?.filter((m) => /\d/.test(m));
  const last = matches?.at(-1);
  if (last === undefined) return null;
  const n = Number(last.replace(/,/g, ""));
  return Number.isFinite(n) ? n : null;
}

/** The first JSON value in `text`: the whole text, else its first `{…}` or `[…]` block that parses. */
export function firstJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const attempts = [text.trim()];
  for (const [open, close] of [["{", "}"], ["[", "]"]] as const) {
    const start = text.indexOf(open);
    const end = text.lastIndexOf(close);
    if (start >= 0 && end > start) attempts.push(text.slice(start, end + 1));
  }
  for (const a of attempts) {
    try {
      return { ok: true, value: JSON.parse(a) as unknown };
    } catch {
      // try the next candidate
    }
  }
  return { ok: false };
}

/**
 * The validator of a `json-schema` check, or an error naming `check.schema`: the schema is first
 * held to its bounds (depth, size, enum length, `$ref` cycles; shared/jsonSchemaBounds.ts), and its
 * `pattern`s run on the linear-time engine, so neither compiling nor validating can run away.
 */
export function compileSchemaCheck(schema: Record<string, unknown>): ValidateFunction {
  const problems = jsonSchemaIssues(schema, "check.schema");
  if (problems.length > 0) throw new Error(problems.map((p) => `${p.path}: ${p.message}`).join("; "));
  try {
    return new Ajv({ allErrors: true, strict: false, code: { regExp: schemaRegExp } }).compile(schema);
  } catch (e) {
    throw new Error(`check.schema: not a valid JSON Schema: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

const missing = (task: TaskItem): CheckResult => ({ correct: false, detail: `task ${task.id} has no reference answer` });
const noAnswer: CheckResult = { correct: false, detail: "no answer was extracted" };

/** The checker for `spec`; null for `judge`, which needs a model (see {@link Judge}), and `command`, which needs the sandbox. */
export function checkerFor(spec: CheckSpec): Checker | null {
  switch (spec.kind) {
    case "exact":
      return (answer, task) => {
        if (task.reference === undefined) return missing(task);
        if (answer === null) return noAnswer;
        const a = normalize(answer, spec.caseSensitive);
        const r = normalize(String(task.reference), spec.caseSensitive);
        return { correct: a === r, detail: `"${a}" ${a === r ? "=" : "≠"} "${r}"` };
      };
    case "regex":
      return (answer, task) => {
        const pattern = spec.pattern ?? (task.reference === undefined ? undefined : String(task.reference));
        if (pattern === undefined) return missing(task);
        if (answer === null) return noAnswer;
        const compiled = compileUserPattern(pattern, { caseSensitive: spec.caseSensitive });
        if (!compiled.ok) return { correct: false, detail: `task ${task.id}'s reference is not a pattern this engine runs: ${compiled.reason}` };
        const ok = compiled.pattern.test(answer);
        return { correct: ok, detail: `${ok ? "matches" : "does not match"} /${pattern}/` };
      };
    case "numeric":
      return (answer, task) => {
        if (task.reference === undefined) return missing(task);
        const r = Number(task.reference);
        if (!Number.isFinite(r)) return { correct: false, detail: `task ${task.id}'s reference is not a number` };
        if (answer === null) return noAnswer;
        const a = lastNumber(answer);
        if (a === null) return { correct: false, detail: "the answer holds no number" };
        const allowed = spec.relative ? spec.tolerance * Math.abs(r) : spec.tolerance;
        const ok = Math.abs(a - r) <= allowed + 1e-12 * Math.max(1, Math.abs(r));
        return { correct: ok, detail: `|${a} − ${r}| ${ok ? "≤" : ">"} ${allowed}` };
      };
    case "json-schema": {
      const validate = compileSchemaCheck(spec.schema);
      return (answer) => {
        if (answer === null) return noAnswer;
        const parsed = firstJson(answer);
        if (!parsed.ok) return { correct: false, detail: "the answer is not JSON" };
        const ok = validate(parsed.value);
        return { correct: ok, detail: ok ? "valid against the schema" : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`).join("; ") };
      };
    }
    case "judge":
    case "command":
      return null;
  }
}
