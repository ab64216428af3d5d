/**
 * Calibration of stated confidence against checked correctness.
 *
 * - Brier score: the mean of (confidence − outcome)², outcome 1 for correct and 0 for wrong; 0 is
 *   perfect, 0.25 is what always saying 0.5 earns.
 * - Expected calibration error (ECE) over equal-width bins: confidences fall into B bins of width
 *   1/B — bin b holds [b/B, (b+1)/B), and the last bin also holds 1.0 — and
 *   ECE = Σ_b (n_b / N) · |accuracy_b − mean confidence_b|. The default is B = 10 bins, the common
 *   choice in the calibration literature; empty bins contribute nothing.
 */

export interface ConfidenceOutcome {
  /** Stated confidence, 0..1. */
  confidence: number;
  correct: boolean;
}

function check(points: readonly ConfidenceOutcome[]): void {
  for (const p of points) {
    if (!(p.confidence >= 0 && p.confidence <= 1)) throw new Error(`confidence ${p.confidence} is outside 0..1`);
  }
}

/** Mean squared error of the confidences; null without points. */
export function brierScore(points: readonly ConfidenceOutcome[]): number | null {
  check(points);
  if (points.length === 0) return null;
  return points.reduce((s, p) => s + (p.confidence - (p.correct ? 1 : 0)) ** 2, 0) / points.length;
}

/** Expected calibration error over `bins` equal-width bins (default 10); null without points. */
export function expectedCalibrationError(points: readonly ConfidenceOutcome[], bins = 10): number | null {
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`bins must be a positive integer (got ${bins})`);
  check(points);
  if (points.length === 0) return null;
  const n = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const right = new Array<number>(bins).fill(0);
  for (const p of points) {
    const b = Math.min(bins - 1, Math.floor(p.confidence * bins));
    n[b]! += 1;
    conf[b]! += p.confidence;
    right[b]! += p.correct ? 1 : 0;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    if (n[b] === 0) continue;
    ece += (n[b]! / points.length) * Math.abs(right[b]! / n[b]! - conf[b]! / n[b]!);
  }
  return ece;
}
