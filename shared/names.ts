/**
 * How models and sessions are named to people, in one place for every view, the CLI and export
 * file names.
 *
 * A model is named by its file first: that is what the researcher picked and what tells two files
 * apart, while the GGUF's internal name (`general.name`) is often a family name such as "llama" that
 * many files share. The internal name follows as a detail when it says something the file name
 * does not.
 */

/** What a model is known by; any of the fields may be missing (older records, remote backends). */
export interface NameableModel {
  fileName?: string | null | undefined;
  path?: string | null | undefined;
  name?: string | null | undefined;
}

/** A model's name for display: `label` first, `detail` (the internal name) beside it or null. */
export interface ModelName {
  label: string;
  detail: string | null;
}

const stem = (file: string): string => file.replace(/\.gguf$/i, "");

/** The file name of a path, whichever separator it uses. */
export function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

/** The display name of a model: its file name, with the internal name as a detail when it differs. */
export function modelName(model: NameableModel): ModelName {
  const file = model.fileName || (model.path ? baseName(model.path) : "");
  const internal = model.name?.trim() || null;
  if (!file) return { label: internal ?? "unknown model", detail: null };
  const same = internal !== null && (internal === file || internal.toLowerCase() === stem(file).toLowerCase());
  return { label: file, detail: internal && !same ? `internal name "${internal}"` : null };
}

/** One line: `stories260K.gguf (internal name "llama")`. */
export function modelNameText(model: NameableModel): string {
  const n = modelName(model);
  return n.detail ? `${n.label} (${n.detail})` : n.label;
}

/** What a session is known by. */
export interface NameableSession {
  id: string;
  title?: string | null | undefined;
  task?: string | null | undefined;
}

/** A session's title for display: its title, else its task cut to a line, else a short id. */
export function sessionTitle(session: NameableSession): string {
  const title = session.title?.trim();
  if (title) return title;
  const task = session.task?.trim().replace(/\s+/g, " ");
  if (task) return task.length > 60 ? `${task.slice(0, 59)}…` : task;
  return `session ${session.id.slice(0, 8)}`;
}

/** A file-name stem from a title: lower case, ASCII letters and digits joined by `-`, at most `max` long. */
export function titleSlug(title: string, fallback = "session", max = 60): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, max)
    .replace(/^-+|-+$/g, "");
  return slug || fallback;
}

/**
 * A title not yet taken among `taken`: the title itself, else `title (run 2)`, `(run 3)`… so a
 * session run again can be told apart from the one it repeats.
 */
export function distinctTitle(title: string, taken: Iterable<string>): string {
  const base = title.replace(/ \(run \d+\)$/, "");
  const used = new Set(taken);
  if (!used.has(title)) return title;
  for (let n = 2; ; n++) {
    const candidate = `${base} (run ${n})`;
    if (!used.has(candidate)) return candidate;
  }
}
