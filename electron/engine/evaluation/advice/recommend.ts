/**
 * From figures to advice. The rules, in order, with their thresholds (reported with every advice):
 *  PRUNE when
 *   - it abstains: at least `abstentionRate` (50%) of the ballots it was asked to fill did not count;
 *   - it repeats another member: at least `duplicateRate` (50%) of its compared messages reach a
 *     word-count cosine of `duplicateSimilarity` (0.9) with an earlier message of another member
 *     (of two members repeating each other, the one used more is kept);
 *   - it is rarely used: its citations and votes received are under `rarelyUsedShare` (25%) of the
 *     committee's median, the median member having at least `rarelyUsedMinEvidence` (4), and no
 *     checker found it correct;
 *   - leaving it out changed little: leave-one-out results are at least `leaveOneOutUnchanged` (0.8)
 *     alike to the full committee's, and no less often correct.
 *  REPLACE (its seat helps, its model does not) when
 *   - it is slow without a quality gain: at least `slowFactor` (2×) the committee's median time per
 *     token, while its vote points per message are not above the median;
 *   - it is often wrong: with at least `minChecked` (3) checked answers, its correct rate is
 *     `wrongGap` (0.25) or more under the committee's median.
 *  KEEP otherwise — and when leaving it out cost correct answers, whatever else its figures say, and
 *  for the member used most when every member would be pruned. Advice only: nothing is pruned.
 */
import type { AdviceThresholds, MemberAdvice, MemberFigures, Recommendation } from "../../../../shared/advice.js";

export const THRESHOLDS: AdviceThresholds = {
  abstentionRate: 0.5,
  duplicateSimilarity: 0.9,
  duplicateRate: 0.5,
  rarelyUsedShare: 0.25,
  rarelyUsedMinEvidence: 4,
  slowFactor: 2,
  wrongGap: 0.25,
  minChecked: 3,
  leaveOneOutUnchanged: 0.8,
};

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;
const usage = (f: MemberFigures): number => f.cited + f.votesReceived;
const quality = (f: MemberFigures): number => (f.messages > 0 ? f.votePoints / f.messages : 0);
const correctRate = (f: MemberFigures): number | null => (f.checked >= THRESHOLDS.minChecked ? f.correct / f.checked : null);

export function recommend(figures: readonly MemberFigures[], t: AdviceThresholds = THRESHOLDS): MemberAdvice[] {
  if (figures.length <= 1) {
    return figures.map((f) => ({ figures: f, recommendation: "KEEP", reasons: ["the only member: a committee of one has nothing to prune"] }));
  }
  const medUsage = median(figures.map(usage)) ?? 0;
  const medSpeed = median(figures.flatMap((f) => (f.msPerToken === null ? [] : [f.msPerToken])));
  const medQuality = median(figures.map(quality)) ?? 0;
  const medCorrect = median(figures.flatMap((f) => { const r = correctRate(f); return r === null ? [] : [r]; }));

  const advice = figures.map((f): MemberAdvice & { prune: string[]; replace: string[]; keep: string[] } => {
    const prune: string[] = [];
    const replace: string[] = [];
    const keep: string[] = [];
    if (f.abstentionRate !== null && f.abstentionRate >= t.abstentionRate) {
      prune.push(`abstains: ${f.abstentions} of ${f.ballots} ballots did not count (${pct(f.abstentionRate)} ≥ ${pct(t.abstentionRate)})`);
    }
    if (f.duplicateRate !== null && f.duplicateRate >= t.duplicateRate && f.duplicateOf) {
      prune.push(`repeats ${f.duplicateOf}: ${f.duplicates} of its messages reach similarity ${t.duplicateSimilarity} with an earlier one of another member (${pct(f.duplicateRate)} ≥ ${pct(t.duplicateRate)})`);
    }
    if (medUsage >= t.rarelyUsedMinEvidence && usage(f) < t.rarelyUsedShare * medUsage && f.correct === 0) {
      prune.push(`rarely used: cited ${f.cited} times and ranked in ${f.votesReceived} ballots, under ${pct(t.rarelyUsedShare)} of the median member's ${medUsage}`);
    }
    const loo = f.leaveOneOut;
    if (loo && loo.runs > 0) {
      const lostCorrect = loo.correctWith !== null && loo.correctWithout !== null && loo.correctWithout < loo.correctWith;
      if (lostCorrect) keep.push(`leaving it out cost correct answers: ${loo.correctWithout} of ${loo.runs} without it, ${loo.correctWith} with it`);
      else if (loo.resultSimilarity !== null && loo.resultSimilarity >= t.leaveOneOutUnchanged) {
        prune.push(`leaving it out changed little: results without it are ${loo.resultSimilarity.toFixed(2)} alike to the committee's (≥ ${t.leaveOneOutUnchanged}) over ${loo.runs} re-run${loo.runs === 1 ? "" : "s"}`);
      }
    }
    if (medSpeed !== null && f.msPerToken !== null && f.msPerToken >= t.slowFactor * medSpeed && quality(f) <= medQuality) {
      replace.push(`slow without a quality gain: ${f.msPerToken.toFixed(1)} ms/token, ≥ ${t.slowFactor}× the median ${medSpeed.toFixed(1)}, with ${quality(f).toFixed(2)} vote points per message (median ${medQuality.toFixed(2)})`);
    }
    const rate = correctRate(f);
    if (rate !== null && medCorrect !== null && rate <= medCorrect - t.wrongGap) {
      replace.push(`often wrong: ${f.correct} of ${f.checked} checked answers correct (${pct(rate)}), ${pct(t.wrongGap)} or more under the median ${pct(medCorrect)}`);
    }
    return { figures: f, recommendation: "KEEP", reasons: [], prune, replace, keep };
  });

  // Of two members repeating each other, the one used more stays.
  for (const a of advice) {
    const other = advice.find((b) => b.figures.member === a.figures.duplicateOf);
    if (!other || other.figures.duplicateOf !== a.figures.member) continue;
    const mine = a.prune.findIndex((r) => r.startsWith("repeats "));
    if (mine >= 0 && other.prune.some((r) => r.startsWith("repeats ")) && usage(a.figures) > usage(other.figures)) a.prune.splice(mine, 1);
  }

  for (const a of advice) {
    const rarely = a.prune.findIndex((r) => r.startsWith("rarely used") || r.startsWith("leaving it out changed little"));
    if (a.keep.length > 0 && rarely >= 0) a.prune = a.prune.filter((r) => !r.startsWith("rarely used") && !r.startsWith("leaving it out changed little"));
    const verdict: Recommendation = a.prune.length > 0 ? "PRUNE" : a.replace.length > 0 ? "REPLACE" : "KEEP";
    a.recommendation = verdict;
    a.reasons = verdict === "PRUNE" ? [...a.prune, ...a.replace] : verdict === "REPLACE" ? a.replace : a.keep.length > 0 ? a.keep : ["no threshold crossed"];
  }
  if (advice.every((a) => a.recommendation === "PRUNE")) {
    const most = [...advice].sort((x, y) => usage(y.figures) - usage(x.figures))[0]!;
    most.recommendation = "KEEP";
    most.reasons = ["kept: pruning every member would leave no committee; this one is used most", ...most.reasons];
  }
  return advice.map(({ figures: f, recommendation, reasons }) => ({ figures: f, recommendation, reasons }));
}
