/**
 * Shapes `sessions.metrics` into what the charts and their text alternatives need: one row per turn
 * with a column per role, memory in MB over seconds since the start, swap markers on that axis, and
 * one-line summaries a screen reader can read instead of the picture.
 */
import type { ScoreBucket, SessionMetrics, TurnPoint } from "../../../shared/metrics.js";
import { plural } from "../../../shared/plural.js";

export type SpeedKey = "tokensPerSec" | "ttftMs";
export type TurnRow = { seq: number } & Record<string, number | null>;

/** Rows by message seq, a column per role holding `key` (null where another role spoke). */
export function perRoleRows(turns: readonly TurnPoint[], key: SpeedKey): { roles: string[]; rows: TurnRow[] } {
  const roles = [...new Set(turns.map((t) => t.role))];
  const rows = turns.map((t) => {
    const row: TurnRow = { seq: t.seq };
    for (const r of roles) row[r] = r === t.role ? round(t[key]) : null;
    return row;
  });
  return { roles, rows };
}

/** Mean of `key` per role over the turns that have it. */
export function roleMeans(turns: readonly TurnPoint[], key: SpeedKey): Array<{ role: string; mean: number | null; turns: number }> {
  const roles = [...new Set(turns.map((t) => t.role))];
  return roles.map((role) => {
    const xs = turns.filter((t) => t.role === role).map((t) => t[key]).filter((x): x is number => x !== null);
    return { role, mean: xs.length > 0 ? xs.reduce((a, b) => a + b, 0) / xs.length : null, turns: xs.length };
  });
}

export interface MemoryRow {
  /** Seconds since the session started. */
  t: number;
  estimatedMb: number;
  measuredMb: number;
  budgetMb: number;
}

export function memoryRows(m: SessionMetrics): MemoryRow[] {
  return m.memory.map((p) => ({
    t: seconds(p.at - m.startedAt),
    estimatedMb: mb(p.estimatedBytes),
    measuredMb: mb(p.measuredBytes),
    budgetMb: mb(p.budgetBytes),
  }));
}

export function swapMarks(m: SessionMetrics): Array<{ t: number; label: string; ok: boolean }> {
  return m.swaps.map((s) => ({
    t: seconds(s.at - m.startedAt),
    label: s.kind === "rotation" ? `${s.role} rotated in` : s.kind === "fault-reload" ? `${s.role} reloaded after a crash` : `${s.role} → ${s.to}`,
    ok: s.outcome === "ok",
  }));
}

/**
 * The same swaps on a chart whose x axis is the message number: each just after the last turn
 * stored before it began (before the first turn when none was), so the speed charts mark the swap
 * where the memory chart does.
 */
export function swapSeqMarks(m: SessionMetrics): Array<{ seq: number; label: string; ok: boolean }> {
  const marks = swapMarks(m);
  return m.swaps.map((s, i) => {
    const before = m.turns.filter((t) => t.at <= s.at).at(-1);
    const first = m.turns[0];
    return { seq: before ? before.seq + 0.5 : (first?.seq ?? 1) - 0.5, label: marks[i]!.label, ok: marks[i]!.ok };
  });
}

export function bucketLabel(b: ScoreBucket): string {
  return `${b.from.toFixed(1)}–${b.to.toFixed(1)}`;
}

/** "analyzer 1,530 tok/s over 12 turns; critic …", or a plain statement that there is nothing yet. */
export function speedSummary(turns: readonly TurnPoint[], key: SpeedKey): string {
  const means = roleMeans(turns, key).filter((m) => m.mean !== null);
  if (means.length === 0) return "No model turns with timings yet.";
  const unit = key === "tokensPerSec" ? "tok/s" : "ms to the first token";
  return `Mean per role: ${means.map((m) => `${m.role} ${fmt(m.mean ?? 0)} ${unit} over ${m.turns} turn${m.turns === 1 ? "" : "s"}`).join("; ")}.`;
}

export function memorySummary(m: SessionMetrics): string {
  const rows = memoryRows(m);
  const last = rows.at(-1);
  if (!last) return "No memory samples yet.";
  const peak = Math.max(...rows.map((r) => r.measuredMb));
  const swaps = m.swaps.length === 0 ? "no swaps" : `${m.swaps.length} swap${m.swaps.length === 1 ? "" : "s"} (${swapMarks(m).map((s) => `${s.label} at ${s.t} s`).join(", ")})`;
  return `${plural(rows.length, "sample")} over ${last.t} s: measured peak ${fmt(peak)} MB, last estimate ${fmt(last.estimatedMb)} MB against a budget of ${fmt(last.budgetMb)} MB; ${swaps}.`;
}

export function histogramSummary(name: string, buckets: readonly ScoreBucket[], total: number): string {
  if (total === 0) return `No ${name} yet.`;
  const scored = buckets.reduce((s, b) => s + b.count, 0);
  const top = [...buckets].sort((a, b) => b.count - a.count)[0];
  return `${total} ${name}, ${scored} with a score; most common range ${top ? bucketLabel(top) : "—"} (${top?.count ?? 0}).`;
}

/** Per role: answer tokens, thought tokens and time spent thinking, over the session's turns. */
export function thoughtTotals(turns: readonly TurnPoint[]): Array<{ role: string; answerTokens: number; thoughtTokens: number; thoughtMs: number; thinkingTurns: number }> {
  const roles = [...new Set(turns.map((t) => t.role))];
  return roles.map((role) => {
    const mine = turns.filter((t) => t.role === role);
    return {
      role,
      answerTokens: mine.reduce((s, t) => s + t.completionTokens, 0),
      thoughtTokens: mine.reduce((s, t) => s + (t.thoughtTokens ?? 0), 0),
      thoughtMs: mine.reduce((s, t) => s + (t.thoughtMs ?? 0), 0),
      thinkingTurns: mine.filter((t) => (t.thoughtTokens ?? 0) > 0).length,
    };
  });
}

/** "critic thought 412 tokens (3.1 s) beside 96 answer tokens; …", or that no role thought. */
export function thoughtSummary(turns: readonly TurnPoint[]): string {
  const totals = thoughtTotals(turns);
  if (!totals.some((t) => t.thoughtTokens > 0)) return "No role thought before answering (no thought segments).";
  return `${totals.map((t) => `${t.role} thought ${t.thoughtTokens.toLocaleString("en-US")} tokens (${fmt(t.thoughtMs / 1000)} s, ${t.thinkingTurns} turn${t.thinkingTurns === 1 ? "" : "s"}) beside ${t.answerTokens.toLocaleString("en-US")} answer tokens`).join("; ")}.`;
}

function round(x: number | null): number | null {
  return x === null ? null : Math.round(x * 10) / 10;
}

function mb(bytes: number): number {
  return Math.round(bytes / 1e5) / 10;
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

function fmt(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(1);
}
