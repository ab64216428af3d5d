/**
 * The numbers the "Results" view draws from a run's `results.json`: accuracy of the committee and the
 * baseline, the paired delta with its 95% interval, tokens per task on both sides, calibration per
 * model, and one-line summaries of each for screen readers and the charts' captions.
 */
import type { EvalResults } from "../../../shared/evalResults.js";
import { plural } from "../../../shared/plural.js";

const pct = (v: number | null): number | null => (v === null ? null : Math.round(v * 1000) / 10);
const pts = (v: number): string => `${v >= 0 ? "+" : ""}${(v * 100).toFixed(1)}`;

export interface AccuracyRow {
  name: string;
  accuracy: number | null;
  correct: number;
  checked: number;
}

export function accuracyRows(r: EvalResults): AccuracyRow[] {
  const rows: AccuracyRow[] = [{ name: "Committee", accuracy: pct(r.committee.accuracy), correct: r.committee.correct, checked: r.committee.checked }];
  if (r.baseline) rows.push({ name: `Baseline (${r.baselineKind ?? "?"})`, accuracy: pct(r.baseline.accuracy), correct: r.baseline.correct, checked: r.baseline.checked });
  return rows;
}

export function accuracySummary(r: EvalResults): string {
  return accuracyRows(r)
    .map((a) => `${a.name}: ${a.accuracy === null ? "not checked" : `${a.accuracy}% (${a.correct} of ${a.checked})`}`)
    .join("; ");
}

/** The delta in points with its interval as error-bar offsets; null without a paired check. */
export function deltaRow(r: EvalResults): { name: string; delta: number; interval: [number, number]; lo: number; hi: number } | null {
  if (r.delta === null || !r.ci95) return null;
  const d = r.delta * 100;
  return { name: "Committee − baseline", delta: Math.round(d * 10) / 10, interval: [d - r.ci95[0] * 100, r.ci95[1] * 100 - d], lo: r.ci95[0] * 100, hi: r.ci95[1] * 100 };
}

export function deltaSummary(r: EvalResults): string {
  if (r.delta === null || !r.ci95) return "No paired comparison: the committee and the baseline were not both checked on any task.";
  const p = r.mcnemar ? `; exact McNemar p = ${r.mcnemar.p.toFixed(3)} (committee alone right on ${r.mcnemar.b}, baseline alone on ${r.mcnemar.c})` : "";
  return `Accuracy delta ${pts(r.delta)} points, 95% interval ${pts(r.ci95[0])} to ${pts(r.ci95[1])} (paired bootstrap)${p}.`;
}

export interface TokenRow {
  task: string;
  committee: number;
  baseline: number | null;
}

export function tokenRows(r: EvalResults): TokenRow[] {
  return r.tasks.map((t) => ({ task: t.id, committee: t.committee.tokens, baseline: t.baseline?.tokens ?? null }));
}

/** How close the baseline's spend came to the committee's. */
export function tokensSummary(r: EvalResults): string {
  const paired = r.tasks.filter((t) => t.baseline !== null && t.committee.tokens > 0);
  const within = paired.filter((t) => Math.abs(t.baseline!.tokens - t.committee.tokens) <= 0.1 * t.committee.tokens).length;
  const total = `${r.tokens.committee} tokens for the committee${r.tokens.baseline === null ? "" : `, ${r.tokens.baseline} for the baseline`}`;
  return paired.length === 0 ? `${total}.` : `${total}; the baseline is within ±10% of the committee's budget on ${within} of ${paired.length} tasks.`;
}

export function calibrationRows(r: EvalResults): { model: string; brier: number; ece: number; n: number }[] {
  return r.calibration.map((c) => ({ model: c.model.name, brier: Math.round(c.brier * 1000) / 1000, ece: Math.round(c.ece * 1000) / 1000, n: c.n }));
}

/**
 * Why the calibration chart has nothing to draw, or null when it has: it needs answers checked by a
 * model-free check from members that stated a confidence.
 */
export function calibrationEmpty(r: EvalResults): string | null {
  if (r.calibration.length > 0) return null;
  const checked = r.committee.checked + (r.baseline?.checked ?? 0);
  return checked === 0
    ? "Nothing to calibrate: no answer was checked. Calibration needs a model-free check (a number, an answer pattern or a command) on the tasks."
    : "Nothing to calibrate: no checked answer came with a stated confidence, so there is no confidence to compare with correctness.";
}

export function calibrationSummary(r: EvalResults): string {
  if (r.calibration.length === 0) return "No stated confidences were checked (calibration needs a model-free check).";
  return calibrationRows(r).map((c) => `${c.model}: Brier ${c.brier}, ECE ${c.ece} over ${plural(c.n, "answer")}`).join("; ");
}

export function conformitySummary(r: EvalResults): string {
  const c = r.conformity;
  if (!c) return "Conformity needs a model-free check.";
  return `${c.flipsToWrong} answers flipped from right to wrong and ${c.flipsToRight} from wrong to right after members saw their peers; in ${c.oracleGap} of ${c.sessions} sessions a member had the right answer and the result was wrong.`;
}
