/**
 * "Member contribution and pruning advice" for the session on screen, every session of the same
 * committee (its series), or — in the Results view — the task sessions of an evaluation run: per member the figures — citations, votes received, abstentions, correct
 * answers, time per token, repetition of another member, and optionally what re-running sessions
 * without it changed — with a KEEP, PRUNE or REPLACE recommendation and the reasons behind it.
 * Nothing is pruned: the researcher decides.
 */
import { useEffect, useState } from "react";
import type { MemberAdvice } from "../../../../shared/advice.js";
import { useAdvice } from "../../stores/adviceStore";
import { useActiveSession } from "../../stores/sessionsStore";

const num = (v: number | null, digits = 0): string => (v === null ? "–" : v.toFixed(digits));

/** Without `runId`, about the session on screen; with it, about that evaluation run's task sessions. */
export function AdvicePanel({ runId }: { runId?: string | null }) {
  const session = useActiveSession();
  const { advice, error, busy, target, advise, clear } = useAdvice();
  const [scope, setScope] = useState<"session" | "series">("session");
  const [loo, setLoo] = useState(0);
  const subject = runId !== undefined ? runId : (session?.id ?? null);
  useEffect(() => clear(), [subject, clear]);
  if (!subject) return null;
  const run = (): void => {
    const id = runId === undefined && scope === "series" && advice?.seriesId ? advice.seriesId : subject;
    void advise(id, loo);
  };
  const shown = advice && target !== null ? advice : null;
  return (
    <section className="advice-panel" aria-label="Member contribution and pruning advice">
      <header className="panel-head">
        <h3>Member contribution</h3>
        <span className="muted small">recommendations only — nothing is pruned automatically</span>
        <span className="grow" />
        {runId === undefined && (
          <label className="small">
            Scope{" "}
            <select className="input small" value={scope} onChange={(e) => setScope(e.target.value === "series" ? "series" : "session")}>
              <option value="session">this session</option>
              <option value="series" disabled={!advice}>
                every session of this committee
              </option>
            </select>
          </label>
        )}
        <label className="small">
          Leave-one-out sessions{" "}
          <input className="input small num" type="number" min={0} max={20} step={1} value={loo} onChange={(e) => setLoo(Math.max(0, Math.min(20, Math.round(Number(e.target.value) || 0))))} />
        </label>
        <button className="btn small" onClick={run} disabled={busy}>
          {busy ? "Advising…" : "Advise"}
        </button>
      </header>
      {loo > 0 && <p className="muted small pad">Leave-one-out re-runs up to {loo} session{loo === 1 ? "" : "s"} once without each member: real sessions, real compute.</p>}
      {error && <p className="error-text small pad" role="alert">{error}</p>}
      {shown && (
        <div className="pad">
          {/* A series id is a hash, not a name: it stays in the tooltip for `conclave advise <id>`. */}
          <p className="muted small" title={`series id ${shown.seriesId}`}>
            {shown.kind === "run"
              ? `This evaluation's ${shown.sessionIds.length} task sessions`
              : shown.kind === "series"
                ? `This committee's ${shown.sessionIds.length} sessions (same roles, models and protocol)`
                : "This session"}
          </p>
          <table className="table small advice-table">
            <thead>
              <tr>
                {["Member", "Verdict", "Cited", "Votes (points, firsts)", "Abstained", "Correct", "ms/token", "Repeats", "Leave-one-out"].map((h) => (
                  <th key={h} scope="col">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.members.map((m) => <AdviceRow key={m.figures.member} m={m} />)}
            </tbody>
          </table>
          <p className="muted small">
            Thresholds: prune at ≥ {shown.thresholds.abstentionRate * 100}% abstentions, ≥ {shown.thresholds.duplicateRate * 100}% repeated messages (similarity ≥{" "}
            {shown.thresholds.duplicateSimilarity}), use under {shown.thresholds.rarelyUsedShare * 100}% of the median, or leave-one-out results ≥{" "}
            {shown.thresholds.leaveOneOutUnchanged} alike; replace at ≥ {shown.thresholds.slowFactor}× the median time per token without better votes, or{" "}
            {shown.thresholds.wrongGap * 100} points under the median correct rate.
          </p>
          {shown.notes.map((n) => (
            <p key={n} className="muted small">{n}</p>
          ))}
        </div>
      )}
    </section>
  );
}

function AdviceRow({ m }: { m: MemberAdvice }) {
  const f = m.figures;
  return (
    <>
      <tr>
        <th scope="row">{f.member}</th>
        <td><span className={`badge verdict-${m.recommendation.toLowerCase()}`}>{m.recommendation}</span></td>
        <td>{f.cited}</td>
        <td>{f.votesReceived} ({f.votePoints.toFixed(1)}, {f.firstPlaces})</td>
        <td>{f.abstentions}/{f.ballots}</td>
        <td>{f.checked > 0 ? `${f.correct}/${f.checked}` : "–"}</td>
        <td>{num(f.msPerToken, 1)}</td>
        <td>{f.duplicates > 0 ? `${f.duplicates} → ${f.duplicateOf ?? "?"}` : "0"}</td>
        <td>{f.leaveOneOut ? `${num(f.leaveOneOut.resultSimilarity, 2)} alike over ${f.leaveOneOut.runs}` : "–"}</td>
      </tr>
      <tr className="advice-reasons">
        <td colSpan={9} className="muted">{m.reasons.join(" · ")}</td>
      </tr>
    </>
  );
}
