/**
 * Loads an experiment's task set: the inline list as it is, or a JSONL, CSV or YAML file (relative
 * paths resolve against the experiment file's folder). Every task is checked against the shared
 * schema; a bad one is refused with the file, the line and the reason, as is a duplicate id.
 *  - JSONL: one `{id, prompt, reference?}` object per line (blank lines skipped);
 *  - CSV: a header row naming `id`, `prompt` and optionally `reference` (parsed by csv-parse, quoting
 *    and embedded newlines as RFC 4180); values are strings, so a numeric reference stays text and the
 *    numeric checker parses it;
 *  - YAML: a list of tasks, or a mapping with a `tasks` list.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import { TaskItem, fieldPath, type TaskSetSpec } from "../../../../shared/experiment.js";

/** A task file problem: which file, which line (1-based, when known) and why. */
export class TaskSetError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(`${file}${line === null ? "" : `:${line}`}: ${reason}`);
    this.name = "TaskSetError";
  }
}

interface Located {
  value: unknown;
  line: number | null;
}

function check(items: readonly Located[], file: string): TaskItem[] {
  const seen = new Map<string, number | null>();
  return items.map(({ value, line }, i) => {
    const parsed = TaskItem.safeParse(value);
    if (!parsed.success) {
      throw new TaskSetError(file, line, `task ${i + 1}: ${parsed.error.issues.map((x) => `${fieldPath(x.path)}: ${x.message}`).join("; ")}`);
    }
    const id = parsed.data.id;
    if (seen.has(id)) {
      const first = seen.get(id);
      throw new TaskSetError(file, line, `duplicate task id '${id}'${first === null || first === undefined ? "" : ` (first on line ${first})`}`);
    }
    seen.set(id, line);
    return parsed.data;
  });
}

function fromJsonl(text: string, file: string): Located[] {
  const out: Located[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === "") return;
    try {
      out.push({ value: JSON.parse(raw) as unknown, line: i + 1 });
    } catch (e) {
      throw new TaskSetError(file, i + 1, `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
  });
  return out;
}

function fromCsv(text: string, file: string): Located[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, info: true, bom: true }) as typeof records;
  } catch (e) {
    const line = (e as { lines?: number }).lines ?? null;
    throw new TaskSetError(file, line, `not valid CSV (${e instanceof Error ? e.message : String(e)})`);
  }
  const header = records[0] ? Object.keys(records[0].record) : [];
  for (const need of ["id", "prompt"]) {
    if (records.length > 0 && !header.includes(need)) throw new TaskSetError(file, 1, `the header has no '${need}' column (it has ${header.join(", ")})`);
  }
  return records.map(({ record, info }) => {
    const { reference, ...rest } = record;
    return { value: reference === undefined || reference === "" ? rest : { ...rest, reference }, line: info.lines };
  });
}

function fromYaml(text: string, file: string): Located[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: true });
  const problem = doc.errors[0];
  if (problem) throw new TaskSetError(file, problem.linePos?.[0].line ?? null, problem.message.split("\n")[0] ?? "not valid YAML");
  let list: YamlNode | null | undefined = doc.contents as YamlNode | null;
  if (isMap(list)) list = list.get("tasks", true) as YamlNode | undefined;
  if (!isSeq(list)) throw new TaskSetError(file, 1, "expected a list of tasks (or a mapping with a 'tasks' list)");
  return list.items.map((item) => {
    const node = item as YamlNode;
    const start = node.range?.[0];
    return { value: node.toJSON() as unknown, line: start === undefined ? null : counter.linePos(start).line };
  });
}

/**
 * The tasks of `spec`. `experimentFile` is where the experiment was read from (relative task paths
 * resolve against its folder); null for an experiment that came from elsewhere (then the working
 * directory).
 */
export async function loadTaskSet(spec: TaskSetSpec, experimentFile: string | null): Promise<TaskItem[]> {
  if (Array.isArray(spec)) return check(spec.map((value, i) => ({ value, line: null, i })), "tasks");
  const file = path.resolve(experimentFile ? path.dirname(experimentFile) : process.cwd(), spec);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    throw new TaskSetError(file, null, (e as { code?: string }).code === "ENOENT" ? "no such file" : `cannot read (${(e as Error).message})`);
  }
  const ext = path.extname(file).toLowerCase();
  const items = ext === ".jsonl" ? fromJsonl(text, file) : ext === ".csv" ? fromCsv(text, file) : fromYaml(text, file);
  if (items.length === 0) throw new TaskSetError(file, null, "no tasks in the file");
  return check(items, file);
}
