/**
 * Turns attachment specs into the files the committee sees. A path names a file, a folder (walked
 * with `tinyglobby`, every `.gitignore` in it honoured through `ignore`, `.git` and `node_modules`
 * skipped) or a glob. Only regular files are opened (a symlink could point anywhere); binary files
 * and files over the size limit are refused by path with the reason, and so is an attachment that
 * matches nothing. The result is sorted by workspace path so a listing is stable.
 */
import { lstat, readFile } from "node:fs/promises";
import path from "node:path";
import ignore, { type Ignore } from "ignore";
import { glob, isDynamicPattern } from "tinyglobby";
import type { AttachmentRefusal, AttachmentSpec, WorkspaceFile } from "../../../../shared/attachments.js";

export interface AttachmentLimits {
  /** Largest file attached, in bytes (default 256 KiB). */
  maxFileBytes: number;
  /** Most files one spec may bring (default 500). */
  maxFiles: number;
}

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = { maxFileBytes: 256 * 1024, maxFiles: 500 };

export interface ResolvedAttachments {
  files: WorkspaceFile[];
  refused: AttachmentRefusal[];
}

const toPosix = (p: string) => p.split(path.sep).join("/");

/** Where a file found under `baseDir` lands: its path relative to `baseDir`, else its name. */
function defaultWorkspacePath(abs: string, baseDir: string): string {
  const rel = path.relative(baseDir, abs);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? toPosix(rel) : path.basename(abs);
}

/** A decoded text file, or why it is not one. */
function asText(buf: Buffer): string | { reason: string } {
  if (buf.subarray(0, 8192).includes(0)) return { reason: "binary file (it holds NUL bytes)" };
  const text = new TextDecoder("utf-8", { fatal: false }).decode(buf);
  if (text.includes("\uFFFD")) return { reason: "binary file (not valid UTF-8)" };
  return text;
}

async function readOne(abs: string, shown: string, limits: AttachmentLimits): Promise<string | AttachmentRefusal> {
  let st;
  try {
    st = await lstat(abs);
  } catch (e) {
    return { path: shown, reason: (e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file or folder" : `cannot be read (${(e as Error).message})` };
  }
  if (!st.isFile()) return { path: shown, reason: st.isSymbolicLink() ? "a symbolic link, not a regular file" : "not a regular file" };
  if (st.size > limits.maxFileBytes) return { path: shown, reason: `too large (${st.size} bytes; the limit is ${limits.maxFileBytes})` };
  const text = asText(await readFile(abs));
  return typeof text === "string" ? text : { path: shown, reason: text.reason };
}

/** The ignore rules of every `.gitignore` under `root`, each anchored at its own folder. */
async function gitignores(root: string, listing: readonly string[]): Promise<{ dir: string; rules: Ignore }[]> {
  const out: { dir: string; rules: Ignore }[] = [];
  for (const rel of listing.filter((p) => p === ".gitignore" || p.endsWith("/.gitignore"))) {
    out.push({ dir: path.posix.dirname(rel) === "." ? "" : path.posix.dirname(rel), rules: ignore().add(await readFile(path.join(root, rel), "utf8")) });
  }
  return out;
}

function ignored(rel: string, rules: readonly { dir: string; rules: Ignore }[]): boolean {
  return rules.some(({ dir, rules: r }) => {
    if (dir && !rel.startsWith(`${dir}/`)) return false;
    return r.ignores(dir ? rel.slice(dir.length + 1) : rel);
  });
}

/** Resolves `specs` against `baseDir` (the experiment file's folder). */
export async function resolveAttachments(specs: readonly AttachmentSpec[], baseDir: string, limits: AttachmentLimits = DEFAULT_ATTACHMENT_LIMITS): Promise<ResolvedAttachments> {
  const files = new Map<string, string>();
  const refused: AttachmentRefusal[] = [];
  const add = (where: string, got: string | AttachmentRefusal) => {
    if (typeof got === "string") files.set(where, got);
    else refused.push(got);
  };
  for (const spec of specs) {
    if ("content" in spec) {
      files.set(spec.path, spec.content);
      continue;
    }
    const abs = path.resolve(baseDir, spec.path);
    if (isDynamicPattern(spec.path)) {
      const matches = await glob(spec.path, { cwd: baseDir, dot: true, onlyFiles: true, followSymbolicLinks: false, ignore: ["**/.git/**", "**/node_modules/**"] });
      if (matches.length === 0) refused.push({ path: spec.path, reason: "the pattern matches no file" });
      if (matches.length > limits.maxFiles) refused.push({ path: spec.path, reason: `matches ${matches.length} files; at most ${limits.maxFiles}` });
      for (const rel of matches.sort().slice(0, limits.maxFiles)) {
        const where = spec.as ? `${spec.as.replace(/\/$/, "")}/${toPosix(rel)}` : defaultWorkspacePath(path.resolve(baseDir, rel), baseDir);
        add(where, await readOne(path.resolve(baseDir, rel), toPosix(rel), limits));
      }
      continue;
    }
    const st = await lstat(abs).catch(() => null);
    if (st?.isDirectory()) {
      const listing = await glob("**/*", { cwd: abs, dot: true, onlyFiles: true, followSymbolicLinks: false, ignore: ["**/.git/**", "**/node_modules/**"] });
      const rules = await gitignores(abs, listing);
      const kept = listing.filter((rel) => !ignored(rel, rules)).sort();
      if (kept.length > limits.maxFiles) refused.push({ path: spec.path, reason: `holds ${kept.length} files; at most ${limits.maxFiles}` });
      const prefix = spec.as ?? defaultWorkspacePath(abs, baseDir);
      for (const rel of kept.slice(0, limits.maxFiles)) {
        const shown = `${spec.path.replace(/\/$/, "")}/${rel}`;
        add(prefix === "." || prefix === "" ? rel : `${prefix.replace(/\/$/, "")}/${rel}`, await readOne(path.join(abs, rel), shown, limits));
      }
      continue;
    }
    add(spec.as ?? defaultWorkspacePath(abs, baseDir), await readOne(abs, spec.path, limits));
  }
  return { files: [...files].sort(([a], [b]) => a.localeCompare(b)).map(([p, content]) => ({ path: p, content })), refused };
}

/** Thrown where refused attachments stop a run: every refused path with its reason. */
export class AttachmentError extends Error {
  constructor(readonly refused: readonly AttachmentRefusal[]) {
    super(`attachments refused:\n${refused.map((r) => `  ${r.path}: ${r.reason}`).join("\n")}`);
    this.name = "AttachmentError";
  }
}
