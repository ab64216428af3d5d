/**
 * `conclave run <experiment>` and `conclave resume <sessionId>`: a session headless, on the same
 * engine the app and `conclave serve` build (`createEngine()`), so the memory budget, eviction,
 * backends, keys and session budgets behave the same. The transcript goes to stdout as messages are
 * committed (a killed run still printed everything it recorded), progress to stderr. Ctrl-C or
 * SIGTERM stops the session resumably (`interrupted`: the turn in flight is dropped and taken again
 * by `conclave resume`) within two seconds; a second Ctrl-C exits at once (see stopSignals.ts).
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Message, SessionInfo } from "../../shared/conversation.js";
import type { Experiment } from "../../shared/experiment.js";
import { ExperimentFileError, loadExperiment } from "../engine/engineTools.js";
import { backendErrors } from "../../shared/roleBackends.js";
import { createEngine, type EngineOptions } from "../engine/createEngine.js";
import type { Engine } from "../engine/Engine.js";
import { defaultEvaluationOut, runEvaluation } from "./evaluateCommand.js";
import { writeCodeOutput } from "./codeOutput.js";
import { announcePreset } from "./presetAnnouncement.js";
import { readAnswers } from "./answersFile.js";
import { ttyPrompt } from "./ttyPrompt.js";
import { describeWait } from "../../shared/human.js";
import { onStopSignals, SIGNAL_EXIT } from "./stopSignals.js";
import { plural } from "../../shared/plural.js";

/** One transcript line (or block) for a message. */
export function formatMessage(m: Message): string {
  const to = m.to === "all" ? "" : ` → ${m.to.join(", ")}`;
  const conf = m.confidence === null ? "" : ` conf ${m.confidence.toFixed(1)}`;
  const refs = m.referencesTo.length > 0 ? ` re ${m.referencesTo.length}` : "";
  const head = `[m${m.seq} r${m.round ?? "-"}] ${m.from}${to} (${m.type}${conf}${refs})`;
  const repairs = m.repairs.length > 0 ? `\n    repairs: ${m.repairs.join("; ")}` : "";
  // The thought goes before the content, marked, so a transcript reader never takes it for the answer.
  const thought = m.thought?.text ? `\n    thought (${m.thought.tokens} tokens): ${m.thought.text.replace(/\n/g, "\n    ")}\n    ` : "";
  return `${head}: ${thought}${m.content.replace(/\n/g, "\n    ")}${repairs}`;
}

/** What every session command shares: where the engine lives and how it is configured. */
export interface EngineFlags {
  db: string;
  modelsDir: string;
  exportDir: string;
  budgetBytes?: number;
  eviction?: EngineOptions["eviction"];
  /** Command checks may run without a sandbox where none exists (`--allow-unsandboxed`). */
  allowUnsandboxed?: boolean;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

export interface RunCommandOptions extends EngineFlags {
  file: string;
  out?: string;
  /**
   * Model used in place of any local model file that does not exist, so an experiment written on
   * another machine (or the demo on a machine without the shared test model) still runs. Each
   * substitution is announced on stderr and kept in the stored experiment.
   */
  missingModel?: string;
  /** `--answers FILE`: the researcher's turns and decisions, fed in order (answersFile.ts). */
  answers?: string;
  /** Whether a person can answer waits on the terminal (default: stdin is a TTY). */
  tty?: boolean;
}

/** The experiment with every absent local model file replaced by `fallback`. */
function substituteMissing(experiment: Experiment, fallback: string, err: (t: string) => void): Experiment {
  const swap = (model: string, where: string): string => {
    if (!path.isAbsolute(model) || existsSync(model)) return model;
    err(`note: ${where}: ${model} does not exist here; using ${fallback} instead\n`);
    return fallback;
  };
  return {
    ...experiment,
    roles: experiment.roles.map((r) => (r.model === undefined ? r : { ...r, model: swap(r.model, `role ${r.name}`) })),
    swaps: experiment.swaps?.map((s) => ({ ...s, model: swap(s.model, `swap of ${s.role} at round ${s.atRound}`) })),
  };
}

/** The engine a session command runs on (seats are not kept warm: nothing outlives the command). */
export function openEngine(flags: EngineFlags, baseDir?: string): Promise<Engine> {
  return createEngine({
    dbPath: flags.db,
    modelsDir: flags.modelsDir,
    exportDir: flags.exportDir,
    // Nothing outlives the command, so seats need not stay warm after the session.
    keepWarmMs: 0,
    ...(flags.budgetBytes ? { budgetBytes: flags.budgetBytes } : {}),
    ...(flags.eviction ? { eviction: flags.eviction } : {}),
    ...(flags.allowUnsandboxed ? { allowUnsandboxed: true } : {}),
    ...(baseDir ? { baseDir } : {}),
  });
}

/** Runs the experiment in `file`; resolves to the process exit code. */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const err = options.stderr ?? ((t: string) => process.stderr.write(t));
  const loaded = await loadExperiment(options.file);
  for (const w of loaded.warnings) err(`warning: ${options.file}: ${w.path}: ${w.message}\n`);
  const experiment = options.missingModel ? substituteMissing(loaded.experiment, options.missingModel, err) : loaded.experiment;
  const engine = await openEngine(options, path.dirname(path.resolve(options.file)));
  try {
    // Backend names are checked against this database's backends, and reported as the file's fault.
    const backendIssues = backendErrors(experiment, engine.backends.configs());
    if (backendIssues.length > 0) throw new ExperimentFileError(options.file, backendIssues);
    // A preset's expansion is printed before the run, and the expanded experiment is what runs.
    const expanded = await announcePreset(engine, experiment, options.stdout);
    // A task set runs as an evaluation: a session per task, checked, beside a same-budget baseline.
    if (expanded.tasks) return await runEvaluation(engine, expanded, options);
    const answers = options.answers ? await readAnswers(options.answers) : undefined;
    const tty = options.tty ?? process.stdin.isTTY === true;
    // Without a terminal or answers left, a wait fails the session with what it waited for (the role).
    const human = { ...(answers ? { answers } : {}), attended: tty };
    // A code session (attachments or a command check) always leaves its artifacts somewhere.
    const isCode = (expanded.attachments?.length ?? 0) > 0 || expanded.check?.kind === "command";
    return await follow(engine, { ...options, tty }, () => engine.sessions.create(expanded, human), options.out ?? (isCode ? defaultEvaluationOut(options.file) : undefined));
  } finally {
    await engine.dispose();
  }
}

