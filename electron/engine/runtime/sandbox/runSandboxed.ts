/**
 * Runs one command confined to a workspace and returns its evidence. Time is enforced by a timer
 * that kills the command's process group; memory and the number of processes by sampling the tree
 * from outside (see processTree.ts); output by counting bytes on the pipes (the first `outputKb` of
 * each stream is kept, ten times that kills the command). The limit that ended a run is named in
 * the evidence. Without a sandbox the run is refused unless `allowUnsandboxed`.
 */
import { spawn } from "node:child_process";
import os from "node:os";
import { DEFAULT_LIMITS, type CommandEvidence, type CommandLimits, type KilledBy, type SandboxKind } from "../../../../shared/commandCheck.js";
import { bubblewrapArgv } from "./bubblewrap.js";
import { macSandboxArgv } from "./macSandbox.js";
import { sampleTree } from "./processTree.js";
import { sandboxAvailability, type SandboxAvailability } from "./sandboxAvailability.js";

export interface SandboxedRun {
  argv: readonly string[];
  workspace: string;
  limits?: CommandLimits;
  /** Network inside the sandbox (only `setupNetwork` asks for it). */
  network?: boolean;
  /** Directories the command must be able to read even where the sandbox hides them. */
  readOnly?: readonly string[];
  /** Run without a sandbox where none is available (the user's explicit choice). */
  allowUnsandboxed?: boolean;
  /** Extra environment for the command. */
  env?: Record<string, string>;
  /** Overrides the probed sandbox (tests of the refusal). */
  availability?: SandboxAvailability;
}

/** Why a command was not run at all. */
export class SandboxRefusal extends Error {}

const SAMPLE_MS = 50;

function confinedArgv(run: SandboxedRun, sandbox: SandboxAvailability, limits: Required<CommandLimits>): { argv: string[]; kind: SandboxKind } {
  const network = run.network ?? false;
  const fileSizeMb = Math.max(64, limits.outputKb / 1024 * 10);
  if (sandbox.kind === "bubblewrap") {
    const addressSpaceMb = limits.memoryMb * 4 + 4096;
    return { kind: "bubblewrap", argv: bubblewrapArgv({ bwrap: sandbox.path, workspace: run.workspace, network, readOnly: run.readOnly ?? [], home: os.homedir() || null, argv: run.argv, addressSpaceMb, fileSizeMb }) };
  }
  if (sandbox.kind === "sandbox-exec") {
    return { kind: "sandbox-exec", argv: macSandboxArgv(sandbox.path, run.workspace, network, run.argv, { maxProcesses: limits.maxProcesses, fileSizeKb: fileSizeMb * 1024 }) };
  }
  if (!run.allowUnsandboxed) throw new SandboxRefusal(`no sandbox: ${sandbox.reason}; model-written code runs unsandboxed only with --allow-unsandboxed (or the setting)`);
  return { kind: "none", argv: [...run.argv] };
}

/** Keeps the first `limit` bytes of a stream and counts the rest. */
class Capture {
  private chunks: Buffer[] = [];
  kept = 0;
  total = 0;
  constructor(private readonly limit: number) {}
  add(b: Buffer): void {
    this.total += b.length;
    if (this.kept >= this.limit) return;
    const part = b.subarray(0, this.limit - this.kept);
    this.chunks.push(part);
    this.kept += part.length;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/** Runs `run.argv` in the sandbox; resolves with the evidence, rejects with {@link SandboxRefusal} when it may not run. */
export function runSandboxed(run: SandboxedRun): Promise<CommandEvidence> {
  const limits: Required<CommandLimits> = { ...DEFAULT_LIMITS, ...stripUndefined(run.limits ?? {}) };
  const sandbox = run.availability ?? sandboxAvailability();
  let confined: { argv: string[]; kind: SandboxKind };
  try {
    confined = confinedArgv(run, sandbox, limits);
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  const [program, ...args] = confined.argv;
  const started = performance.now();
  const out = new Capture(limits.outputKb * 1024);
  const errs = new Capture(limits.outputKb * 1024);
  const hardOutput = limits.outputKb * 1024 * 10;
  return new Promise((resolve) => {
    // Evidence is plain text: colour forced by the caller's environment (test runners set FORCE_COLOR) is turned off.
    const { FORCE_COLOR: _forced, ...inherited } = process.env;
    const child = spawn(program!, args, { cwd: run.workspace, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...inherited, NO_COLOR: "1", ...run.env } });
    let killedBy: KilledBy | null = null;
    let peakMb = 0;
    const kill = (why: KilledBy) => {
      if (killedBy !== null) return;
      killedBy = why;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const onData = (c: Capture) => (b: Buffer) => {
      c.add(b);
      if (c.total > hardOutput) kill("output");
    };
    child.stdout.on("data", onData(out));
    child.stderr.on("data", onData(errs));
    const timer = setTimeout(() => kill("timeout"), limits.timeoutMs);
    const sampler = setInterval(() => {
      if (child.pid === undefined) return;
      const s = sampleTree(child.pid);
      peakMb = Math.max(peakMb, s.rssMb);
      if (s.rssMb > limits.memoryMb) kill("memory");
      // The sandbox's own processes (bwrap twice, prlimit exec's into the command) are not the command's.
      else if (s.processes - (confined.kind === "bubblewrap" ? 2 : 0) > limits.maxProcesses) kill("processes");
    }, SAMPLE_MS);
    let done = false;
    const finish = (exitCode: number | null, signal: string | null, spawnError?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(sampler);
      const stderr = spawnError ? `${errs.text()}${spawnError.message}` : errs.text();
      // An allocation refused by the address-space backstop also ends a run on memory.
      if (killedBy === null && exitCode !== 0 && /out of memory|Cannot allocate memory|MemoryError|bad_alloc/i.test(stderr)) killedBy = "memory";
      resolve({
        argv: [...run.argv],
        exitCode,
        signal,
        durationMs: Math.round(performance.now() - started),
        stdout: out.text(),
        stderr,
        truncated: out.total > out.kept || errs.total > errs.kept,
        killedBy,
        peakMemoryMb: Math.round(peakMb * 10) / 10,
        sandbox: confined.kind,
      });
    };
    child.once("error", (err) => finish(127, null, err));
    child.once("close", (code, signal) => finish(code, signal));
  });
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
