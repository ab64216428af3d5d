/**
 * A command check: a fresh temporary workspace gets the attachments, the artifacts written over
 * them and the check's own files (hidden tests no role saw); then `setup` and the command run in the
 * sandbox there. Exit code 0 passes. The workspace is removed afterwards whatever happened.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { WorkspaceFile } from "../../../../shared/attachments.js";
import type { CommandCheckOutcome, CommandCheckSpec, CommandEvidence, CommandLimits } from "../../../../shared/commandCheck.js";
import { runSandboxed, SandboxRefusal } from "./runSandboxed.js";
import type { SandboxAvailability } from "./sandboxAvailability.js";

export interface CommandCheckRun {
  spec: CommandCheckSpec;
  attachments: readonly WorkspaceFile[];
  artifacts: readonly WorkspaceFile[];
  /** Where `checkFiles[].from` resolves (the experiment file's folder). */
  baseDir?: string;
  allowUnsandboxed?: boolean;
  availability?: SandboxAvailability;
}

/** The folder holding Conclave's node_modules (found upwards from this file). */
function projectRoot(): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, "node_modules", "typescript"))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

async function put(root: string, f: WorkspaceFile): Promise<void> {
  const target = path.resolve(root, f.path);
  if (!target.startsWith(root + path.sep)) throw new Error(`${f.path}: outside the workspace`);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, f.content);
}

/** Runs the check; never throws for the command's failures (they are the outcome). */
export async function runCommandCheck(run: CommandCheckRun): Promise<CommandCheckOutcome> {
  const { spec } = run;
  const ws = await mkdtemp(path.join(os.tmpdir(), "conclave-check-"));
  const limits: CommandLimits = { timeoutMs: spec.timeoutMs, memoryMb: spec.memoryMb, maxProcesses: spec.maxProcesses, outputKb: spec.outputKb };
  const setup: CommandEvidence[] = [];
  const written = run.artifacts.map((a) => a.path);
  try {
    for (const f of run.attachments) await put(ws, f);
    for (const f of run.artifacts) await put(ws, f);
    for (const f of spec.checkFiles ?? []) {
      const content = "content" in f ? f.content : await readFile(path.resolve(run.baseDir ?? process.cwd(), f.from), "utf8");
      await put(ws, { path: f.path, content });
    }
    const env: Record<string, string> = {};
    const readOnly: string[] = [path.dirname(process.execPath)];
    const root = projectRoot();
    if (root && (spec.projectModules ?? !spec.setup)) {
      if (!existsSync(path.join(ws, "node_modules"))) await symlink(path.join(root, "node_modules"), path.join(ws, "node_modules"));
      readOnly.push(path.join(root, "node_modules"));
    }
    env.PATH = [...(root ? [path.join(root, "node_modules", ".bin")] : []), path.dirname(process.execPath), process.env.PATH ?? "/usr/bin:/bin"].join(path.delimiter);
    const common = { workspace: ws, limits, readOnly, env, ...(run.allowUnsandboxed ? { allowUnsandboxed: true } : {}), ...(run.availability ? { availability: run.availability } : {}) };
    for (const argv of spec.setup ?? []) {
      const e = await runSandboxed({ ...common, argv, network: spec.setupNetwork ?? false });
      setup.push(e);
      if (e.exitCode !== 0) return { passed: false, refused: null, setup, run: null, artifacts: written };
    }
    const e = await runSandboxed({ ...common, argv: spec.run, network: false });
    return { passed: e.exitCode === 0 && e.killedBy === null, refused: null, setup, run: e, artifacts: written };
  } catch (err) {
    if (err instanceof SandboxRefusal) return { passed: false, refused: err.message, setup, run: null, artifacts: written };
    return { passed: false, refused: `the workspace could not be prepared: ${(err as Error).message}`, setup, run: null, artifacts: written };
  } finally {
    await rm(ws, { recursive: true, force: true });
  }
}

/** The evidence trimmed for a corrector's prompt: the exit and the first lines of output. */
export function trimmedEvidence(o: CommandCheckOutcome, maxChars = 2000): string {
  if (o.refused) return `The check could not run: ${o.refused}`;
  const e = o.setup.find((s) => s.exitCode !== 0) ?? o.run;
  if (!e) return "The check did not run.";
  const head = `\`${e.argv.join(" ")}\` ${e.killedBy ? `was killed by the ${e.killedBy} limit` : `exited ${e.exitCode ?? e.signal}`}.`;
  const output = `${e.stdout}${e.stderr ? `\n${e.stderr}` : ""}`.trim();
  return output ? `${head}\n${output.length > maxChars ? `${output.slice(0, maxChars)}\n[… output cut at ${maxChars} characters]` : output}` : head;
}