/** Resumes an interrupted session from the store and runs it to its end. */
export async function resumeCommand(sessionId: string, options: EngineFlags & { out?: string; tty?: boolean }): Promise<number> {
  const engine = await openEngine(options);
  try {
    return await follow(engine, { ...options, tty: options.tty ?? process.stdin.isTTY === true }, () => engine.sessions.control(sessionId, "resume"), options.out);
  } finally {
    await engine.dispose();
  }
}

/** Ends an interrupted session for good. */
export async function endCommand(sessionId: string, options: EngineFlags): Promise<number> {
  const engine = await openEngine(options);
  try {
    const s = await engine.sessions.control(sessionId, "end");
    (options.stdout ?? ((t: string) => process.stdout.write(t)))(`session ${s.id} ${s.status}\n`);
    return 0;
  } finally {
    await engine.dispose();
  }
}

/** Starts a session with `start`, prints it as it goes, waits for its end, writes `--out` files; resolves to the exit code. */
export async function follow(engine: Engine, flags: EngineFlags & { tty?: boolean }, start: () => Promise<SessionInfo>, out?: string): Promise<number> {
  const write = flags.stdout ?? ((t: string) => process.stdout.write(t));
  const err = flags.stderr ?? ((t: string) => process.stderr.write(t));
  const prompt = flags.tty ? ttyPrompt(engine, process.stdin, process.stdout, err) : null;
  let sessionId: string | null = null;
  const early: Parameters<Parameters<Engine["onEvent"]>[0]>[0][] = [];
  const print = (e: (typeof early)[number]): void => {
    if (e.type === "message" && e.message.sessionId === sessionId) {
      write(`${formatMessage(e.message)}\n`);
      const u = e.message.usage;
      if (u) err(`  ${e.message.from}: ${u.completionTokens} tokens${u.tokensPerSec ? `, ${u.tokensPerSec.toFixed(0)} tok/s` : ""}\n`);
    } else if (e.type === "progress" && e.sessionId === sessionId) err(`… ${e.text}\n`);
    else if (e.type === "session" && e.session.id === sessionId) err(`status: ${e.session.status}\n`);
    else if (e.type === "waiting" && e.sessionId === sessionId && e.wait) {
      if (prompt) prompt.ask(e.sessionId, e.wait);
      else if (e.wait.kind === "decision" && e.wait.timeoutAt !== null) err(`${describeWait(e.wait)}; the ${e.wait.fallback} fallback applies at the timeout\n`);
      else {
        // Nobody can answer here (no terminal, e.g. a resumed session): end it rather than wait forever.
        err(`${describeWait(e.wait)}; nobody can answer here: run on a TTY, or pass --answers FILE to conclave run\n`);
        void engine.sessions.control(e.sessionId, "abort").catch(() => undefined);
      }
    } else if (e.type === "fault" && e.sessionId === sessionId) err(`fault: ${e.fault.role}: ${e.fault.error} (${e.fault.action})\n`);
    else if (e.type === "swap" && e.sessionId === sessionId && e.event.kind === "rotation") err(`  rotation: ${e.event.role} reloaded (${Math.round(e.event.loadMs)} ms load)\n`);
  };
  // Events that arrive before the session id is known are held, then printed in order.
  const off = engine.onEvent((e) => (sessionId === null ? early.push(e) : print(e)));
  const stopping = onStopSignals({
    err,
    notice: "stopping the session; `conclave resume <id>` continues it",
    stop: () => engine.dispose(),
  });
  try {
    const session = await start();
    sessionId = session.id;
    write(`# ${session.title}\n`);
    err(`session ${session.id}\n`);
    for (const e of early.splice(0)) print(e);
    const outcome = await engine.sessions.wait(session.id);
    err(`session ${session.id} ${outcome.status}${outcome.error ? `: ${outcome.error}` : ""} (${plural(outcome.messages.length, "message")}, db ${flags.db})\n`);
    if (stopping.signal) {
      err(`resume it with: conclave resume ${session.id}\n`);
      return SIGNAL_EXIT[stopping.signal];
    }
    if (out) {
      await mkdir(out, { recursive: true });
      const base = path.join(out, session.id);
      await writeFile(`${base}.transcript.txt`, outcome.messages.map(formatMessage).join("\n") + "\n");
      const r = await engine.export.run({ sessionId: session.id, format: "json" }, `${base}.json`);
      err(`wrote ${base}.transcript.txt and ${r.path}\n`);
      await writeCodeOutput(await engine.code.session(session.id), out, write, err);
    }
    return outcome.status === "completed" ? 0 : outcome.status === "aborted" ? 130 : 1;
  } finally {
    off();
    prompt?.close();
    stopping.off();
  }
}
