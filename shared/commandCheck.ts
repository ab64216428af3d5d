/**
 * Command checks: a command run in a sandbox over a workspace holding the attachments with the
 * committee's artifacts written over them. Exit code 0 passes. Declared once here (zod + types):
 * the experiment's `check: { kind: "command", … }`, the limits, and the evidence a run leaves
 * (shown in the timeline and the Results tab, written to `results.json`).
 */
import { z } from "zod";
import { strictObject } from "./strictObject.js";

/** One argv: the program, then its arguments (never a shell string, so nothing is re-quoted). */
export const CommandArgv = z.array(z.string().min(1, "an argument is never empty")).min(1, "name the program to run");
export type CommandArgv = z.infer<typeof CommandArgv>;

/** Limits of one sandboxed command; each has a default chosen to let a compiler run on a laptop. */
export const CommandLimits = strictObject({
  /** Wall-clock time before the command's whole process group is killed (default 60 s). */
  timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
  /** Resident memory of the command's process tree before it is killed (default 1024 MiB). */
  memoryMb: z.number().int().min(16).max(65_536).optional(),
  /** Processes the command may have alive at once (default 64). */
  maxProcesses: z.number().int().min(1).max(4096).optional(),
  /** Kilobytes of stdout and of stderr kept as evidence (default 16); ten times as much kills the command. */
  outputKb: z.number().int().min(1).max(10_240).optional(),
});
export type CommandLimits = z.infer<typeof CommandLimits>;

/** The defaults of {@link CommandLimits}, in one place for the engine and the UI. */
export const DEFAULT_LIMITS = { timeoutMs: 60_000, memoryMb: 1024, maxProcesses: 64, outputKb: 16 } as const;

/** A file only the check's workspace receives (hidden tests): its path in the workspace and its text, or a file next to the experiment. */
export const CheckFile = z.union([
  strictObject({ path: z.string().min(1), content: z.string().max(1_048_576) }),
  strictObject({ path: z.string().min(1), from: z.string().min(1) }),
]);
export type CheckFile = z.infer<typeof CheckFile>;

/** `check: { kind: "command", run: [...] }` on an experiment or its task set. */
export const CommandCheckSpec = strictObject({
  kind: z.literal("command"),
  run: CommandArgv,
  /** Runs first in the same workspace (for example `npm ci`); a failing setup fails the check. */
  setup: z.array(CommandArgv).max(8).optional(),
  /** Whether `setup` may use the network (default false; the check itself never may). */
  setupNetwork: z.boolean().optional(),
  /**
   * Link Conclave's own `node_modules` (TypeScript, React's types…) read-only into the workspace and
   * put its `.bin` on the PATH, so `tsc` runs without a network install (default: true without `setup`).
   */
  projectModules: z.boolean().optional(),
  /** Files written into the workspace for the check only; no role ever sees them. */
  checkFiles: z.array(CheckFile).max(64).optional(),
  ...CommandLimits.shape,
});
export type CommandCheckSpec = z.infer<typeof CommandCheckSpec>;

/** Which limit ended a command, when one did. */
export const KilledBy = z.enum(["timeout", "memory", "processes", "output"]);
export type KilledBy = z.infer<typeof KilledBy>;

/** How a command was confined: the platform sandbox, or none (only with `--allow-unsandboxed`). */
export const SandboxKind = z.enum(["bubblewrap", "sandbox-exec", "none"]);
export type SandboxKind = z.infer<typeof SandboxKind>;

/** What one command run leaves behind: the check's evidence. */
export const CommandEvidence = z.object({
  argv: CommandArgv,
  /** The exit code, or null when a signal ended it. */
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  durationMs: z.number().nonnegative(),
  /** The first `outputKb` of each stream. */
  stdout: z.string(),
  stderr: z.string(),
  /** Whether either stream was longer than what is kept. */
  truncated: z.boolean(),
  killedBy: KilledBy.nullable(),
  /** Highest resident memory of the process tree seen while it ran, in MiB. */
  peakMemoryMb: z.number().nonnegative(),
  sandbox: SandboxKind,
});
export type CommandEvidence = z.infer<typeof CommandEvidence>;

/** The outcome of a command check: passed when every setup step and the command exited 0. */
export const CommandCheckOutcome = z.object({
  passed: z.boolean(),
  /** Why it did not run at all (no sandbox, an unwritable workspace); null when it ran. */
  refused: z.string().nullable(),
  setup: z.array(CommandEvidence),
  run: CommandEvidence.nullable(),
  /** Workspace paths the artifacts were written to. */
  artifacts: z.array(z.string()),
});
export type CommandCheckOutcome = z.infer<typeof CommandCheckOutcome>;

/** A one-line summary for timelines and transcripts: `passed (exit 0, 1.2 s)` or `failed: killed by timeout after 2.0 s`. */
export function describeOutcome(o: CommandCheckOutcome): string {
  if (o.refused) return `refused: ${o.refused}`;
  const failedSetup = o.setup.find((e) => e.exitCode !== 0);
  const e = failedSetup ?? o.run;
  if (!e) return o.passed ? "passed" : "failed";
  const secs = `${(e.durationMs / 1000).toFixed(1)} s`;
  const where = failedSetup ? `setup \`${failedSetup.argv.join(" ")}\` ` : "";
  if (e.killedBy) return `failed: ${where}killed by ${e.killedBy} limit after ${secs}`;
  if (o.passed) return `passed (exit 0, ${secs}, ${e.sandbox})`;
  return `failed: ${where}exit ${e.exitCode ?? e.signal}, ${secs}`;
}
