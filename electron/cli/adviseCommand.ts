/**
 * `conclave advise <sessionId|seriesId|runId> [--leave-one-out N] [--json]`: each member's contribution
 * (citations, votes received, abstentions, correct answers, time per token, duplication, and with
 * `--leave-one-out N` what re-running N sessions without it changed) and a KEEP, PRUNE or REPLACE
 * recommendation with the figures and thresholds behind it. Advice only; nothing is pruned.
 */
import type { Advice, MemberAdvice } from "../../shared/advice.js";
import { openEngine, type EngineFlags } from "./runCommand.js";
import { onStopSignals, SIGNAL_EXIT } from "./stopSignals.js";

/** Thrown for bad arguments; the CLI prints it with the usage text. */
export class AdviseUsageError extends Error {}

/** The `advise` options every front end checks the same way. */
export const ADVISE_OPTIONS = { "leave-one-out": { type: "string" }, json: { type: "boolean" } } as const;

/** Checks the target and `--leave-one-out` (a whole number of sessions, 0 to 20). */
export function adviseTarget(positionals: readonly string[], values: { "leave-one-out"?: string | undefined; json?: boolean | undefined }): { target: string; leaveOneOut: number; json: boolean } {
  const target = positionals[0];
  if (!target) throw new AdviseUsageError("give a session id, a series id or an evaluation run id (conclave sessions lists sessions; an advice names its series; results.json names its run)");
  const raw = values["leave-one-out"];
  const leaveOneOut = raw === undefined ? 0 : Number(raw);
  if (!/^\d+$/.test(raw ?? "0") || leaveOneOut > 20) throw new AdviseUsageError(`--leave-one-out must be a whole number of sessions from 0 to 20, not "${raw}"`);
  return { target, leaveOneOut, json: values.json === true };
}

const num = (v: number | null, digits = 0): string => (v === null ? "–" : v.toFixed(digits));

function row(m: MemberAdvice): string {
  const f = m.figures;
  const loo = f.leaveOneOut ? `${num(f.leaveOneOut.resultSimilarity, 2)} over ${f.leaveOneOut.runs}` : "–";
  const cols = [
    f.member.padEnd(14),
    m.recommendation.padEnd(8),
    String(f.cited).padStart(5),
    `${f.votesReceived}/${f.votePoints.toFixed(1)}/${f.firstPlaces}`.padStart(11),
    `${f.abstentions}/${f.ballots}`.padStart(8),
    `${f.correct}/${f.checked}`.padStart(8),
    num(f.msPerToken, 1).padStart(7),
    `${f.duplicates}${f.duplicateOf ? `→${f.duplicateOf}` : ""}`.padStart(10),
    loo.padStart(10),
  ];
  return `${cols.join(" ")}\n${m.reasons.map((r) => `    · ${r}\n`).join("")}`;
}

/** The advice as text: a table of figures with each member's reasons under it, then the thresholds. */
export function formatAdvice(a: Advice): string {
  const head = `# advice for ${a.kind} ${a.target} (${a.seriesId}, ${a.sessionIds.length} session${a.sessionIds.length === 1 ? "" : "s"}) — recommendations only; nothing is pruned\n`;
  const cols = `${"member".padEnd(14)} ${"verdict".padEnd(8)} ${"cited".padStart(5)} ${"votes/pts/1st".padStart(11)} ${"abstain".padStart(8)} ${"correct".padStart(8)} ${"ms/tok".padStart(7)} ${"repeats".padStart(10)} ${"loo sim".padStart(10)}\n`;
  const t = a.thresholds;
  const thresholds =
    `thresholds: abstains ≥ ${t.abstentionRate * 100}% of ballots; repeats: ≥ ${t.duplicateRate * 100}% of messages at similarity ≥ ${t.duplicateSimilarity}; ` +
    `rarely used < ${t.rarelyUsedShare * 100}% of the median (median ≥ ${t.rarelyUsedMinEvidence}); slow ≥ ${t.slowFactor}× median ms/token; ` +
    `wrong ≥ ${t.wrongGap * 100} points under the median (≥ ${t.minChecked} checked); leave-one-out unchanged ≥ ${t.leaveOneOutUnchanged}\n`;
  return head + cols + a.members.map(row).join("") + thresholds + a.notes.map((n) => `note: ${n}\n`).join("");
}

export async function adviseCommand(options: EngineFlags & { target: string; leaveOneOut: number; json: boolean }): Promise<number> {
  const write = options.stdout ?? ((t: string) => process.stdout.write(t));
  const err = options.stderr ?? ((t: string) => process.stderr.write(t));
  const engine = await openEngine(options);
  // Leave-one-out runs sessions: a stop signal interrupts them like any run.
  const stopping = onStopSignals({ err, notice: "stopping the advice", stop: () => engine.dispose() });
  try {
    const advice = await engine.advice.advise({ target: options.target, leaveOneOut: options.leaveOneOut }, (line) => err(`… ${line}\n`));
    if (stopping.signal) return SIGNAL_EXIT[stopping.signal];
    write(options.json ? `${JSON.stringify(advice)}\n` : formatAdvice(advice));
    return 0;
  } catch (error) {
    if (stopping.signal) return SIGNAL_EXIT[stopping.signal];
    throw error;
  } finally {
    stopping.off();
    await engine.dispose();
  }
}
