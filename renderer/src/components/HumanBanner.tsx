/**
 * "Waiting for you": what the active session waits for, with the controls that answer it — a pick
 * per candidate of a decision, a speaker per choice with the planner's predicted wait, approve or
 * reject for an approval (each with a reason), or a pointer to the composer for a human seat's turn.
 * Every control is a button or field with an accessible name, reachable with the keyboard.
 */
import { useState } from "react";
import { describeWait, type HumanWait } from "../../../shared/human.js";
import { formatMs } from "../lib/format";
import { useHuman } from "../stores/humanStore";
import { useUi } from "../stores/uiStore";

export function HumanBanner({ sessionId, wait }: { sessionId: string; wait: HumanWait }) {
  const decide = useHuman((s) => s.decide);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const send = async (decision: string): Promise<void> => {
    setBusy(true);
    try {
      await decide({ sessionId, decision, reason });
      setReason("");
    } catch (e) {
      useUi.getState().notify("error", e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  const reasonField = (
    <label className="field">
      <span>Reason</span>
      <input className="input" aria-label="Reason for your decision" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="why (recorded with the decision)" />
    </label>
  );
  return (
    <div className="human-banner" role="region" aria-label="Waiting for you">
      <p role="status">
        <strong>Waiting for you.</strong> {describeWait(wait)}
      </p>
      {wait.kind === "turn" && <p className="muted small">Write {wait.role}'s turn in the composer below.</p>}
      {wait.kind === "decision" && (
        <>
          <ul className="human-candidates">
            {wait.candidates.map((c) => (
              <li key={c.messageId}>
                <strong>{c.label}</strong> · {c.from}
                {c.points !== null && ` · ${c.points.toFixed(2)} points`}: <span className="muted">{c.content.slice(0, 200) || "(empty)"}</span>
              </li>
            ))}
          </ul>
          <div className="row wrap">
            {reasonField}
            {wait.candidates.map((c) => (
              <button key={c.messageId} className="btn small primary" disabled={busy} onClick={() => void send(c.label)} aria-label={`Pick ${c.label} by ${c.from}`}>
                Pick {c.label} ({c.from})
              </button>
            ))}
          </div>
          {wait.timeoutAt !== null && <p className="muted small">Without a decision, the {wait.fallback} fallback applies at {new Date(wait.timeoutAt).toLocaleTimeString()}.</p>}
        </>
      )}
      {wait.kind === "speaker" && (
        <div className="row wrap">
          {reasonField}
          {wait.choices.map((c) => (
            <button key={c.role} className="btn small primary" disabled={busy} onClick={() => void send(c.role)} aria-label={`${c.role} speaks next, predicted wait ${formatMs(c.predictedWaitMs)}`}>
              {c.role} · {c.resident ? "resident" : "needs a load"} · ~{formatMs(c.predictedWaitMs)}
            </button>
          ))}
        </div>
      )}
      {wait.kind === "approval" && (
        <div className="row wrap">
          {reasonField}
          <button className="btn small primary" disabled={busy} onClick={() => void send("approve")}>Approve</button>
          <button className="btn small danger" disabled={busy} onClick={() => void send("reject")} aria-label="Reject (the reason goes to the corrector)">Reject</button>
        </div>
      )}
    </div>
  );
}
