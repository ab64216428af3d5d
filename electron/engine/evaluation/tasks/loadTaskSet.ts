/**
 * Loads an experiment's task set: the inline list as it is, or a JSONL, CSV or YAML file (relative
 * paths resolve against the experiment file's folder). Every task is checked against the shared
 * schema; a bad one is refused with the file, the line and the reason, as is a duplicate id. Only a
 * regular file is opened (a FIFO would block the read), and no error quotes the file's content.
 *  - JSONL: one `{id, prompt, reference?}` object per line (blank lines skipped);
 *  - CSV: a header row naming `id`, `prompt` and optionally `reference` (parsed by csv-parse, quoting
 *    and embedded newlines as RFC 4180); values are strings, so a numeric reference stays text and the
 *    numeric checker parses it;
 *  - YAML: a list of tasks, or a mapping with a `tasks` list.
 */
import path from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from "yaml";
import { TaskItem, type TaskSetSpec } from "../../../../shared/experiment.js";
import { issueText } from "../../../../shared/strictObject.js";
import { tooDeep } from "../../../../shared/inputDepth.js";
import { syntaxErrorReason } from "../../../../shared/syntaxError.js";
import { readRegularText, UnreadableFileError } from "../../runtime/library/openRegularFile.js";

/** Task files larger than this are refused before they are read. */
export const MAX_TASK_FILE_BYTES = 256 * 1024 * 1024;

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
    if (tooDeep(value, 8)) throw new TaskSetError(file, line, `task ${i + 1}: nested too deep for a task`);
    const parsed = TaskItem.safeParse(value);
    if (!parsed.success) throw new TaskSetError(file, line, `task ${i + 1}: ${issueText(parsed.error)}`);
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
      throw new TaskSetError(file, i + 1, `not valid JSON (${syntaxErrorReason(e)})`);
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
    // csv-parse names its error code; its message can quote the offending field, so only the code is shown.
    const code = (e as { code?: string }).code;
    throw new TaskSetError(file, line, `not valid CSV${code ? ` (${code.replace(/^CSV_/, "").toLowerCase().replace(/_/g, " ")})` : ""}`);
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
  if (problem) throw new TaskSetError(file, problem.linePos?.[0].line ?? null, `not valid YAML (${syntaxErrorReason(problem)})`);
  let list: YamlNode | null | undefined = doc.contents as YamlNode | null;
  if (isMap(list)) list = list.get("tasks", true) as YamlNode | undefined;
  if (!isSeq(list)) throw new TaskSetError(file, 1, "expected a list of tasks (or a mapping with a 'tasks' list)");
  return list.items.map((item) => {
    const node = item as YamlNode;
    const start = node.range?.[0];
    const line = start === undefined ? null : counter.linePos(start).line;
    try {
      return { value: node.toJS(doc, { maxAliasCount: 100 }) as unknown, line };
    } catch (error) {
      const why = error instanceof RangeError ? "is nested too deep to read" : /alias/i.test(String(error)) ? "has aliases that expand too far (a document built to exhaust memory)" : "cannot be read";
      throw new TaskSetError(file, line, `this task ${why}`);
    }
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
    text = await readRegularText(file, MAX_TASK_FILE_BYTES);
  } catch (e) {
    if (!(e instanceof UnreadableFileError)) throw e;
    throw new TaskSetError(file, null, e.missing ? "no such file" : `cannot be read: ${e.reason}`);
  }
  const ext = path.extname(file).toLowerCase();
  const items = ext === ".jsonl" ? fromJsonl(text, file) : ext === ".csv" ? fromCsv(text, file) : fromYaml(text, file);
  if (items.length === 0) throw new TaskSetError(file, null, "no tasks in the file");
  return check(items, file);
}
