/**
 * Objects of the experiment file refuse fields they do not declare. A misspelt field silently
 * ignored (`temprature: 0.5`) runs an experiment other than the one written, so every object of the
 * file is built with {@link strictObject}: a field added to it later is declared by that addition,
 * and anything else is an error naming the field and the declared name it is closest to.
 */
import { z } from "zod";

/** Edit distance (insertions, deletions, substitutions, adjacent swaps) between two short names. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) rows.push([i]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The declared name `key` most likely misspells: within a third of its length, case ignored; null when none is close. */
export function closestName(key: string, names: readonly string[]): string | null {
  if (key.length > 64) return null;
  const lower = key.toLowerCase();
  let best: string | null = null;
  let bestDistance = Math.max(1, Math.floor(key.length / 3)) + 1;
  for (const name of names) {
    const d = editDistance(lower, name.toLowerCase());
    if (d < bestDistance) {
      best = name;
      bestDistance = d;
    }
  }
  return best;
}

/** Printable form of a key that may hold anything (control characters, a huge string). */
function shown(key: string): string {
  const clean = key.replace(/\p{Cc}/gu, "?");
  return JSON.stringify(clean.length > 60 ? `${clean.slice(0, 60)}…` : clean);
}

/** The message for one unknown field of an object whose fields are `names`. */
export function unknownFieldMessage(key: string, names: readonly string[]): string {
  const near = closestName(key, names);
  return `unknown field ${shown(key)}${near ? ` (did you mean '${near}'?)` : ""}`;
}

/** Separates the per-field messages of one `unrecognized_keys` issue (see {@link issueList}). */
const PER_KEY = "\n";

/**
 * `z.strictObject` whose unknown-field error names each field and suggests the declared one it is
 * closest to. Use it for every object an experiment file can hold.
 */
export function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const names = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === "unrecognized_keys" ? issue.keys.map((k) => unknownFieldMessage(k, names)).join(PER_KEY) : undefined),
  });
}

/** A schema problem as it is shown: where (`roles[0].temprature`) and why. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Formats a zod issue path as `roles[0].model`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : `${out ? "." : ""}${String(part)}`;
  return out || "(root)";
}

/** A zod error's issues with raw paths: one per unknown field (its own path), one per other problem. */
export function issueEntries(error: z.ZodError): { path: PropertyKey[]; message: string }[] {
  return error.issues.flatMap((issue) => {
    if (issue.code !== "unrecognized_keys") return [{ path: issue.path, message: issue.message }];
    const lines = issue.message.split(PER_KEY);
    return issue.keys.map((key, i) => ({
      path: [...issue.path, key],
      message: lines.length === issue.keys.length ? lines[i]! : unknownFieldMessage(key, []),
    }));
  });
}

/** A zod error as field issues, each path written `roles[0].temprature`. */
export function issueList(error: z.ZodError): FieldIssue[] {
  return issueEntries(error).map((e) => ({ path: fieldPath(e.path), message: e.message }));
}

/** A zod error in one line: `roles[0].temprature: unknown field … ; task: the task is required`. */
export function issueText(error: z.ZodError): string {
  return issueList(error)
    .map((i) => `${i.path}: ${i.message}`)
    .join("; ");
}
