/**
 * "Session lineage", above the timeline's messages: where the active session came from (the parent
 * of a fork, with a link to it at the fork point and a jump to the fork point here; the source of a
 * replay, with the divergence report once it ends), and the session's own forks and replays.
 */
import type { SessionInfo } from "../../../shared/conversation.js";
import type { ReplayReport, TranscriptSide } from "../../../shared/lineage.js";
import { useLineage } from "../stores/lineageStore";
import { useSessions } from "../stores/sessionsStore";
import { plural } from "../../../shared/plural.js";

export function LineageBar({ session }: { session: SessionInfo }) {
  const lineage = useLineage((s) => (s.sessionId === session.id ? s.lineage : null));
  const openAt = useSessions((s) => s.openAt);
  const select = useSessions((s) => s.select);
  const origin = session.origin;
  const children = lineage?.children ?? [];
  if (!origin && children.length === 0) return null;
  const parentTitle = lineage?.parent?.title ?? origin?.sessionId ?? "";
  return (
    <section className="lineage" aria-label="Session lineage">
      {origin?.kind === "fork" && origin.atSeq !== null && (
        <div className="lineage-row">
          <span className="badge">fork</span>
          <span>
            Forked from <strong>{parentTitle}</strong> at message #{origin.atSeq}
          </span>
          <button className="btn small" onClick={() => void openAt(origin.sessionId, origin.atSeq ?? 1)}>
            Open parent at #{origin.atSeq}
          </button>
          <button className="btn small" onClick={() => void openAt(session.id, origin.atSeq ?? 1)}>
            Jump to fork point
          </button>
          {lineage && (
            <span className="muted small">
              {lineage.changes.length > 0 ? `Experiment edited: ${lineage.changes.join("; ")}` : "Same experiment as the parent"}
            </span>
          )}
        </div>
      )}
      {origin?.kind === "replay" && (
        <div className="lineage-row">
          <span className="badge">replay</span>
          <span>
            Replay of <strong>{parentTitle}</strong>
          </span>
          <button className="btn small" onClick={() => void select(origin.sessionId)}>Open source</button>
        </div>
      )}
      {origin?.kind === "replay" && lineage?.report && <ReportView report={lineage.report} replayId={session.id} />}
      {children.length > 0 && (
        <div className="lineage-row" role="group" aria-label="Forks and replays">
          <span className="muted small">Forks and replays:</span>
          {children.map((c) => (
            <button key={c.id} className="btn small" onClick={() => void select(c.id)}>
              {c.origin?.kind === "fork" ? `Fork at #${c.origin.atSeq ?? "?"}` : "Replay"} · {c.title} ({c.status})
            </button>
          ))}
        </div>
      )}
    </section>
  );
}

/** The divergence report: running with its warnings, then identical or where the transcripts part. */
function ReportView({ report: r, replayId }: { report: ReplayReport; replayId: string }) {
  const openAt = useSessions((s) => s.openAt);
  const d = r.firstDivergence;
  return (
    <div className="replay-report" role="status" aria-label="Divergence report">
      {r.state === "running" ? (
        <p className="small">Replaying; the transcripts are compared when it ends.</p>
      ) : d === null ? (
        <p className="small ok-text">
          Identical to the source: {plural(r.matched, "message")} match in speaker, type and content ({r.replayStatus}).
        </p>
      ) : (
        <>
          <p className="small warn-text">
            Diverges at message {d.index}: {r.matched} matched before it, {r.differing} of {Math.min(r.compared.source, r.compared.replay)} positions differ
            {r.sourceOnly > 0 && `, ${r.sourceOnly} only in the source`}
            {r.replayOnly > 0 && `, ${r.replayOnly} only in the replay`}.
          </p>
          <dl className="divergence small">
            <Side label="Source" side={d.source} />
            <Side label="Replay" side={d.replay} />
          </dl>
          {d.replay && (
            <button className="btn small" onClick={() => void openAt(replayId, d.replay?.seq ?? 1)}>
              Jump to divergence
            </button>
          )}
        </>
      )}
      {r.warnings.length > 0 && (
        <ul className="small warn-text" aria-label="Replay warnings">
          {r.warnings.map((w) => (
            <li key={w.kind}>Not exactly replayable ({w.kind}): {w.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Side({ label, side }: { label: string; side: TranscriptSide | null }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{side ? `#${side.seq} ${side.from} (${side.type}): ${side.excerpt || "(empty)"}` : "ended here"}</dd>
    </>
  );
}
