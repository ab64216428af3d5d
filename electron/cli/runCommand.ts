/**
 * `conclave run <experiment> [--db FILE] [--out DIR]`: runs a session headless. The transcript goes
 * to stdout as messages are emitted (so a killed run still printed everything it recorded),
 * progress to stderr. Ctrl-C aborts the session cleanly (the partial turn is recorded); a second
 * Ctrl-C exits at once.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Message } from "../../shared/conversation.js";
import type { Experiment } from "../../shared/experiment.js";
import { loadExperiment } from "../engine/session/loadExperiment.js";
import { SessionRunner, type SessionOutcome } from "../engine/session/SessionRunner.js";
import { SlotRegistry } from "../engine/slots/SlotRegistry.js";
import { openStore } from "../engine/store/sessionStore.js";
import { exportSession } from "../engine/export/exportSession.js";
import { cliResolver } from "./resolver.js";

/** One transcript line (or block) for a message. */
export function formatMessage(m: Message): string {
  const to = m.to === "all" ? "" : ` → ${m.to.join(", ")}`;
  const conf = m.confidence === null ? "" : ` conf ${m.confidence.toFixed(1)}`;
  const refs = m.referencesTo.length > 0 ? ` re ${m.referencesTo.length}` : "";
  const head = `[m${m.seq} r${m.round ?? "-"}] ${m.from}${to} (${m.type}${conf}${refs})`;
  const repairs = m.repairs.length > 0 ? `\n    repairs: ${m.repairs.join("; ")}` : "";
  return `${head}: ${m.content.replace(/\n/g, "\n    ")}${repairs}`;
}

export interface RunCommandOptions {
  file: string;
  db: string;
  out?: string;
  /**
   * Model used in place of any local model file that does not exist, so an experiment written on
   * another machine (or the demo on a machine without the shared test model) still runs. Each
   * substitution is announced on stderr and kept in the stored experiment.
   */
  missingModel?: string;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
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
    roles: experiment.roles.map((r) => ({ ...r, model: swap(r.model, `role ${r.name}`) })),
    swaps: experiment.swaps?.map((s) => ({ ...s, model: swap(s.model, `swap of ${s.role} at round ${s.atRound}`) })),
  };
}

/** Runs the experiment in `file`; resolves to the process exit code. */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const out = options.stdout ?? ((t: string) => process.stdout.write(t));
  const err = options.stderr ?? ((t: string) => process.stderr.write(t));
  const loaded = await loadExperiment(options.file);
  for (const w of loaded.warnings) err(`warning: ${options.file}: ${w.path}: ${w.message}\n`);
  const experiment = options.missingModel ? substituteMissing(loaded.experiment, options.missingModel, err) : loaded.experiment;
  await mkdir(path.dirname(path.resolve(options.db)), { recursive: true });
  const store = openStore(options.db);
  const registry = new SlotRegistry({ resolver: cliResolver() });
  let outcome: SessionOutcome | undefined;
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    err("\ninterrupted: aborting the session (Ctrl-C again to quit now)\n");
    runner?.abort("interrupted (SIGINT)");
  };
  let runner: SessionRunner | null = null;
  process.on("SIGINT", onSigint);
  try {
    runner = new SessionRunner({ experiment, store, host: registry });
    err(`session ${runner.sessionId}: ${runner.plan.summary}\n`);
    out(`# ${experiment.title}\n`);
    runner.onEvent((e) => {
      if (e.type === "message") {
        out(`${formatMessage(e.message)}\n`);
        const u = e.message.usage;
        if (u) err(`  ${e.message.from}: ${u.completionTokens} tokens${u.tokensPerSec ? `, ${u.tokensPerSec.toFixed(0)} tok/s` : ""}\n`);
      } else if (e.type === "progress") err(`… ${e.text}\n`);
      else if (e.type === "status") err(`status: ${e.session.status}\n`);
    });
    outcome = await runner.run();
    err(`session ${runner.sessionId} ${outcome.status}${outcome.error ? `: ${outcome.error}` : ""} (${outcome.messages.length} messages, db ${options.db})\n`);
    if (options.out) {
      await mkdir(options.out, { recursive: true });
      const base = path.join(options.out, runner.sessionId);
      await writeFile(`${base}.transcript.txt`, outcome.messages.map(formatMessage).join("\n") + "\n");
      const r = await exportSession(store, runner.sessionId, { format: "json", out: `${base}.json` });
      err(`wrote ${base}.transcript.txt and ${r.path}\n`);
    }
  } finally {
    process.off("SIGINT", onSigint);
    await registry.dispose();
    store.close();
  }
  if (!outcome) return 1;
  return outcome.status === "completed" ? 0 : outcome.status === "aborted" ? 130 : 1;
}
