/**
 * `conclave replay <sessionId>`: reruns the stored session's experiment, seed included, as a new
 * session, prints it as it runs (runCommand.ts's `follow`), then the divergence report: identical,
 * or the first diverging message on each side and the counts. Where exact replay is impossible
 * (concurrent steps, remote backends, learned routing…) the warnings are printed before it runs.
 */
import type { ReplayReport } from "../../shared/lineage.js";
import { describeComparison } from "../engine/engineTools.js";
import { follow, openEngine, type EngineFlags } from "./runCommand.js";

/** Replays the session and reports where the transcripts diverge; resolves to the replay's exit code. */
export async function replayCommand(sessionId: string, options: EngineFlags & { out?: string; json?: boolean }): Promise<number> {
  const write = options.stdout ?? ((t: string) => process.stdout.write(t));
  const err = options.stderr ?? ((t: string) => process.stderr.write(t));
  const engine = await openEngine(options);
  try {
    let replayId: string | null = null;
    const start = async () => {
      const { session, warnings } = await engine.sessions.replay(sessionId);
      replayId = session.id;
      for (const w of warnings) err(`warning: exact replay is not assured (${w.kind}): ${w.message}\n`);
      return session;
    };
    const code = await follow(engine, options, start, options.out);
    // Stopped by a signal (or aborted): the replay is unfinished, so there is nothing to compare yet.
    if (code >= 128) return code;
    const report = replayId ? (await engine.sessions.lineage(replayId)).report : null;
    if (report) write(options.json ? `${JSON.stringify(report)}\n` : formatReport(report));
    return code;
  } finally {
    await engine.dispose();
  }
}

/** The report as text: the verdict, the first divergence on each side, the warnings. */
export function formatReport(r: ReplayReport): string {
  const lines = [`# replay ${r.sessionId} of ${r.sourceId} (${r.replayStatus ?? r.state}): ${describeComparison(r)}`];
  const d = r.firstDivergence;
  if (d?.source) lines.push(`  source #${d.source.seq} ${d.source.from} (${d.source.type}): ${d.source.excerpt}`);
  if (d?.replay) lines.push(`  replay #${d.replay.seq} ${d.replay.from} (${d.replay.type}): ${d.replay.excerpt}`);
  for (const w of r.warnings) lines.push(`  warning (${w.kind}): ${w.message}`);
  return `${lines.join("\n")}\n`;
}
