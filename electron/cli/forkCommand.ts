/**
 * `conclave fork <sessionId> --at N [--experiment FILE]`: a new session with the stored session's
 * messages 1..N that continues live, on the parent's experiment or the one in FILE (other models or
 * settings from message N on). The taken-over messages are printed first, then the session as it
 * runs (see runCommand.ts's `follow`).
 */
import path from "node:path";
import type { Experiment } from "../../shared/experiment.js";
import { loadExperiment } from "../engine/engineTools.js";
import { follow, formatMessage, openEngine, type EngineFlags } from "./runCommand.js";

export interface ForkCommandOptions extends EngineFlags {
  sessionId: string;
  /** The parent's message the fork is taken at. */
  atSeq: number;
  /** An experiment file to run the fork under instead of the parent's stored experiment. */
  experimentFile?: string;
  out?: string;
}

/** Forks the session and runs the fork to its end; resolves to the exit code. */
export async function forkCommand(options: ForkCommandOptions): Promise<number> {
  const write = options.stdout ?? ((t: string) => process.stdout.write(t));
  const err = options.stderr ?? ((t: string) => process.stderr.write(t));
  let experiment: Experiment | undefined;
  if (options.experimentFile) {
    const loaded = await loadExperiment(options.experimentFile);
    for (const w of loaded.warnings) err(`warning: ${options.experimentFile}: ${w.path}: ${w.message}\n`);
    experiment = loaded.experiment;
  }
  const engine = await openEngine(options, options.experimentFile ? path.dirname(path.resolve(options.experimentFile)) : undefined);
  try {
    const start = async () => {
      const fork = await engine.sessions.fork(options.sessionId, options.atSeq, experiment);
      const { changes } = await engine.sessions.lineage(fork.id);
      write(`# forked from ${options.sessionId} at message ${options.atSeq}${changes.length > 0 ? `, experiment edited: ${changes.join("; ")}` : ""}; taken over:\n`);
      // The taken-over messages are replayed, not published again: print them from the store.
      for (let after = 0; after < options.atSeq; ) {
        const { messages } = await engine.sessions.messages(fork.id, after, Math.min(1000, options.atSeq - after));
        const taken = messages.filter((m) => m.seq <= options.atSeq);
        for (const m of taken) write(`${formatMessage(m)}\n`);
        if (taken.length < messages.length || messages.length === 0) break;
        after = messages.at(-1)!.seq;
      }
      return fork;
    };
    return await follow(engine, options, start, options.out);
  } finally {
    await engine.dispose();
  }
}
