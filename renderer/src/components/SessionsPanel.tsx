/** The sessions list: newest first, status at a glance, click to open in the timeline. */
import { formatTime } from "../lib/format";
import { useSessions } from "../stores/sessionsStore";
import { openExperimentEditor } from "./experiment/openExperimentEditor";

export function SessionsPanel() {
  const sessions = useSessions((s) => s.sessions);
  const activeId = useSessions((s) => s.activeId);
  const select = useSessions((s) => s.select);
  return (
    <nav className="panel sessions" aria-label="Sessions">
      <header className="panel-head">
        <h2>Sessions</h2>
        <button className="btn small primary" onClick={() => openExperimentEditor()}>New session</button>
      </header>
      {sessions.length === 0 && <p className="muted small pad">No sessions yet.</p>}
      <ul className="session-list">
        {sessions.map((s) => (
          <li key={s.id}>
            <button className={`session-item${s.id === activeId ? " active" : ""}`} aria-current={s.id === activeId ? "true" : undefined} onClick={() => void select(s.id)}>
              <span className="session-title">
                {s.origin && <span className="badge">{s.origin.kind}</span>} {s.title || s.task}
              </span>
              <span className="muted small">
                <span className={`status status-${s.status}`}>{s.status}</span> {s.protocolKind} · {s.messageCount} msg · {formatTime(s.createdAt)}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
